// Column selections and views for the reference objects embedded in catalogue responses,
// so every route renders a team, competition or match the same way.
import { eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { competitions, matches, seasons, sports, teams, venues } from '../../db/schema/index.js';
import type { CompetitionRef, MatchSummary, TeamRef } from './schemas.js';

export const opponentTeam = alias(teams, 'opponent_team');

export const homeTeam = alias(teams, 'home_team');
export const awayTeam = alias(teams, 'away_team');

type TeamTable = typeof teams | typeof opponentTeam | typeof homeTeam | typeof awayTeam;

export const teamRefCols = (t: TeamTable) => ({
  id: t.id,
  name: t.name,
  shortName: t.shortName,
  abbreviation: t.abbreviation,
  city: t.city,
  logoUrl: t.logoUrl,
});

export interface TeamRefRow {
  id: number;
  name: string;
  shortName: string | null;
  abbreviation: string | null;
  city: string | null;
  logoUrl: string | null;
}

export const teamRefView = (t: TeamRefRow): TeamRef => ({
  id: t.id,
  name: t.name,
  short_name: t.shortName,
  abbreviation: t.abbreviation,
  city: t.city,
  logo_url: t.logoUrl,
});

export const competitionRefCols = { id: competitions.id, code: competitions.code, name: competitions.name, country: competitions.country };
export const competitionRefView = (c: { id: number; code: string; name: string; country: string | null }): CompetitionRef => ({
  id: c.id,
  code: c.code,
  name: c.name,
  country: c.country,
});

/** The match's own columns; the names of its teams, competition, season and venue are looked up by id. */
export const matchPageCols = {
  id: matches.id,
  seasonId: matches.seasonId,
  homeTeamId: matches.homeTeamId,
  awayTeamId: matches.awayTeamId,
  venueId: matches.venueId,
  matchDate: matches.matchDate,
  kickoffAt: matches.kickoffAt,
  status: matches.status,
  neutral: matches.neutral,
  homeScore: matches.homeScore,
  awayScore: matches.awayScore,
  round: matches.round,
  isPlayoff: matches.isPlayoff,
};

/** Start of a match query: add where/orderBy/limit, then pass the rows to hydrateMatches. */
export function selectMatchBase(db: Executor) {
  return db.select(matchPageCols).from(matches);
}

export type MatchBaseRow = Awaited<ReturnType<ReturnType<typeof selectMatchBase>['where']>>[number];

export interface MatchRow extends MatchBaseRow {
  sport: string;
  competition: { id: number; code: string; name: string; country: string | null };
  season: { id: number; name: string };
  home: TeamRefRow;
  away: TeamRefRow;
  venue: string | null;
}

/**
 * Adds team, competition, season and venue names to a page of matches with one small
 * query per table, keyed by primary key. Measured on PostgreSQL with 30k matches, planning
 * the single seven-table join cost more than running these lookups.
 */
export async function hydrateMatches(db: Executor, rows: MatchBaseRow[]): Promise<MatchRow[]> {
  if (rows.length === 0) return [];
  const teamIds = [...new Set(rows.flatMap((r) => [r.homeTeamId, r.awayTeamId]))];
  const seasonIds = [...new Set(rows.map((r) => r.seasonId))];
  const venueIds = [...new Set(rows.map((r) => r.venueId).filter((v): v is number => v !== null))];
  const [teamRows, seasonRows, venueRows] = await Promise.all([
    db.select(teamRefCols(teams)).from(teams).where(inArray(teams.id, teamIds)).limit(teamIds.length),
    db
      .select({ id: seasons.id, name: seasons.name, competition: competitionRefCols, sport: sports.code })
      .from(seasons)
      .innerJoin(competitions, eq(competitions.id, seasons.competitionId))
      .innerJoin(sports, eq(sports.id, competitions.sportId))
      .where(inArray(seasons.id, seasonIds))
      .limit(seasonIds.length),
    venueIds.length > 0 ? db.select({ id: venues.id, name: venues.name }).from(venues).where(inArray(venues.id, venueIds)).limit(venueIds.length) : [],
  ]);
  const team = new Map(teamRows.map((t) => [t.id, t]));
  const season = new Map(seasonRows.map((s) => [s.id, s]));
  const venue = new Map(venueRows.map((v) => [v.id, v.name]));
  return rows.map((r) => {
    const s = season.get(r.seasonId)!;
    return {
      ...r,
      sport: s.sport,
      competition: s.competition,
      season: { id: s.id, name: s.name },
      home: team.get(r.homeTeamId)!,
      away: team.get(r.awayTeamId)!,
      venue: r.venueId !== null ? (venue.get(r.venueId) ?? null) : null,
    };
  });
}

export function matchView(r: MatchRow): MatchSummary {
  const kickoff = r.kickoffAt?.toISOString() ?? null;
  return {
    id: r.id,
    sport: r.sport,
    competition: competitionRefView(r.competition),
    season: r.season,
    season_id: r.season.id,
    home_team: teamRefView(r.home),
    away_team: teamRefView(r.away),
    match_date: r.matchDate,
    kickoff_at: kickoff,
    game_date: kickoff ?? `${r.matchDate}T00:00:00.000Z`,
    status: r.status,
    neutral: r.neutral,
    home_score: r.homeScore,
    away_score: r.awayScore,
    venue: r.venue,
    round: r.round,
    is_playoff: r.isPlayoff,
  };
}

/** Matches in the shared catalogue: user-created matches (live tracking) are private. */
export const isCatalogueMatch: SQL = isNull(matches.ownerUserId);
