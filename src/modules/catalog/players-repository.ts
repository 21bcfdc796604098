// SQL for players: filtered pages and name search, detail with team spells, season totals
// and the per-match game log from player_match_stats.
import { and, asc, count, desc, eq, inArray, isNull, like, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { competitions, matches, playerMatchStats, players, playerTeamSpells, seasons, sports, teams } from '../../db/schema/index.js';
import { competitionRefCols, isCatalogueMatch, opponentTeam, teamRefCols } from './refs.js';
import { escapeLike } from './search-name.js';

export interface PlayerCriteria {
  sportId?: number;
  teamId?: number;
  position?: string;
  /** Normalised search words (toSearchName), each of which must appear in the name. */
  words?: string[];
}

const summaryCols = {
  id: players.id,
  name: players.name,
  position: players.position,
  sport: sports.code,
  shirtNumber: players.shirtNumber,
  nationality: players.nationality,
  injuryStatus: players.injuryStatus,
  team: teamRefCols(teams),
};

function playerWhere(c: PlayerCriteria): SQL | undefined {
  return and(
    isNull(players.ownerUserId),
    c.sportId !== undefined ? eq(players.sportId, c.sportId) : undefined,
    c.teamId !== undefined ? eq(players.currentTeamId, c.teamId) : undefined,
    c.position !== undefined ? eq(sql`upper(${players.position})`, c.position.toUpperCase()) : undefined,
    ...(c.words ?? []).map((w) => like(players.searchName, `%${escapeLike(w)}%`)),
  );
}

export async function findPlayerPage(db: Executor, c: PlayerCriteria, limit: number, offset: number) {
  const cond = playerWhere(c);
  const phrase = c.words?.join(' ');
  // Search results: the exact name, then names starting with the words, then any word starting with them.
  const relevance =
    phrase !== undefined
      ? [
          sql`case when ${players.searchName} = ${phrase} then 0
                   when ${players.searchName} like ${`${escapeLike(phrase)}%`} then 1
                   when ${players.searchName} like ${`% ${escapeLike(phrase)}%`} then 2
                   else 3 end`,
        ]
      : [];
  const [rows, totals] = await Promise.all([
    db
      .select(summaryCols)
      .from(players)
      .innerJoin(sports, eq(sports.id, players.sportId))
      .leftJoin(teams, eq(teams.id, players.currentTeamId))
      .where(cond)
      .orderBy(...relevance, asc(players.name), asc(players.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(players).where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

export type PlayerSummaryRow = Awaited<ReturnType<typeof findPlayerPage>>['rows'][number];

export async function findPlayer(db: Executor, id: number) {
  const [row] = await db
    .select({
      ...summaryCols,
      firstName: players.firstName,
      lastName: players.lastName,
      dateOfBirth: players.dateOfBirth,
      injuryNote: players.injuryNote,
      isDemo: players.isDemo,
      updatedAt: players.updatedAt,
    })
    .from(players)
    .innerJoin(sports, eq(sports.id, players.sportId))
    .leftJoin(teams, eq(teams.id, players.currentTeamId))
    .where(and(eq(players.id, id), isNull(players.ownerUserId)))
    .limit(1);
  return row;
}

export async function findSpells(db: Executor, playerId: number) {
  return db
    .select({
      team: teamRefCols(teams),
      season: { id: seasons.id, name: seasons.name },
      fromDate: playerTeamSpells.fromDate,
      toDate: playerTeamSpells.toDate,
    })
    .from(playerTeamSpells)
    .innerJoin(teams, eq(teams.id, playerTeamSpells.teamId))
    .leftJoin(seasons, eq(seasons.id, playerTeamSpells.seasonId))
    .where(eq(playerTeamSpells.playerId, playerId))
    .orderBy(sql`${playerTeamSpells.toDate} desc nulls first`, sql`${playerTeamSpells.fromDate} desc nulls last`, desc(playerTeamSpells.id))
    .limit(200);
}

/** Season names the player has match statistics in, most recent first. */
export async function findPlayerSeasonNames(db: Executor, playerId: number): Promise<string[]> {
  const last = sql`max(${matches.matchDate})`;
  const rows = await db
    .select({ name: seasons.name })
    .from(playerMatchStats)
    .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(eq(playerMatchStats.playerId, playerId), isCatalogueMatch))
    .groupBy(seasons.name)
    .orderBy(sql`${last} desc`)
    .limit(100);
  return rows.map((r) => r.name);
}

const sumInt = (col: AnyPgColumn) => sql<number | null>`sum(${col})::int`;

/** Totals over the player's matches in the given seasons. */
export async function findPlayerTotals(db: Executor, playerId: number, seasonIds: number[]) {
  const [row] = await db
    .select({
      rows: sql<number>`count(*)::int`,
      appearances: sql<number>`count(*) filter (where coalesce(${playerMatchStats.minutes}, 1) > 0)::int`,
      starts: sql<number>`count(*) filter (where ${playerMatchStats.started})::int`,
      minutes: sumInt(playerMatchStats.minutes),
      goals: sumInt(playerMatchStats.goals),
      assists: sumInt(playerMatchStats.assists),
      shots: sumInt(playerMatchStats.shots),
      shotsOnTarget: sumInt(playerMatchStats.shotsOnTarget),
      yellowCards: sumInt(playerMatchStats.yellowCards),
      redCards: sumInt(playerMatchStats.redCards),
      ownGoals: sumInt(playerMatchStats.ownGoals),
      saves: sumInt(playerMatchStats.saves),
      points: sumInt(playerMatchStats.points),
      rebounds: sumInt(playerMatchStats.rebounds),
    })
    .from(playerMatchStats)
    .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
    .where(and(eq(playerMatchStats.playerId, playerId), inArray(matches.seasonId, seasonIds), isCatalogueMatch));
  return row!;
}

export async function findSeasonCompetitions(db: Executor, playerId: number, seasonIds: number[]) {
  return db
    .selectDistinct(competitionRefCols)
    .from(playerMatchStats)
    .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .where(and(eq(playerMatchStats.playerId, playerId), inArray(matches.seasonId, seasonIds)))
    .orderBy(asc(competitions.name), asc(competitions.id))
    .limit(50);
}

export async function findGameLogPage(db: Executor, playerId: number, seasonIds: number[] | undefined, limit: number, offset: number) {
  const cond = and(
    eq(playerMatchStats.playerId, playerId),
    seasonIds !== undefined ? inArray(matches.seasonId, seasonIds) : undefined,
    isCatalogueMatch,
  );
  const [rows, totals] = await Promise.all([
    db
      .select({
        matchId: matches.id,
        matchDate: matches.matchDate,
        kickoffAt: matches.kickoffAt,
        status: matches.status,
        homeTeamId: matches.homeTeamId,
        homeScore: matches.homeScore,
        awayScore: matches.awayScore,
        competition: competitionRefCols,
        season: { id: seasons.id, name: seasons.name },
        teamId: playerMatchStats.teamId,
        opponent: teamRefCols(opponentTeam),
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
      .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
      .innerJoin(competitions, eq(competitions.id, matches.competitionId))
      .innerJoin(seasons, eq(seasons.id, matches.seasonId))
      .innerJoin(
        opponentTeam,
        eq(opponentTeam.id, sql`case when ${matches.homeTeamId} = ${playerMatchStats.teamId} then ${matches.awayTeamId} else ${matches.homeTeamId} end`),
      )
      .where(cond)
      .orderBy(desc(matches.matchDate), sql`${matches.kickoffAt} desc nulls last`, desc(matches.id))
      .limit(limit)
      .offset(offset),
    db
      .select({ n: count() })
      .from(playerMatchStats)
      .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
      .where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

export type GameLogRow = Awaited<ReturnType<typeof findGameLogPage>>['rows'][number];
