// SQL for teams: filtered pages, detail with aliases, squad, and a team's matches by season.
import { and, asc, count, desc, eq, exists, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  competitions,
  matches,
  players,
  playerTeamSpells,
  seasons,
  sports,
  teamAliases,
  teamMatchStats,
  teams,
  venues,
} from '../../db/schema/index.js';
import { competitionRefCols, isCatalogueMatch, teamRefCols } from './refs.js';
import { escapeLike } from './search-name.js';

export interface TeamCriteria {
  sportId?: number;
  competitionId?: number;
  seasonIds?: number[];
  /** Already normalised with toSearchName. */
  search?: string;
  /** The raw text, lower-cased, for names the normaliser would change. */
  searchRaw?: string;
}

const teamSummaryCols = { ...teamRefCols(teams), sport: sports.code, country: teams.country };

function teamWhere(c: TeamCriteria): SQL | undefined {
  const parts: (SQL | undefined)[] = [isNull(teams.ownerUserId)];
  if (c.sportId !== undefined) parts.push(eq(teams.sportId, c.sportId));
  if (c.competitionId !== undefined || c.seasonIds !== undefined) {
    const inScope = and(
      or(eq(matches.homeTeamId, teams.id), eq(matches.awayTeamId, teams.id)),
      c.competitionId !== undefined ? eq(matches.competitionId, c.competitionId) : undefined,
      c.seasonIds !== undefined ? inArray(matches.seasonId, c.seasonIds) : undefined,
    );
    parts.push(exists(sql`(select 1 from ${matches} where ${inScope})`));
  }
  if (c.search !== undefined) {
    const pattern = `%${escapeLike(c.search)}%`;
    parts.push(
      or(
        like(teams.nameKey, pattern),
        like(sql`lower(${teams.name})`, `%${escapeLike(c.searchRaw ?? c.search)}%`),
        exists(sql`(select 1 from ${teamAliases} where ${teamAliases.teamId} = ${teams.id} and ${teamAliases.aliasKey} like ${pattern})`),
      ),
    );
  }
  return and(...parts);
}

export async function findTeamPage(db: Executor, c: TeamCriteria, limit: number, offset: number) {
  const cond = teamWhere(c);
  const [rows, totals] = await Promise.all([
    db
      .select(teamSummaryCols)
      .from(teams)
      .innerJoin(sports, eq(sports.id, teams.sportId))
      .where(cond)
      .orderBy(asc(teams.name), asc(teams.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(teams).where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

export type TeamSummaryRow = Awaited<ReturnType<typeof findTeamPage>>['rows'][number];

export async function findTeam(db: Executor, id: number) {
  const [row] = await db
    .select({
      ...teamSummaryCols,
      sportId: teams.sportId,
      venue: { id: venues.id, name: venues.name, city: venues.city, country: venues.country, capacity: venues.capacity },
      isDemo: teams.isDemo,
    })
    .from(teams)
    .innerJoin(sports, eq(sports.id, teams.sportId))
    .leftJoin(venues, eq(venues.id, teams.venueId))
    .where(and(eq(teams.id, id), isNull(teams.ownerUserId)))
    .limit(1);
  return row;
}

export async function findTeamAliases(db: Executor, id: number) {
  return db
    .select({ alias: teamAliases.alias, source: teamAliases.source, origin: teamAliases.origin })
    .from(teamAliases)
    .where(eq(teamAliases.teamId, id))
    .orderBy(asc(teamAliases.alias), asc(teamAliases.source))
    .limit(200);
}

/** Seasons the team has matches in, most recent first, with how many matches. */
export async function findTeamSeasons(db: Executor, teamId: number) {
  const lastDate = sql<string>`max(${matches.matchDate})`;
  return db
    .select({
      id: seasons.id,
      name: seasons.name,
      competition: competitionRefCols,
      kind: competitions.kind,
      matches: sql<number>`count(*)::int`,
      lastDate,
    })
    .from(matches)
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .where(and(or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)), isCatalogueMatch))
    .groupBy(seasons.id, seasons.name, competitions.id, competitions.code, competitions.name, competitions.country, competitions.kind)
    .orderBy(desc(lastDate), asc(seasons.id))
    .limit(500);
}

export type TeamSeasonRow = Awaited<ReturnType<typeof findTeamSeasons>>[number];

// Goalkeepers first, forwards last: the order squads are printed in.
const positionRank = sql`case upper(coalesce(${players.position}, '')) when 'GK' then 1 when 'DEF' then 2 when 'MID' then 3 when 'FWD' then 4 else 5 end`;

/** Current squad: players whose current team is this one or who have an open spell here. */
export async function findSquadPage(db: Executor, teamId: number, limit: number, offset: number) {
  const cond = and(
    isNull(players.ownerUserId),
    or(
      eq(players.currentTeamId, teamId),
      exists(
        sql`(select 1 from ${playerTeamSpells} where ${playerTeamSpells.playerId} = ${players.id} and ${playerTeamSpells.teamId} = ${teamId} and ${playerTeamSpells.toDate} is null)`,
      ),
    ),
  );
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: players.id,
        name: players.name,
        position: players.position,
        shirtNumber: players.shirtNumber,
        nationality: players.nationality,
        dateOfBirth: players.dateOfBirth,
        injuryStatus: players.injuryStatus,
      })
      .from(players)
      .where(cond)
      .orderBy(positionRank, sql`${players.shirtNumber} asc nulls last`, asc(players.name), asc(players.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(players).where(cond),
  ]);
  return { rows, total: Number(totals[0]?.n ?? 0) };
}

/** The team's final matches in some seasons (bounded: a season is at most a few hundred). */
export async function findTeamResults(db: Executor, teamId: number, seasonIds: number[]) {
  if (seasonIds.length === 0) return [];
  return db
    .select({
      id: matches.id,
      homeTeamId: matches.homeTeamId,
      awayTeamId: matches.awayTeamId,
      homeScore: matches.homeScore,
      awayScore: matches.awayScore,
      matchDate: matches.matchDate,
    })
    .from(matches)
    .where(
      and(
        or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)),
        inArray(matches.seasonId, seasonIds),
        eq(matches.status, 'final'),
        eq(matches.isPlayoff, false),
        isCatalogueMatch,
      ),
    )
    .orderBy(asc(matches.matchDate), asc(matches.id))
    .limit(2000);
}

export async function findTeamMatchStats(db: Executor, teamId: number, matchIds: number[]) {
  if (matchIds.length === 0) return [];
  return db
    .select({ matchId: teamMatchStats.matchId, stats: teamMatchStats.stats })
    .from(teamMatchStats)
    .where(and(eq(teamMatchStats.teamId, teamId), inArray(teamMatchStats.matchId, matchIds)))
    .limit(2000);
}

/** The ids of the team's last `n` final matches, newest first. */
export async function findLastResultIds(db: Executor, teamId: number, n: number, competitionId?: number) {
  const rows = await db
    .select({ id: matches.id })
    .from(matches)
    .where(
      and(
        or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)),
        eq(matches.status, 'final'),
        competitionId !== undefined ? eq(matches.competitionId, competitionId) : undefined,
        isCatalogueMatch,
      ),
    )
    .orderBy(desc(matches.matchDate), desc(matches.kickoffAt), desc(matches.id))
    .limit(n);
  return rows.map((r) => r.id);
}
