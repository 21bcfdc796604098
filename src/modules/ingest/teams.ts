// Team-name resolution: which team a name in a file means. In order: an alias in the
// team_aliases table (source-specific first, then '*': operators edit these, so they win),
// the curated alias list shipped in aliases.ts, a team whose normalised name equals the
// name's. A name matching nothing creates a team; when it resembles an existing one
// (Dice similarity of character bigrams, or all words of one inside the other) it is
// reported for review and recorded in name_reviews, because silently merging lookalikes
// ("Man City" / "Man United") would corrupt results far worse than one extra team.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { nameReviews, teamAliases, teams } from '../../db/schema/index.js';
import { CURATED_TEAMS } from './aliases.js';
import type { ReviewItem, SportCode } from './types.js';

/** Similarity (0-1) from which a new name is reported as resembling an existing team. */
export const REVIEW_SIMILARITY = 0.6;

const CLUB_WORDS = new Set(['fc', 'afc', 'cf', 'sc', 'ac', 'as', 'ssc', 'cfc', 'sv', 'fk', 'sk', 'bk', 'club']);
const WORD_MAP: Record<string, string> = { utd: 'united', st: 'saint', '&': 'and' };

/**
 * The matching key of a team name: lower case, accents and punctuation gone, "&" → "and",
 * "Utd" → "united", "St" → "saint", club prefixes and suffixes (FC, AFC, CF, SC, AC, ...)
 * dropped unless nothing else is left. "Manchester United FC" → "manchester united".
 */
export function normaliseTeamName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[øœæłđı]/g, (c) => ({ ø: 'o', œ: 'oe', æ: 'ae', ł: 'l', đ: 'd', ı: 'i' })[c] ?? c)
    .replace(/['’`]/g, '')
    .replace(/&/g, ' & ')
    .replace(/[^a-z0-9&]+/g, ' ')
    .trim();
  const words = folded.split(' ').filter(Boolean).map((w) => WORD_MAP[w] ?? w);
  const kept = words.filter((w) => !CLUB_WORDS.has(w));
  return (kept.length > 0 ? kept : words).join(' ');
}

function bigrams(key: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < key.length - 1; i++) {
    const g = key.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** How alike two normalised names are, 0-1: Dice over bigrams, or 0.75 when one's words all appear in the other. */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ga = bigrams(a);
  const gb = bigrams(b);
  let shared = 0;
  let total = 0;
  for (const n of ga.values()) total += n;
  for (const n of gb.values()) total += n;
  for (const [g, n] of ga) shared += Math.min(n, gb.get(g) ?? 0);
  const dice = total === 0 ? 0 : (2 * shared) / total;
  const wa = a.split(' ');
  const wb = new Set(b.split(' '));
  const contained = wa.every((w) => wb.has(w)) || b.split(' ').every((w) => wa.includes(w));
  return Math.max(dice, contained ? 0.75 : 0);
}

/** sport → normalised spelling → the curated team it names. */
const curatedIndex = new Map<SportCode, Map<string, (typeof CURATED_TEAMS)[number]>>();
for (const team of CURATED_TEAMS) {
  let bySport = curatedIndex.get(team.sport);
  if (!bySport) curatedIndex.set(team.sport, (bySport = new Map()));
  for (const spelling of [team.name, ...team.aliases]) bySport.set(normaliseTeamName(spelling), team);
}

/** The curated team a name means, if the shipped list knows it. */
export function curatedTeamFor(sport: SportCode, name: string): { name: string; aliases: string[] } | null {
  return curatedIndex.get(sport)?.get(normaliseTeamName(name)) ?? null;
}

export interface ResolveContext {
  sportId: number;
  sport: SportCode;
  source: string;
  file: string;
  /** Country given to teams created here (the competition's). */
  country: string | null;
}

export interface Resolution {
  ids: Map<string, number>;
  created: number;
  review: ReviewItem[];
}

interface PlannedTeam {
  name: string;
  key: string;
  id?: number;
  resembles?: { team_id: number; name: string; similarity: number; raw: string };
}

/** Resolves every name of one sport in a file with a fixed number of queries, creating what is missing. */
export async function resolveTeams(tx: Tx, ctx: ResolveContext, names: Iterable<string>, now: Date): Promise<Resolution> {
  const existing = await tx
    .select({ id: teams.id, name: teams.name, key: teams.nameKey })
    .from(teams)
    .where(and(eq(teams.sportId, ctx.sportId), isNull(teams.ownerUserId)));
  const aliases = await tx
    .select({ key: teamAliases.aliasKey, source: teamAliases.source, teamId: teamAliases.teamId })
    .from(teamAliases)
    .where(and(eq(teamAliases.sportId, ctx.sportId), inArray(teamAliases.source, [ctx.source, '*'])));
  const byKey = new Map(existing.map((t) => [t.key, t]));
  const aliasOf = new Map<string, number>();
  // '*' first so a source-specific alias overrides it.
  for (const a of aliases.filter((a) => a.source === '*')) aliasOf.set(a.key, a.teamId);
  for (const a of aliases.filter((a) => a.source !== '*')) aliasOf.set(a.key, a.teamId);

  const nameOf = new Map(existing.map((t) => [t.id, t.name]));
  const candidates = [
    ...existing,
    ...aliases.filter((a) => nameOf.has(a.teamId)).map((a) => ({ id: a.teamId, name: nameOf.get(a.teamId)!, key: a.key })),
  ];
  const planned = new Map<string, PlannedTeam>();
  const newAliases: { alias: string; key: string; target: PlannedTeam | number }[] = [];
  const pending = new Map<string, PlannedTeam | number>();

  for (const raw of new Set(names)) {
    const key = normaliseTeamName(raw);
    const aliased = aliasOf.get(key);
    if (aliased !== undefined) {
      pending.set(raw, aliased);
      continue;
    }
    const curated = curatedTeamFor(ctx.sport, raw);
    if (curated) {
      // The curated team may already exist under any of its spellings (created before the list knew it).
      const spellings = [curated.name, ...curated.aliases].map(normaliseTeamName);
      const found = spellings.map((k) => byKey.get(k)).find(Boolean);
      const canonicalKey = spellings[0]!;
      const target: PlannedTeam | number =
        found?.id ?? planned.get(canonicalKey) ?? { name: curated.name, key: canonicalKey };
      if (typeof target !== 'number') planned.set(canonicalKey, target);
      const targetKey = typeof target === 'number' ? found!.key : target.key;
      if (key !== targetKey && !newAliases.some((a) => a.key === key)) newAliases.push({ alias: raw, key, target });
      pending.set(raw, target);
      continue;
    }
    const direct = byKey.get(key)?.id ?? planned.get(key);
    if (direct !== undefined) {
      pending.set(raw, direct);
      continue;
    }
    const team: PlannedTeam = { name: raw, key };
    // Compared with every known spelling: "Charltn" is far from "Charlton Athletic" but close to its alias "Charlton".
    let best: PlannedTeam['resembles'];
    for (const c of candidates) {
      const s = nameSimilarity(key, c.key);
      if (s >= REVIEW_SIMILARITY && (!best || s > best.similarity)) best = { team_id: c.id, name: c.name, similarity: s, raw };
    }
    if (best) team.resembles = best;
    planned.set(key, team);
    pending.set(raw, team);
  }

  const toCreate = [...planned.values()];
  if (toCreate.length > 0) {
    const rows = await tx
      .insert(teams)
      .values(toCreate.map((t) => ({ sportId: ctx.sportId, name: t.name, nameKey: t.key, country: ctx.country, createdAt: now, updatedAt: now })))
      .returning({ id: teams.id, key: teams.nameKey });
    const idOf = new Map(rows.map((r) => [r.key, r.id]));
    for (const t of toCreate) t.id = idOf.get(t.key)!;
  }
  const idOf = (t: PlannedTeam | number): number => (typeof t === 'number' ? t : t.id!);
  if (newAliases.length > 0) {
    await tx
      .insert(teamAliases)
      .values(newAliases.map((a) => ({ sportId: ctx.sportId, teamId: idOf(a.target), alias: a.alias, aliasKey: a.key, source: '*', origin: 'curated', createdAt: now })))
      .onConflictDoNothing();
  }
  const review: ReviewItem[] = [];
  for (const t of toCreate) {
    if (!t.resembles) continue;
    const pct = Math.round(t.resembles.similarity * 100);
    review.push({ file: ctx.file, name: t.resembles.raw, created_team_id: t.id!, resembles: { team_id: t.resembles.team_id, name: t.resembles.name, similarity_pct: pct } });
  }
  if (review.length > 0) {
    await tx
      .insert(nameReviews)
      .values(review.map((r) => ({ sportId: ctx.sportId, source: ctx.source, rawName: r.name, createdTeamId: r.created_team_id, candidateTeamId: r.resembles.team_id, similarity: r.resembles.similarity_pct, createdAt: now })))
      .onConflictDoNothing();
  }
  const ids = new Map<string, number>();
  for (const [raw, target] of pending) ids.set(raw, idOf(target));
  return { ids, created: toCreate.length, review };
}

/** Records other names a source gives a team (relocated franchises' old names) as source-specific aliases. */
export async function addSourceAliases(
  tx: Tx,
  ctx: ResolveContext,
  pairs: { alias: string; teamId: number }[],
  now: Date,
): Promise<void> {
  const rows = pairs
    .map((p) => ({ sportId: ctx.sportId, teamId: p.teamId, alias: p.alias, aliasKey: normaliseTeamName(p.alias), source: ctx.source, origin: 'import', createdAt: now }))
    .filter((r, i, all) => all.findIndex((o) => o.aliasKey === r.aliasKey) === i);
  if (rows.length > 0) await tx.insert(teamAliases).values(rows).onConflictDoNothing();
}
