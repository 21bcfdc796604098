// SQL for competitions: filtered pages, seasons with match counts, a season's matches for
// the standings, and top scorers from player match statistics.
import { and, asc, count, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { competitions, GRASSROOTS_COMPETITION, matches, playerMatchStats, players, seasons, sports, teams } from '../../db/schema/index.js';
import { isCatalogueMatch, teamRefCols } from './refs.js';

export interface CompetitionCriteria {
  sportId?: number;
  country?: string;
  kind?: string;
}

const summaryCols = {
  id: competitions.id,
  code: competitions.code,
  name: competitions.name,
  country: competitions.country,
  sport: sports.code,
  kind: competitions.kind,
  isDemo: competitions.isDemo,
};

export async function findCompetitionPage(db: Executor, c: CompetitionCriteria, limit: number, offset: number) {
  // The container of user-owned live matches is not a catalogue competition.
  const cond = and(
    ne(competitions.code, GRASSROOTS_COMPETITION),
    c.sportId !== undefined ? eq(competitions.sportId, c.sportId) : undefined,
    c.country !== undefined ? eq(sql`lower(${competitions.country})`, c.country.toLowerCase()) : undefined,
    c.kind !== undefined ? eq(competitions.kind, c.kind) : undefined,
  );
  const [rows, totals] = await Promise.all([
    db
      .select(summaryCols)
      .from(competitions)
      .innerJoin(sports, eq(sports.id, competitions.sportId))
      .where(cond)
      .orderBy(asc(competitions.name), asc(competitions.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(competitions).where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

export type CompetitionSummaryRow = Awaited<ReturnType<typeof findCompetitionPage>>['rows'][number];

export async function findSportCode(db: Executor, sportId: number): Promise<string> {
  const [row] = await db.select({ code: sports.code }).from(sports).where(eq(sports.id, sportId)).limit(1);
  return row?.code ?? '';
}

/** Seasons newest first (by their latest match, then start date, then name). */
export async function findSeasonPage(db: Executor, competitionId: number, limit: number, offset: number) {
  const lastDate = sql<string | null>`max(${matches.matchDate})`;
  const cond = eq(seasons.competitionId, competitionId);
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: seasons.id,
        name: seasons.name,
        startDate: seasons.startDate,
        endDate: seasons.endDate,
        matches: sql<number>`count(${matches.id})::int`,
        finished: sql<number>`count(${matches.id}) filter (where ${matches.status} = 'final')::int`,
        firstDate: sql<string | null>`min(${matches.matchDate})`,
        lastDate,
      })
      .from(seasons)
      .leftJoin(matches, and(eq(matches.seasonId, seasons.id), isNull(matches.ownerUserId)))
      .where(cond)
      .groupBy(seasons.id, seasons.name, seasons.startDate, seasons.endDate)
      .orderBy(sql`${lastDate} desc nulls last`, sql`${seasons.startDate} desc nulls last`, desc(seasons.name))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(seasons).where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

/** A season's regular-season (non-playoff) matches, for the table. */
export async function findSeasonMatches(db: Executor, seasonId: number) {
  return db
    .select({
      id: matches.id,
      homeTeamId: matches.homeTeamId,
      awayTeamId: matches.awayTeamId,
      homeScore: matches.homeScore,
      awayScore: matches.awayScore,
      status: matches.status,
      matchDate: matches.matchDate,
      kickoffAt: matches.kickoffAt,
    })
    .from(matches)
    .where(and(eq(matches.seasonId, seasonId), eq(matches.isPlayoff, false), isCatalogueMatch))
    .limit(10_000);
}

export async function findTeamRefs(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select(teamRefCols(teams))
    .from(teams)
    .where(inArray(teams.id, ids))
    .limit(ids.length);
}

export async function findTopScorers(db: Executor, seasonId: number, limit: number, offset: number) {
  const goals = sql<number>`sum(${playerMatchStats.goals})::int`;
  const assists = sql<number | null>`sum(${playerMatchStats.assists})::int`;
  const minutes = sql<number | null>`sum(${playerMatchStats.minutes})::int`;
  const scoped = and(eq(matches.seasonId, seasonId), isCatalogueMatch) as SQL;
  const grouped = db
    .select({
      playerId: playerMatchStats.playerId,
      goals: goals.as('goals'),
      assists: assists.as('assists'),
      minutes: minutes.as('minutes'),
      appearances: sql<number>`count(*) filter (where coalesce(${playerMatchStats.minutes}, 1) > 0)::int`.as('appearances'),
      // The team of the player's latest match in the season (players move mid-season).
      teamId: sql<number>`(array_agg(${playerMatchStats.teamId} order by ${matches.matchDate} desc, ${matches.id} desc))[1]`.as('team_id'),
    })
    .from(playerMatchStats)
    .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
    .where(scoped)
    .groupBy(playerMatchStats.playerId)
    .having(sql`sum(${playerMatchStats.goals}) > 0`)
    .as('scorers');
  const [rows, totals] = await Promise.all([
    db
      .select({
        playerId: grouped.playerId,
        name: players.name,
        position: players.position,
        goals: grouped.goals,
        assists: grouped.assists,
        minutes: grouped.minutes,
        appearances: grouped.appearances,
        team: teamRefCols(teams),
      })
      .from(grouped)
      .innerJoin(players, eq(players.id, grouped.playerId))
      .leftJoin(teams, eq(teams.id, grouped.teamId))
      .orderBy(desc(grouped.goals), sql`${grouped.assists} desc nulls last`, sql`${grouped.minutes} asc nulls last`, asc(players.name), asc(players.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(grouped),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}
