// SQL for matches: filtered pages (one joined statement per page, keyset or offset, plus a
// count the caller may cache), detail,
// box score and stored odds. Every query is bounded.
import { and, asc, count, desc, eq, gte, inArray, is, lte, or, Placeholder, sql, type SQL } from 'drizzle-orm';
import { arrayRows, type Executor } from '../../db/client.js';
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
  return criteriaParts(c).cond();
}

const P = (name: string) => sql.placeholder(name);

/**
 * A filter as SQL with placeholders, the values to fill them and a key naming its shape
 * (which filters are present): every request with the same shape runs one prepared statement.
 */
function criteriaParts(c: MatchCriteria, withPlaceholders = false): { cond: () => SQL | undefined; values: Record<string, unknown>; shape: string } {
  const parts: (() => SQL | undefined)[] = [() => isCatalogueMatch];
  const values: Record<string, unknown> = {};
  let shape = '';
  const add = (name: string, value: unknown, literal: () => SQL | undefined, prepared: (p: Placeholder) => SQL) => {
    values[name] = value;
    shape += `${name};`;
    parts.push(withPlaceholders ? () => prepared(P(name)) : literal);
  };
  if (c.matchIds !== undefined) add('matchIds', c.matchIds, () => inArray(matches.id, c.matchIds!), (p) => sql`${matches.id} = any(${p}::integer[])`);
  if (c.sportId !== undefined) add('sportId', c.sportId, () => eq(matches.sportId, c.sportId!), (p) => sql`${matches.sportId} = ${p}`);
  if (c.competitionId !== undefined) add('competitionId', c.competitionId, () => eq(matches.competitionId, c.competitionId!), (p) => sql`${matches.competitionId} = ${p}`);
  if (c.seasonIds !== undefined) add('seasonIds', c.seasonIds, () => inArray(matches.seasonId, c.seasonIds!), (p) => sql`${matches.seasonId} = any(${p}::integer[])`);
  if (c.teamId !== undefined) add('teamId', c.teamId, () => or(eq(matches.homeTeamId, c.teamId!), eq(matches.awayTeamId, c.teamId!)), (p) => sql`(${matches.homeTeamId} = ${p} or ${matches.awayTeamId} = ${p})`);
  if (c.dateFrom !== undefined) add('dateFrom', c.dateFrom, () => gte(matches.matchDate, c.dateFrom!), (p) => sql`${matches.matchDate} >= ${p}::date`);
  if (c.dateTo !== undefined) add('dateTo', c.dateTo, () => lte(matches.matchDate, c.dateTo!), (p) => sql`${matches.matchDate} <= ${p}::date`);
  if (c.statuses !== undefined) {
    add(
      'statuses',
      c.statuses,
      () => (c.statuses!.length === 1 ? eq(matches.status, c.statuses![0]!) : inArray(matches.status, c.statuses!)),
      (p) => sql`${matches.status} = any(${p}::text[])`,
    );
  }
  return { cond: () => and(...parts.map((part) => part())), values, shape };
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
  return cursorParts(c).cond;
}

/** The cursor condition with placeholders (values alongside), shaped by sort and a null kick-off. */
function cursorParts(c: MatchCursor, withPlaceholders = false): { cond: SQL; values: Record<string, unknown>; shape: string } {
  const values = { afterDate: c.matchDate, afterKickoff: c.kickoffAt, afterId: c.id };
  const d = withPlaceholders ? sql`${P('afterDate')}::date` : sql`${c.matchDate}`;
  const k = withPlaceholders ? sql`${P('afterKickoff')}::timestamptz` : sql`${c.kickoffAt === null ? null : new Date(c.kickoffAt)}`;
  const id = withPlaceholders ? sql`${P('afterId')}::integer` : sql`${c.id}`;
  const shape = `after:${c.sort}:${c.kickoffAt === null ? 'null' : 'at'};`;
  if (c.sort === 'date') {
    const sameDay =
      c.kickoffAt === null
        ? sql`(${matches.kickoffAt} is null and ${matches.id} > ${id})`
        : sql`(${matches.kickoffAt} > ${k} or (${matches.kickoffAt} = ${k} and ${matches.id} > ${id}) or ${matches.kickoffAt} is null)`;
    return { cond: sql`(${matches.matchDate} >= ${d} and (${matches.matchDate} > ${d} or (${matches.matchDate} = ${d} and ${sameDay})))`, values, shape };
  }
  const sameDay =
    c.kickoffAt === null
      ? sql`((${matches.kickoffAt} is null and ${matches.id} < ${id}) or ${matches.kickoffAt} is not null)`
      : sql`(${matches.kickoffAt} < ${k} or (${matches.kickoffAt} = ${k} and ${matches.id} < ${id}))`;
  return { cond: sql`(${matches.matchDate} <= ${d} and (${matches.matchDate} < ${d} or (${matches.matchDate} = ${d} and ${sameDay})))`, values, shape };
}

/**
 * One page of matches with their teams, competition, season, sport and venue in a single
 * statement: the page is cut from the date index first (the inner select), then the six
 * look-ups join to at most `limit` rows.
 */
function pageQuery(db: Executor, cond: SQL | undefined, sort: SortOrder, limit: number | Placeholder, offset: number | Placeholder) {
  const page = db
    .select(matchPageCols)
    .from(matches)
    .where(cond)
    .orderBy(...orderFor(sort))
    .limit(limit)
    .offset(offset)
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

type PageQuery = ReturnType<typeof pageQuery>;
interface PagePlan {
  /** Statement name, SQL text and, per positional parameter, the placeholder it takes. */
  name: string;
  text: string;
  slots: ({ placeholder: string } | { literal: unknown })[];
  /** The same statement through drizzle, for executors without a raw client (transactions). */
  query: PageQuery;
}
const pagePlans = new WeakMap<object, Map<string, PagePlan>>();
let planSequence = 0;

/**
 * The page statement for a filter's shape (which filters, sort, cursor kind), built once per
 * executor and named, so PostgreSQL parses and plans it once per connection and a request
 * only fills in values. Building the query in drizzle and mapping its rows field by field
 * was most of the CPU of an uncached page (docs/benchmarks.md, issue 15).
 */
export function preparedMatchPage(db: Executor, criteria: MatchCriteria, sort: SortOrder, cursor?: MatchCursor): { plan: PagePlan; values: Record<string, unknown> } {
  const c = criteriaParts(criteria, true);
  const k = cursor ? cursorParts(cursor, true) : null;
  const shape = `${sort}|${c.shape}|${k?.shape ?? ''}`;
  let plans = pagePlans.get(db);
  if (!plans) {
    plans = new Map();
    pagePlans.set(db, plans);
  }
  let plan = plans.get(shape);
  if (!plan) {
    const query = pageQuery(db, k ? and(c.cond(), k.cond) : c.cond(), sort, P('limit'), P('offset'));
    const rendered = query.toSQL();
    plan = {
      name: `sl_match_page_${++planSequence}`,
      text: rendered.sql,
      slots: rendered.params.map((v) => (is(v, Placeholder) ? { placeholder: v.name } : { literal: v })),
      query,
    };
    plans.set(shape, plan);
  }
  return { plan, values: { ...c.values, ...(k?.values ?? {}) } };
}

/** A page row by position, in the order pageQuery selects (the match, home, away, season, competition, sport, venue). */
function pageRowOf(r: unknown[]): MatchRow {
  return {
    id: r[0] as number,
    seasonId: r[1] as number,
    homeTeamId: r[2] as number,
    awayTeamId: r[3] as number,
    venueId: r[4] as number | null,
    matchDate: r[5] as string,
    kickoffAt: r[6] as Date | null,
    status: r[7] as MatchStatus,
    neutral: r[8] as boolean,
    homeScore: r[9] as number | null,
    awayScore: r[10] as number | null,
    round: r[11] as string | null,
    isPlayoff: r[12] as boolean,
    home: { id: r[13] as number, name: r[14] as string, shortName: r[15] as string | null, abbreviation: r[16] as string | null, city: r[17] as string | null, logoUrl: r[18] as string | null },
    away: { id: r[19] as number, name: r[20] as string, shortName: r[21] as string | null, abbreviation: r[22] as string | null, city: r[23] as string | null, logoUrl: r[24] as string | null },
    season: { id: r[25] as number, name: r[26] as string },
    competition: { id: r[27] as number, code: r[28] as string, name: r[29] as string, country: r[30] as string | null },
    sport: r[31] as string,
    venue: (r[32] as string | null) ?? null,
  };
}

/** The page statement with its values inline (the same SQL as preparedMatchPage's). */
export function matchPageQuery(db: Executor, criteria: MatchCriteria, sort: SortOrder, limit: number, offset: number, cursor?: MatchCursor) {
  const cond = cursor ? and(where(criteria), after(cursor)) : where(criteria);
  return pageQuery(db, cond, sort, limit, cursor ? 0 : offset);
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
  const { plan, values } = preparedMatchPage(db, criteria, sort, cursor);
  const all: Record<string, unknown> = { ...values, limit, offset: cursor ? 0 : offset };
  const raw = await arrayRows(db, { name: plan.name, text: plan.text, values: plan.slots.map((s) => ('placeholder' in s ? all[s.placeholder] : s.literal)) });
  if (raw) return raw.map(pageRowOf);
  const found = await plan.query.execute(all);
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
