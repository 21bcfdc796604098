// football-data.org v4 → the ingest contract. Pure: a `competitions/{code}/matches` body in,
// ParsedMatch rows out, each carrying the provider's match id and both teams' provider ids
// (the sync stores them as external ids and resolves teams by them before names).
import { localDate } from '../ingest/parsers/zoned-time.js';
import { ENGLAND_PREMIER_LEAGUE, FRANCE_LIGUE_1, GERMANY_BUNDESLIGA, ITALY_SERIE_A, SPAIN_LALIGA } from '../ingest/parsers/soccer-competitions.js';
import type { CompetitionRef, ParsedMatch, Rejection } from '../ingest/types.js';
import type { MatchStatus } from '../../db/schema/index.js';
import type { ProviderMatch } from './sync.js';

export const FOOTBALL_DATA_SOURCE = 'football-data.org';

/** football-data.org competition codes → Sharpline's competitions (the ones the CSV importers create). */
export const FOOTBALL_DATA_COMPETITIONS: Record<string, CompetitionRef> = {
  PL: ENGLAND_PREMIER_LEAGUE,
  BL1: GERMANY_BUNDESLIGA,
  PD: SPAIN_LALIGA,
  SA: ITALY_SERIE_A,
  FL1: FRANCE_LIGUE_1,
};

interface FdTeam {
  id: number | null;
  name: string | null;
  shortName?: string | null;
}
interface FdMatch {
  id: number;
  utcDate: string;
  status: string;
  matchday?: number | null;
  stage?: string | null;
  season?: { startDate?: string; endDate?: string } | null;
  homeTeam: FdTeam;
  awayTeam: FdTeam;
  score?: { fullTime?: { home: number | null; away: number | null }; halfTime?: { home: number | null; away: number | null } } | null;
  referees?: { name: string; type?: string }[];
}

const STATUS: Record<string, MatchStatus> = {
  SCHEDULED: 'scheduled',
  TIMED: 'scheduled',
  IN_PLAY: 'in_progress',
  PAUSED: 'in_progress',
  LIVE: 'in_progress',
  EXTRA_TIME: 'in_progress',
  PENALTY_SHOOTOUT: 'in_progress',
  FINISHED: 'final',
  AWARDED: 'final',
  POSTPONED: 'postponed',
  SUSPENDED: 'postponed',
  CANCELLED: 'cancelled',
};

/** "2025-08-15".."2026-05-24" → "2025-26"; a season inside one year → "2025". */
export function seasonLabel(start: string | undefined, end: string | undefined, kickoff: Date): string {
  const y1 = start ? Number(start.slice(0, 4)) : kickoff.getUTCMonth() >= 6 ? kickoff.getUTCFullYear() : kickoff.getUTCFullYear() - 1;
  const y2 = end ? Number(end.slice(0, 4)) : y1 + 1;
  return y2 === y1 ? String(y1) : `${y1}-${String(y2 % 100).padStart(2, '0')}`;
}

export function parseFootballDataMatches(body: unknown, code: string, file: string): { matches: ProviderMatch[]; rejected: Rejection[] } {
  const competition = FOOTBALL_DATA_COMPETITIONS[code];
  const rejected: Rejection[] = [];
  if (!competition) return { matches: [], rejected: [{ file, line: 0, reason: `unknown football-data.org competition ${code}` }] };
  const list = (body as { matches?: unknown })?.matches;
  if (!Array.isArray(list)) return { matches: [], rejected: [{ file, line: 0, reason: 'response has no matches array' }] };
  const matches: ProviderMatch[] = [];
  list.forEach((raw: FdMatch, i) => {
    const line = i + 1;
    const kickoff = new Date(raw?.utcDate);
    const status = STATUS[raw?.status];
    if (!raw || typeof raw.id !== 'number' || Number.isNaN(kickoff.getTime()) || !status) {
      rejected.push({ file, line, reason: `match ${raw?.id ?? '?'}: missing id, utcDate or known status (${raw?.status})` });
      return;
    }
    if (!raw.homeTeam?.id || !raw.homeTeam.name || !raw.awayTeam?.id || !raw.awayTeam.name) {
      rejected.push({ file, line, reason: `match ${raw.id}: teams not decided yet` });
      return;
    }
    const ft = raw.score?.fullTime;
    const ht = raw.score?.halfTime;
    const scored = status === 'final' || status === 'in_progress';
    const parsed: ParsedMatch = {
      line,
      competition,
      season: seasonLabel(raw.season?.startDate, raw.season?.endDate, kickoff),
      date: localDate(kickoff, competition.timezone),
      kickoffAt: kickoff,
      home: raw.homeTeam.name,
      away: raw.awayTeam.name,
      status,
      homeScore: scored ? (ft?.home ?? (status === 'in_progress' ? 0 : null)) : null,
      awayScore: scored ? (ft?.away ?? (status === 'in_progress' ? 0 : null)) : null,
      homeScoreHt: scored ? (ht?.home ?? null) : null,
      awayScoreHt: scored ? (ht?.away ?? null) : null,
      round: raw.matchday != null ? String(raw.matchday) : null,
      referee: raw.referees?.find((r) => r.type === 'REFEREE')?.name ?? null,
      odds: [],
      externalId: String(raw.id),
    };
    matches.push({ parsed, homeExternalId: String(raw.homeTeam.id), awayExternalId: String(raw.awayTeam.id) });
  });
  return { matches, rejected };
}
