// SQL for matches: filtered pages (one joined query plus an index-friendly count), detail,
// box score and stored odds. Every query is bounded.
import { and, asc, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  bookmakers,
  matches,
  matchSources,
  odds,
  playerMatchStats,
  players,
  teamMatchStats,
  venues,
  type MatchStatus,
} from '../../db/schema/index.js';
import { hydrateMatches, isCatalogueMatch, selectMatchBase, type MatchRow } from './refs.js';

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

export async function findMatchPage(
  db: Executor,
  criteria: MatchCriteria,
  sort: SortOrder,
  limit: number,
  offset: number,
): Promise<{ rows: MatchRow[]; total: number }> {
  const cond = where(criteria);
  const [rows, totals] = await Promise.all([
    selectMatchBase(db).where(cond).orderBy(...orderFor(sort)).limit(limit).offset(offset),
    db.select({ n: count() }).from(matches).where(cond),
  ]);
  return { rows: await hydrateMatches(db, rows), total: Number(totals[0]?.n ?? 0) };
}

export async function findMatchRow(db: Executor, id: number): Promise<MatchRow | undefined> {
  const [row] = await hydrateMatches(db, await selectMatchBase(db).where(and(eq(matches.id, id), isCatalogueMatch)).limit(1));
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
