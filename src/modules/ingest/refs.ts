// The small reference rows an import creates on first sight: sports, competitions, seasons,
// bookmakers and venues. Each is "insert if missing, then read back", a handful of queries
// per file whatever its size.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { bookmakers, competitions, seasons, sports, venues, type TieBreak } from '../../db/schema/index.js';
import type { CompetitionRef, SportCode } from './types.js';

const SPORTS: Record<SportCode, { name: string; scoring: string; drawsPossible: boolean }> = {
  soccer: { name: 'Soccer', scoring: 'goals', drawsPossible: true },
  basketball: { name: 'Basketball', scoring: 'points', drawsPossible: false },
  american_football: { name: 'American football', scoring: 'points', drawsPossible: false },
  baseball: { name: 'Baseball', scoring: 'runs', drawsPossible: false },
  ice_hockey: { name: 'Ice hockey', scoring: 'goals', drawsPossible: false },
};

/** Tables rank by points (3/1/0, then goal difference, goals for) in soccer, by win percentage elsewhere. */
export function defaultTieBreaks(sport: SportCode): TieBreak[] {
  return sport === 'soccer' ? ['points', 'goal_difference', 'goals_for'] : ['win_pct'];
}

export async function ensureSports(tx: Tx, codes: SportCode[]): Promise<Map<SportCode, number>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  await tx
    .insert(sports)
    .values(wanted.map((code) => ({ code, ...SPORTS[code] })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: sports.id, code: sports.code }).from(sports).where(inArray(sports.code, wanted));
  return new Map(rows.map((r) => [r.code as SportCode, r.id]));
}

export interface CompetitionRow {
  id: number;
  sportId: number;
  code: string;
  timezone: string;
  country: string | null;
}

export async function ensureCompetitions(tx: Tx, refs: CompetitionRef[], sportIds: Map<SportCode, number>): Promise<Map<string, CompetitionRow>> {
  const byCode = new Map(refs.map((r) => [r.code, r]));
  if (byCode.size === 0) return new Map();
  await tx
    .insert(competitions)
    .values(
      [...byCode.values()].map((r) => ({
        sportId: sportIds.get(r.sport)!,
        code: r.code,
        name: r.name,
        country: r.country,
        timezone: r.timezone,
        tieBreaks: defaultTieBreaks(r.sport),
      })),
    )
    .onConflictDoNothing();
  const rows = await tx
    .select({ id: competitions.id, sportId: competitions.sportId, code: competitions.code, timezone: competitions.timezone, country: competitions.country })
    .from(competitions)
    .where(inArray(competitions.code, [...byCode.keys()]));
  return new Map(rows.map((r) => [r.code, r]));
}

/**
 * Season ids for (competition, name) pairs, created when missing; start and end dates widen
 * to cover the matches seen, never narrow.
 */
export async function ensureSeasons(
  tx: Tx,
  wanted: { competitionId: number; name: string; first: string; last: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const w of wanted) {
    const [row] = await tx
      .insert(seasons)
      .values({ competitionId: w.competitionId, name: w.name, startDate: w.first, endDate: w.last })
      .onConflictDoNothing()
      .returning({ id: seasons.id });
    if (row) {
      out.set(`${w.competitionId}|${w.name}`, row.id);
      continue;
    }
    const [found] = await tx
      .select({ id: seasons.id, start: seasons.startDate, end: seasons.endDate })
      .from(seasons)
      .where(and(eq(seasons.competitionId, w.competitionId), eq(seasons.name, w.name)));
    if (!found) throw new Error(`season ${w.name} vanished while importing`);
    const start = found.start === null || w.first < found.start ? w.first : found.start;
    const end = found.end === null || w.last > found.end ? w.last : found.end;
    if (start !== found.start || end !== found.end) {
      await tx.update(seasons).set({ startDate: start, endDate: end }).where(eq(seasons.id, found.id));
    }
    out.set(`${w.competitionId}|${w.name}`, found.id);
  }
  return out;
}

export type BookmakerKind = 'bookmaker' | 'aggregate' | 'exchange';

/** Names of the bookmaker codes the shipped parsers emit; a parser may name others itself. */
export const KNOWN_BOOKMAKERS: Record<string, { name: string; kind: BookmakerKind }> = {
  bet365: { name: 'Bet365', kind: 'bookmaker' },
  bwin: { name: 'Bwin', kind: 'bookmaker' },
  interwetten: { name: 'Interwetten', kind: 'bookmaker' },
  ladbrokes: { name: 'Ladbrokes', kind: 'bookmaker' },
  pinnacle: { name: 'Pinnacle', kind: 'bookmaker' },
  sportingbet: { name: 'Sportingbet', kind: 'bookmaker' },
  william_hill: { name: 'William Hill', kind: 'bookmaker' },
  betvictor: { name: 'BetVictor', kind: 'bookmaker' },
  gamebookers: { name: 'Gamebookers', kind: 'bookmaker' },
  stan_james: { name: 'Stan James', kind: 'bookmaker' },
  blue_square: { name: 'Blue Square', kind: 'bookmaker' },
  sporting_odds: { name: 'Sporting Odds', kind: 'bookmaker' },
  stanleybet: { name: 'Stanleybet', kind: 'bookmaker' },
  '1xbet': { name: '1xBet', kind: 'bookmaker' },
  betfair: { name: 'Betfair Sportsbook', kind: 'bookmaker' },
  betfair_exchange: { name: 'Betfair Exchange', kind: 'exchange' },
  betfred: { name: 'Betfred', kind: 'bookmaker' },
  betmgm: { name: 'BetMGM', kind: 'bookmaker' },
  coral: { name: 'Coral', kind: 'bookmaker' },
  betbrain_max: { name: 'BetBrain maximum (football-data.co.uk)', kind: 'aggregate' },
  betbrain_avg: { name: 'BetBrain average (football-data.co.uk)', kind: 'aggregate' },
  fd_market_max: { name: 'Market maximum (football-data.co.uk)', kind: 'aggregate' },
  fd_market_avg: { name: 'Market average (football-data.co.uk)', kind: 'aggregate' },
  market_avg: { name: 'Market average (aggregated opening/closing odds file)', kind: 'aggregate' },
};

export async function ensureBookmakers(
  tx: Tx,
  codes: Iterable<string>,
  named: { code: string; name: string; kind: BookmakerKind }[] = [],
): Promise<Map<string, number>> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return new Map();
  const given = new Map(named.map((b) => [b.code, b]));
  await tx
    .insert(bookmakers)
    .values(wanted.map((code) => ({ code, ...(given.get(code) ?? KNOWN_BOOKMAKERS[code] ?? { name: code, kind: 'bookmaker' }) })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: bookmakers.id, code: bookmakers.code }).from(bookmakers).where(inArray(bookmakers.code, wanted));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function ensureVenues(tx: Tx, names: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return new Map();
  await tx
    .insert(venues)
    .values(wanted.map((name) => ({ name })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: venues.id, name: venues.name }).from(venues).where(inArray(venues.name, wanted));
  return new Map(rows.map((r) => [r.name, r.id]));
}
