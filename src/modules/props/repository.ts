// The props endpoints' SQL: the match and its teams, a player and the team he belongs to at
// a date, a team's squad at a date, and the competition's finished matches with player
// lines before a date (the only data a prediction may learn from).
import { aliasedTable, and, asc, desc, eq, gte, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { matches, playerMatchStats, players, playerTeamSpells, seasons, sports, teams } from '../../db/schema/index.js';
import type { PlayerLine, PropsMatch } from '../../models/props/history.js';

const DAY_MS = 86_400_000;
export const dayOf = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

export interface PropsMatchInfo {
  id: number;
  competitionId: number;
  sport: string;
  date: string;
  status: string;
  neutral: boolean;
  home: { id: number; name: string };
  away: { id: number; name: string };
}

const homeTeam = aliasedTable(teams, 'home_team');
const awayTeam = aliasedTable(teams, 'away_team');

export async function findPropsMatch(db: Db, matchId: number): Promise<PropsMatchInfo | null> {
  const [r] = await db
    .select({
      id: matches.id,
      competitionId: matches.competitionId,
      sport: sports.code,
      date: matches.matchDate,
      status: matches.status,
      neutral: matches.neutral,
      homeId: matches.homeTeamId,
      homeName: homeTeam.name,
      awayId: matches.awayTeamId,
      awayName: awayTeam.name,
    })
    .from(matches)
    .innerJoin(sports, eq(sports.id, matches.sportId))
    .innerJoin(homeTeam, eq(homeTeam.id, matches.homeTeamId))
    .innerJoin(awayTeam, eq(awayTeam.id, matches.awayTeamId))
    .where(eq(matches.id, matchId))
    .limit(1);
  if (!r) return null;
  return {
    id: r.id,
    competitionId: r.competitionId,
    sport: r.sport,
    date: r.date,
    status: r.status,
    neutral: r.neutral ?? false,
    home: { id: r.homeId, name: r.homeName },
    away: { id: r.awayId, name: r.awayName },
  };
}

export interface PropsPlayer {
  id: number;
  name: string;
  position: string;
  currentTeamId: number | null;
  /** players.injury_status (available | doubtful | injured | suspended | unavailable) and its note. */
  injuryStatus: string;
  injuryNote: string | null;
}

export async function findPropsPlayer(db: Db, playerId: number): Promise<PropsPlayer | null> {
  const [r] = await db
    .select({ id: players.id, name: players.name, position: players.position, currentTeamId: players.currentTeamId, injuryStatus: players.injuryStatus, injuryNote: players.injuryNote })
    .from(players)
    .where(eq(players.id, playerId))
    .limit(1);
  return r ? { ...r, position: r.position ?? 'UNK' } : null;
}

/** The team of his latest appearance before `date`, else of his latest spell, else his current team. */
export async function playerTeamAt(db: Db, player: PropsPlayer, date: string): Promise<number | null> {
  const [app] = await db
    .select({ teamId: playerMatchStats.teamId })
    .from(playerMatchStats)
    .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
    .where(and(eq(playerMatchStats.playerId, player.id), lt(matches.matchDate, date)))
    .orderBy(desc(matches.matchDate), desc(matches.id))
    .limit(1);
  if (app) return app.teamId;
  const [spell] = await db
    .select({ teamId: playerTeamSpells.teamId })
    .from(playerTeamSpells)
    .where(eq(playerTeamSpells.playerId, player.id))
    .orderBy(desc(playerTeamSpells.fromDate), desc(playerTeamSpells.id))
    .limit(1);
  return spell?.teamId ?? player.currentTeamId;
}

/**
 * The squads of two teams at `date`: players whose latest appearance in the previous year
 * was for one of them, plus players of theirs (current team) with no appearance at all.
 */
export async function squadsAt(db: Db, teamIds: readonly number[], date: string): Promise<Map<number, { player: PropsPlayer; teamId: number }>> {
  const from = new Date(Date.parse(`${date}T00:00:00Z`) - 365 * DAY_MS).toISOString().slice(0, 10);
  // Step by step so each lookup has an index (player_match_stats has none on team_id): the
  // teams' matches of the year, who played for them there, then those players' appearances.
  const teamMatches = await db
    .select({ id: matches.id })
    .from(matches)
    .where(and(or(inArray(matches.homeTeamId, [...teamIds]), inArray(matches.awayTeamId, [...teamIds])), lt(matches.matchDate, date), gte(matches.matchDate, from)));
  const candidates = new Set<number>();
  for (let k = 0; k < teamMatches.length; k += 1000) {
    const ids = teamMatches.slice(k, k + 1000).map((m) => m.id);
    const lines = await db
      .selectDistinct({ playerId: playerMatchStats.playerId })
      .from(playerMatchStats)
      .where(and(inArray(playerMatchStats.matchId, ids), inArray(playerMatchStats.teamId, [...teamIds])));
    for (const l of lines) candidates.add(l.playerId);
  }
  const rows =
    candidates.size === 0
      ? []
      : await db
          .select({
            playerId: playerMatchStats.playerId,
            teamId: playerMatchStats.teamId,
            date: matches.matchDate,
            name: players.name,
            position: players.position,
            currentTeamId: players.currentTeamId,
            injuryStatus: players.injuryStatus,
            injuryNote: players.injuryNote,
          })
          .from(playerMatchStats)
          .innerJoin(matches, eq(matches.id, playerMatchStats.matchId))
          .innerJoin(players, eq(players.id, playerMatchStats.playerId))
          .where(and(lt(matches.matchDate, date), gte(matches.matchDate, from), inArray(playerMatchStats.playerId, [...candidates])))
          .orderBy(asc(matches.matchDate), asc(matches.id));
  const latest = new Map<number, { player: PropsPlayer; teamId: number }>();
  for (const r of rows) {
    latest.set(r.playerId, { player: { id: r.playerId, name: r.name, position: r.position ?? 'UNK', currentTeamId: r.currentTeamId, injuryStatus: r.injuryStatus, injuryNote: r.injuryNote }, teamId: r.teamId });
  }
  const out = new Map([...latest].filter(([, v]) => teamIds.includes(v.teamId)));
  const fresh = await db
    .select({ id: players.id, name: players.name, position: players.position, currentTeamId: players.currentTeamId, injuryStatus: players.injuryStatus, injuryNote: players.injuryNote })
    .from(players)
    .where(inArray(players.currentTeamId, [...teamIds]));
  for (const p of fresh) {
    if (!latest.has(p.id) && p.currentTeamId !== null) out.set(p.id, { player: { ...p, position: p.position ?? 'UNK' }, teamId: p.currentTeamId });
  }
  return out;
}

/** Finished matches of the competition in [date − windowDays, date) with their player lines. */
export async function historyBefore(db: Db, competitionId: number, date: string, windowDays: number): Promise<PropsMatch[]> {
  const from = new Date(Date.parse(`${date}T00:00:00Z`) - windowDays * DAY_MS).toISOString().slice(0, 10);
  const rows = await db
    .select({ id: matches.id, season: seasons.name, date: matches.matchDate, home: matches.homeTeamId, away: matches.awayTeamId, hs: matches.homeScore, as: matches.awayScore })
    .from(matches)
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(eq(matches.competitionId, competitionId), eq(matches.status, 'final'), isNotNull(matches.homeScore), isNotNull(matches.awayScore), lt(matches.matchDate, date), gte(matches.matchDate, from)))
    .orderBy(asc(matches.matchDate), asc(matches.id));
  const byId = new Map<number, PropsMatch>();
  for (const r of rows) {
    byId.set(r.id, { id: r.id, season: r.season, day: dayOf(r.date), home: r.home, away: r.away, homeGoals: r.hs!, awayGoals: r.as!, lines: [] });
  }
  await attachPlayerLines(db, byId);
  return [...byId.values()];
}

/** Adds every player's line to each match of `byId` (matches keyed by id), in chunks. */
export async function attachPlayerLines(db: Db, byId: Map<number, PropsMatch>): Promise<void> {
  const ids = [...byId.keys()];
  // Chunks keep the IN list (bind parameters) well under PostgreSQL's 65 535 limit.
  for (let k = 0; k < ids.length; k += 1000) {
    const lines = await db
      .select({
        matchId: playerMatchStats.matchId,
        playerId: playerMatchStats.playerId,
        teamId: playerMatchStats.teamId,
        position: players.position,
        minutes: playerMatchStats.minutes,
        goals: playerMatchStats.goals,
        assists: playerMatchStats.assists,
        yellow: playerMatchStats.yellowCards,
        red: playerMatchStats.redCards,
      })
      .from(playerMatchStats)
      .innerJoin(players, eq(players.id, playerMatchStats.playerId))
      .where(inArray(playerMatchStats.matchId, ids.slice(k, k + 1000)));
    for (const l of lines) {
      const line: PlayerLine = {
        playerId: l.playerId,
        teamId: l.teamId,
        position: l.position ?? 'UNK',
        minutes: l.minutes ?? 0,
        goals: l.goals ?? 0,
        assists: l.assists ?? 0,
        cards: (l.yellow ?? 0) + (l.red ?? 0),
      };
      byId.get(l.matchId)!.lines.push(line);
    }
  }
}

/** The next match (today or later, not finished) of a team, for the player routes' default. */
export async function nextMatchOf(db: Db, teamId: number, today: string): Promise<number | null> {
  const [r] = await db
    .select({ id: matches.id })
    .from(matches)
    .where(and(or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)), gte(matches.matchDate, today), eq(matches.status, 'scheduled')))
    .orderBy(asc(matches.matchDate), asc(matches.id))
    .limit(1);
  return r?.id ?? null;
}
