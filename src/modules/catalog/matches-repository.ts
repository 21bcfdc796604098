// SQL for matches: filtered pages (one joined statement per page, keyset or offset, plus a
// count the caller may cache), detail,
// box score and stored odds. Every query is bounded.
import { and, asc, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  bookmakers,
  competitions,
  matches,
  matchSources,
  odds,
  playerMatchStats,
  players,
  seasons,
  sports,
  teamMatchStats,
  venues,
  type MatchStatus,
} from '../../db/schema/index.js';
import { awayTeam, competitionRefCols, homeTeam, isCatalogueMatch, matchPageCols, teamRefCols, type MatchRow } from './refs.js';

/** A match filter after names have been resolved to ids. */
export interface MatchCriteria {
  matchIds?: number[];
  sportId?: number;
  competitionId?: number;
  seasonIds?: number[];
  teamId?: number;
  dateFrom?: string;
  dateTo?: string;
  statuses?: MatchStatus[];
}

export type SortOrder = 'date' | '-date';

function where(c: MatchCriteria): SQL | undefined {
  const parts: (SQL | undefined)[] = [isCatalogueMatch];
  if (c.matchIds !== undefined) parts.push(inArray(matches.id, c.matchIds));
  if (c.sportId !== undefined) parts.push(eq(matches.sportId, c.sportId));
  if (c.competitionId !== undefined) parts.push(eq(matches.competitionId, c.competitionId));
  if (c.seasonIds !== undefined) parts.push(inArray(matches.seasonId, c.seasonIds));
  if (c.teamId !== undefined) parts.push(or(eq(matches.homeTeamId, c.teamId), eq(matches.awayTeamId, c.teamId)));
  if (c.dateFrom !== undefined) parts.push(gte(matches.matchDate, c.dateFrom));
  if (c.dateTo !== undefined) parts.push(lte(matches.matchDate, c.dateTo));
  if (c.statuses !== undefined) parts.push(c.statuses.length === 1 ? eq(matches.status, c.statuses[0]!) : inArray(matches.status, c.statuses));
  return and(...parts);
}

// Matches the (match_date, kickoff_at, id) index in both directions, so a page is an index scan.
const orderFor = (sort: SortOrder) =>
  sort === 'date'
    ? [asc(matches.matchDate), asc(matches.kickoffAt), asc(matches.id)]
    : [desc(matches.matchDate), desc(matches.kickoffAt), desc(matches.id)];

/** Where the previous page ended (keyset pagination): the last row's sort key. */
export interface MatchCursor {
  sort: SortOrder;
  matchDate: string;
  kickoffAt: string | null;
  id: number;
}

/**
 * Rows strictly after the cursor in the page order. PostgreSQL sorts NULL kick-offs last
 * ascending and first descending (the index's own order), so the comparison is spelled out
 * rather than a row comparison; the bare date bound lets the index start at the cursor.
 */
function after(c: MatchCursor): SQL {
  const k = c.kickoffAt === null ? null : new Date(c.kickoffAt);
  if (c.sort === 'date') {
    const sameDay =
      k === null
        ? sql`(${matches.kickoffAt} is null and ${matches.id} > ${c.id})`
        : sql`(${matches.kickoffAt} > ${k} or (${matches.kickoffAt} = ${k} and ${matches.id} > ${c.id}) or ${matches.kickoffAt} is null)`;
    return sql`(${matches.matchDate} >= ${c.matchDate} and (${matches.matchDate} > ${c.matchDate} or (${matches.matchDate} = ${c.matchDate} and ${sameDay})))`;
  }
  const sameDay =
    k === null
      ? sql`((${matches.kickoffAt} is null and ${matches.id} < ${c.id}) or ${matches.kickoffAt} is not null)`
      : sql`(${matches.kickoffAt} < ${k} or (${matches.kickoffAt} = ${k} and ${matches.id} < ${c.id}))`;
  return sql`(${matches.matchDate} <= ${c.matchDate} and (${matches.matchDate} < ${c.matchDate} or (${matches.matchDate} = ${c.matchDate} and ${sameDay})))`;
}


/**
 * One page of matches with their teams, competition, season, sport and venue in a single
 * statement: the page is cut from the date index first (the inner select), then the six
 * look-ups join to at most `limit` rows. Exported so the benchmark's bare ceiling server runs
 * exactly this SQL (bench/pg-ceiling.ts).
 */
export function matchPageQuery(db: Executor, criteria: MatchCriteria, sort: SortOrder, limit: number, offset: number, cursor?: MatchCursor) {
  const cond = cursor ? and(where(criteria), after(cursor)) : where(criteria);
  const page = db
    .select(matchPageCols)
    .from(matches)
    .where(cond)
    .orderBy(...orderFor(sort))
    .limit(limit)
    .offset(cursor ? 0 : offset)
    .as('p');
  const dir = sort === 'date' ? asc : desc;
  // The match's own columns as the subquery exposes them ("p"."id", ...).
  const pageFields = Object.fromEntries(Object.keys(matchPageCols).map((k) => [k, page[k as keyof typeof matchPageCols]])) as {
    [K in keyof typeof matchPageCols]: (typeof page)[K];
  };
  return db
    .select({
      page: pageFields,
      home: teamRefCols(homeTeam),
      away: teamRefCols(awayTeam),
      season: { id: seasons.id, name: seasons.name },
      competition: competitionRefCols,
      sport: sports.code,
      venue: venues.name,
    })
    .from(page)
    .innerJoin(homeTeam, eq(homeTeam.id, page.homeTeamId))
    .innerJoin(awayTeam, eq(awayTeam.id, page.awayTeamId))
    .innerJoin(seasons, eq(seasons.id, page.seasonId))
    .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
    .innerJoin(sports, eq(sports.id, competitions.sportId))
    .leftJoin(venues, eq(venues.id, page.venueId))
    .orderBy(dir(page.matchDate), dir(page.kickoffAt), dir(page.id));
}

/** How many matches a filter selects: the exact count, which callers may cache (countMatches). */
export async function countMatches(db: Executor, criteria: MatchCriteria): Promise<number> {
  const [row] = await db.select({ n: count() }).from(matches).where(where(criteria));
  return Number(row?.n ?? 0);
}

export interface MatchPageResult {
  rows: MatchRow[];
  total: number;
  /** Whether the total was counted for this request or read from the count cache. */
  totalSource: 'counted' | 'cached';
  /** Where the next page starts, or null on the last page. */
  next: MatchCursor | null;
}

/** Matches with their names, in page order, without a count (matchPageQuery run and flattened). */
export async function findMatchRows(db: Executor, criteria: MatchCriteria, sort: SortOrder, limit: number, offset = 0, cursor?: MatchCursor): Promise<MatchRow[]> {
  const found = await matchPageQuery(db, criteria, sort, limit, offset, cursor);
  return found.map((r) => ({ ...r.page, sport: r.sport, competition: r.competition, season: r.season, home: r.home, away: r.away, venue: r.venue ?? null }));
}

export async function findMatchPage(
  db: Executor,
  criteria: MatchCriteria,
  sort: SortOrder,
  limit: number,
  offset: number,
  opts: { cursor?: MatchCursor; total?: (count: () => Promise<number>) => Promise<{ total: number; cached: boolean }> } = {},
): Promise<MatchPageResult> {
  // One row more than the page tells whether there is a next page without a count.
  const [found, counted] = await Promise.all([
    findMatchRows(db, criteria, sort, limit + 1, offset, opts.cursor),
    opts.total ? opts.total(() => countMatches(db, criteria)) : countMatches(db, criteria).then((total) => ({ total, cached: false })),
  ]);
  const more = found.length > limit;
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    rows,
    total: counted.total,
    totalSource: counted.cached ? 'cached' : 'counted',
    next: more && last ? { sort, matchDate: last.matchDate, kickoffAt: last.kickoffAt?.toISOString() ?? null, id: last.id } : null,
  };
}

export async function findMatchRow(db: Executor, id: number): Promise<MatchRow | undefined> {
  const [row] = await findMatchRows(db, { matchIds: [id] }, 'date', 1);
  return row;
}

export async function findMatchExtras(db: Executor, id: number) {
  const [[row], sources] = await Promise.all([
    db
      .select({
        homeScoreHt: matches.homeScoreHt,
        awayScoreHt: matches.awayScoreHt,
        periodScores: matches.periodScores,
        referee: matches.referee,
        attendance: matches.attendance,
        venueId: venues.id,
        venueCity: venues.city,
        venueCountry: venues.country,
        venueCapacity: venues.capacity,
        updatedAt: matches.updatedAt,
      })
      .from(matches)
      .leftJoin(venues, eq(venues.id, matches.venueId))
      .where(eq(matches.id, id))
      .limit(1),
    db
      .select({ source: matchSources.source, sourceRef: matchSources.sourceRef, firstSeenAt: matchSources.firstSeenAt })
      .from(matchSources)
      .where(eq(matchSources.matchId, id))
      .orderBy(asc(matchSources.firstSeenAt), asc(matchSources.source))
      .limit(100),
  ]);
  return { extras: row, sources };
}

export async function findMatchStats(db: Executor, id: number) {
  const [teamStats, playerStats] = await Promise.all([
    db
      .select({ teamId: teamMatchStats.teamId, side: teamMatchStats.side, stats: teamMatchStats.stats })
      .from(teamMatchStats)
      .where(eq(teamMatchStats.matchId, id))
      .limit(4),
    db
      .select({
        playerId: playerMatchStats.playerId,
        name: players.name,
        position: players.position,
        teamId: playerMatchStats.teamId,
        started: playerMatchStats.started,
        minutes: playerMatchStats.minutes,
        goals: playerMatchStats.goals,
        assists: playerMatchStats.assists,
        shots: playerMatchStats.shots,
        shotsOnTarget: playerMatchStats.shotsOnTarget,
        yellowCards: playerMatchStats.yellowCards,
        redCards: playerMatchStats.redCards,
        ownGoals: playerMatchStats.ownGoals,
        saves: playerMatchStats.saves,
        points: playerMatchStats.points,
        rebounds: playerMatchStats.rebounds,
        extra: playerMatchStats.extra,
      })
      .from(playerMatchStats)
      .innerJoin(players, eq(players.id, playerMatchStats.playerId))
      .where(eq(playerMatchStats.matchId, id))
      // Starters first, then by minutes played: the usual box-score order.
      .orderBy(sql`${playerMatchStats.started} desc nulls last`, sql`${playerMatchStats.minutes} desc nulls last`, asc(players.name))
      .limit(200),
  ]);
  return { teamStats, playerStats };
}

export type PlayerStatRow = Awaited<ReturnType<typeof findMatchStats>>['playerStats'][number];

export interface OddsFilter {
  market?: string;
  phase?: string;
  bookmaker?: string;
}

export async function findMatchOdds(db: Executor, id: number, f: OddsFilter) {
  const parts: SQL[] = [eq(odds.matchId, id)];
  if (f.market !== undefined) parts.push(eq(odds.market, f.market as (typeof odds.market)['_']['data']));
  if (f.phase !== undefined) parts.push(eq(odds.phase, f.phase as (typeof odds.phase)['_']['data']));
  if (f.bookmaker !== undefined) parts.push(eq(bookmakers.code, f.bookmaker));
  return db
    .select({
      market: odds.market,
      selection: odds.selection,
      line: odds.line,
      price: odds.price,
      phase: odds.phase,
      capturedAt: odds.capturedAt,
      source: odds.source,
      bookmaker: bookmakers.code,
      bookmakerName: bookmakers.name,
      bookmakerKind: bookmakers.kind,
    })
    .from(odds)
    .innerJoin(bookmakers, eq(bookmakers.id, odds.bookmakerId))
    .where(and(...parts))
    .orderBy(asc(odds.market), sql`${odds.line} asc nulls first`, asc(bookmakers.code), asc(odds.phase), sql`${odds.capturedAt} asc nulls first`, asc(odds.selection))
    .limit(5000);
}

export type OddsRow = Awaited<ReturnType<typeof findMatchOdds>>[number];
