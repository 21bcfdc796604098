// How an incoming match merges into the stored one (docs/decisions/0002): incoming non-null
// values fill or overwrite, nulls never erase, a final result completes a scheduled match and
// nothing but another final result changes a final one. Kept pure so the rules are unit-tested.
import type { MatchStatus, PeriodScore } from '../../db/schema/index.js';

export interface MatchFields {
  seasonId: number;
  kickoffAt: Date | null;
  status: MatchStatus;
  homeScore: number | null;
  awayScore: number | null;
  homeScoreHt: number | null;
  awayScoreHt: number | null;
  periodScores: PeriodScore[] | null;
  round: string | null;
  isPlayoff: boolean | null;
  neutral: boolean | null;
  referee: string | null;
  attendance: number | null;
  venueId: number | null;
}

const NULLABLE: (keyof MatchFields)[] = [
  'seasonId',
  'kickoffAt',
  'homeScore',
  'awayScore',
  'homeScoreHt',
  'awayScoreHt',
  'periodScores',
  'round',
  'isPlayoff',
  'neutral',
  'referee',
  'attendance',
  'venueId',
];

/** JSON with object keys sorted: jsonb hands keys back in its own order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return JSON.stringify(value ?? null);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

export function mergeStatus(existing: MatchStatus, incoming: MatchStatus): MatchStatus {
  if (existing === 'final' && incoming !== 'final') return existing;
  if (incoming === 'scheduled' && existing !== 'scheduled') return existing;
  return incoming;
}

/** The stored row after merging `incoming` into it, and whether anything changed. */
export function mergeMatch(existing: MatchFields, incoming: MatchFields): { merged: MatchFields; changed: boolean } {
  const merged: MatchFields = { ...existing, status: mergeStatus(existing.status, incoming.status) };
  for (const field of NULLABLE) {
    const v = incoming[field];
    if (v !== null && v !== undefined) (merged as unknown as Record<string, unknown>)[field] = v;
  }
  let changed = merged.status !== existing.status;
  for (const field of NULLABLE) if (!sameValue(merged[field], existing[field])) changed = true;
  return { merged, changed };
}
