// What the models read from the catalogue: a competition's matches as HistoryMatch rows and
// bookmaker quotes (1X2, moneyline, spread and total lines) per match and phase. Queries are
// bounded by competition; a competition's whole history is a few thousand rows.
import { and, asc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { bookmakers, competitions, matches, odds, seasons, sports, teamMatchStats, type OddsPhase } from '../../db/schema/index.js';
import { impliedPoissonGoals } from '../../models/markets.js';
import { marketForecast, type Quote } from './engine/forecast.js';
import type { HistoryMatch } from './engine/history.js';
import { MARGIN_METHOD, type SportSettings } from './engine/params.js';

export interface CompetitionInfo {
  id: number;
  code: string;
  name: string;
  sportId: number;
  sport: string;
  drawsPossible: boolean;
}

const competitionCols = {
  id: competitions.id,
  code: competitions.code,
  name: competitions.name,
  sportId: competitions.sportId,
  sport: sports.code,
  drawsPossible: sports.drawsPossible,
};

export async function findCompetitions(db: Executor, filter: { sport?: string; competitionId?: number } = {}): Promise<CompetitionInfo[]> {
  const where = [];
  if (filter.sport !== undefined) where.push(eq(sports.code, filter.sport));
  if (filter.competitionId !== undefined) where.push(eq(competitions.id, filter.competitionId));
  return db
    .select(competitionCols)
    .from(competitions)
    .innerJoin(sports, eq(sports.id, competitions.sportId))
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(asc(competitions.id))
    .limit(10_000);
}

export async function findCompetition(db: Executor, id: number): Promise<CompetitionInfo | null> {
  const [row] = await findCompetitions(db, { competitionId: id });
  return row ?? null;
}

/**
 * A competition's matches (results and fixtures) in date order; with `range`, only those dated
 * within it (inclusive). With `closingLines`, each result carries its closing spread and total
 * (`closingLine`, null without both) from that bookmaker or the preferred ones (loadQuotes), for
 * sports whose margin model fits earlier games' lines (engine/params.ts).
 */
export async function loadHistory(
  db: Executor,
  competitionId: number,
  range?: { from: string; to: string },
  options: HistoryOptions = {},
): Promise<HistoryMatch[]> {
  const rows = await db
    .select({
      id: matches.id,
      date: matches.matchDate,
      season: seasons.name,
      home: matches.homeTeamId,
      away: matches.awayTeamId,
      status: matches.status,
      homeScore: matches.homeScore,
      awayScore: matches.awayScore,
      neutral: matches.neutral,
    })
    .from(matches)
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(eq(matches.competitionId, competitionId), isNull(matches.ownerUserId), ...(range ? [gte(matches.matchDate, range.from), lte(matches.matchDate, range.to)] : [])))
    .orderBy(asc(matches.matchDate), asc(matches.id))
    .limit(200_000);
  const isFinal = (r: (typeof rows)[number]) => r.status === 'final' && r.homeScore !== null && r.awayScore !== null;
  const quoted = options.closingLines ?? options.closingGoals;
  const quotes = quoted ? await loadQuotes(db, rows.filter(isFinal).map((r) => r.id), quoted.bookmaker) : null;
  const goalsOf = (id: number) => {
    const q = quotes?.get(id)?.closing;
    if (!q || !hasPrices(q) || q.draw === null) return null;
    const p = marketForecast(q, MARGIN_METHOD);
    return impliedPoissonGoals(p.home, p.away);
  };
  const shots = options.shots ? await loadShotsOnTarget(db, competitionId) : null;
  const lineOf = (id: number) => {
    const q = quotes?.get(id)?.closing;
    return q && Number.isFinite(q.spreadLine) && Number.isFinite(q.totalLine) ? { spread: q.spreadLine!, total: q.totalLine! } : null;
  };
  // One object literal per match (copying with `{ ...m, closingLine }` afterwards made objects
  // that the walk-forward's loops read about 15 times slower on Node 20).
  return rows.map((r) => {
    const final = isFinal(r);
    return {
      id: r.id,
      date: r.date,
      season: r.season,
      home: r.home,
      away: r.away,
      homeScore: final ? r.homeScore : null,
      awayScore: final ? r.awayScore : null,
      neutral: r.neutral,
      ...(r.status === 'postponed' || r.status === 'cancelled' ? { cancelled: true } : {}),
      ...(options.closingLines ? { closingLine: final ? lineOf(r.id) : null } : {}),
      ...(options.closingGoals ? { marketGoals: final ? goalsOf(r.id) : null } : {}),
      ...(shots ? { shotsOnTarget: final ? (shots.get(r.id) ?? null) : null } : {}),
    };
  });
}

/** What loadHistory must attach for a sport's settings: closing lines for a margin model that fits them, shot counts for a goal model that blends them. */
export interface HistoryOptions {
  closingLines?: { bookmaker?: string };
  /** Attach the goals each result's closing 1X2 prices imply (`marketGoals`), for a goal model that blends them. */
  closingGoals?: { bookmaker?: string };
  shots?: boolean;
}

export function historyOptions(settings: SportSettings, bookmaker?: string): HistoryOptions {
  return {
    ...(settings.margin?.marketLines ? { closingLines: bookmaker !== undefined ? { bookmaker } : {} } : {}),
    ...((settings.goals?.marketBlend ?? 0) > 0 ? { closingGoals: bookmaker !== undefined ? { bookmaker } : {} } : {}),
    ...((settings.goals?.shotsBlend ?? 0) > 0 ? { shots: true } : {}),
  };
}

/** Shots on target per side of a competition's matches that have both sides' counts (team_match_stats). */
async function loadShotsOnTarget(db: Executor, competitionId: number): Promise<Map<number, { home: number; away: number }>> {
  const rows = await db
    .select({ matchId: teamMatchStats.matchId, side: teamMatchStats.side, sot: sql<string | null>`${teamMatchStats.stats}->>'shots_on_target'` })
    .from(teamMatchStats)
    .innerJoin(matches, eq(matches.id, teamMatchStats.matchId))
    .where(and(eq(matches.competitionId, competitionId), isNull(matches.ownerUserId)));
  const sides = new Map<number, { home?: number; away?: number }>();
  for (const r of rows) {
    const v = r.sot === null ? Number.NaN : Number(r.sot);
    if (!Number.isFinite(v) || v < 0 || (r.side !== 'home' && r.side !== 'away')) continue;
    const e = sides.get(r.matchId) ?? {};
    e[r.side] = v;
    sides.set(r.matchId, e);
  }
  const out = new Map<number, { home: number; away: number }>();
  for (const [id, e] of sides) if (e.home !== undefined && e.away !== undefined) out.set(id, { home: e.home, away: e.away });
  return out;
}

export interface MatchQuotes {
  opening?: Quote;
  closing?: Quote;
  /** The most recent snapshot price before kick-off, when a live feed stored any. */
  snapshot?: Quote;
}

interface Partial1x2 {
  home?: number;
  draw?: number;
  away?: number;
  moneyHome?: number;
  moneyAway?: number;
  spread?: number;
  total?: number;
}

/** Bookmakers whose prices the market forecast prefers, best first (aggregates before single books). */
export const PREFERRED_BOOKMAKERS = ['market_avg', 'pinnacle', 'closing_line', 'market_max', 'bet365'] as const;

/**
 * Quotes for the given matches from one bookmaker, or with `bookmaker` omitted from the first
 * of PREFERRED_BOOKMAKERS that has a complete market for the match and phase.
 */
export async function loadQuotes(db: Executor, matchIds: readonly number[], bookmaker?: string): Promise<Map<number, MatchQuotes>> {
  const out = new Map<number, MatchQuotes>();
  if (matchIds.length === 0) return out;
  const books: readonly string[] = bookmaker ? [bookmaker] : PREFERRED_BOOKMAKERS;
  const parts = new Map<string, Partial1x2>();
  const chunk = 5000;
  for (let i = 0; i < matchIds.length; i += chunk) {
    const rows = await db
      .select({ matchId: odds.matchId, book: bookmakers.code, market: odds.market, selection: odds.selection, line: odds.line, price: odds.price, phase: odds.phase, capturedAt: odds.capturedAt })
      .from(odds)
      .innerJoin(bookmakers, eq(bookmakers.id, odds.bookmakerId))
      .where(and(inArray(odds.matchId, matchIds.slice(i, i + chunk)), inArray(bookmakers.code, [...books]), inArray(odds.market, ['1x2', 'moneyline', 'spread', 'total'])))
      .orderBy(asc(odds.capturedAt))
      .limit(2_000_000);
    for (const r of rows) {
      // Later snapshots overwrite earlier ones (rows come oldest first).
      const key = `${r.matchId}|${r.book}|${r.phase}`;
      const p = parts.get(key) ?? {};
      if (r.market === '1x2' && (r.selection === 'home' || r.selection === 'draw' || r.selection === 'away')) p[r.selection] = r.price;
      else if (r.market === 'moneyline' && r.selection === 'home') p.moneyHome = r.price;
      else if (r.market === 'moneyline' && r.selection === 'away') p.moneyAway = r.price;
      else if (r.market === 'spread' && r.selection === 'home' && r.line !== null) p.spread = r.line;
      else if (r.market === 'total' && r.selection === 'over' && r.line !== null) p.total = r.line;
      parts.set(key, p);
    }
  }
  for (const id of matchIds) {
    const q: MatchQuotes = {};
    for (const phase of ['opening', 'closing', 'snapshot'] as const satisfies readonly OddsPhase[]) {
      for (const book of books) {
        const quote = toQuote(parts.get(`${id}|${book}|${phase}`), book);
        if (quote) {
          q[phase] = quote;
          break;
        }
      }
    }
    if (q.opening || q.closing || q.snapshot) out.set(id, q);
  }
  return out;
}

function toQuote(p: Partial1x2 | undefined, bookmaker: string): Quote | null {
  if (!p) return null;
  const lines = { spreadLine: p.spread ?? null, totalLine: p.total ?? null, bookmaker };
  if (p.home !== undefined && p.draw !== undefined && p.away !== undefined) return { home: p.home, draw: p.draw, away: p.away, ...lines };
  if (p.moneyHome !== undefined && p.moneyAway !== undefined) return { home: p.moneyHome, draw: null, away: p.moneyAway, ...lines };
  // Lines without prices (the NFL archive): a quote with no price market.
  if (p.spread !== undefined || p.total !== undefined) return { home: NaN, draw: null, away: NaN, ...lines };
  return null;
}

/** Whether a quote has usable prices (decimal odds above 1); a broken price is skipped, not fatal. */
export function hasPrices(q: Quote): boolean {
  const ok = (p: number) => Number.isFinite(p) && p > 1;
  return ok(q.home) && ok(q.away) && (q.draw === null || ok(q.draw));
}
