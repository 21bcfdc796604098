// Standings as the API serves them: loads a season's regular-season matches, computes the
// table with the competition's points and tie-break rules (standings.ts), and names the teams.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import type { TieBreak } from '../../db/schema/index.js';
import { pageOf, type PaginationQuery } from '../../platform/schemas.js';
import { findCompetitionPage, findSeasonMatches, findSportCode, findTeamRefs } from './competitions-repository.js';
import { competitionRefView, teamRefView } from './refs.js';
import { competitionFilter, competitionSeason, resolveSport, seasonFilter, seasonsNamed, type CompetitionRow, type SeasonRow } from './resolve.js';
import type { StandingsTable } from './schemas-competitions.js';
import { computeStandings } from './standings.js';

type Table = Static<typeof StandingsTable>;

export function createStandingsService(deps: { db: Db }) {
  const { db } = deps;

  async function table(competition: CompetitionRow, season: SeasonRow | null): Promise<Table> {
    const tieBreaks = competition.tieBreaks as TieBreak[];
    const base = {
      competition: competitionRefView(competition),
      sport: await findSportCode(db, competition.sportId),
      season: season ? { id: season.id, name: season.name } : null,
      format: tieBreaks[0] === 'win_pct' ? ('win_pct' as const) : ('points' as const),
      tie_breaks: tieBreaks,
      points_rules: { win: competition.pointsWin, draw: competition.pointsDraw, loss: competition.pointsLoss },
    };
    if (!season) return { ...base, table: [] };

    const rows = await findSeasonMatches(db, season.id);
    // Every team with a match in the season is in the table, played or not.
    const teamIds = new Set<number>();
    for (const m of rows) {
      teamIds.add(m.homeTeamId);
      teamIds.add(m.awayTeamId);
    }
    const results = rows
      .filter((m) => m.status === 'final' && m.homeScore !== null && m.awayScore !== null)
      .map((m) => ({
        homeTeamId: m.homeTeamId,
        awayTeamId: m.awayTeamId,
        homeScore: m.homeScore!,
        awayScore: m.awayScore!,
        order: `${m.matchDate}|${m.kickoffAt?.toISOString() ?? ''}|${String(m.id).padStart(10, '0')}`,
      }));
    const refs = new Map((await findTeamRefs(db, [...teamIds])).map((t) => [t.id, t]));
    const standings = computeStandings(
      teamIds,
      results,
      { pointsWin: competition.pointsWin, pointsDraw: competition.pointsDraw, pointsLoss: competition.pointsLoss, tieBreaks },
      (id) => refs.get(id)?.name ?? '',
    );
    return {
      ...base,
      table: standings.map((r) => ({
        position: r.position,
        team: teamRefView(refs.get(r.teamId)!),
        played: r.played,
        won: r.won,
        drawn: r.drawn,
        lost: r.lost,
        goals_for: r.goalsFor,
        goals_against: r.goalsAgainst,
        goal_difference: r.goalDifference,
        points: r.points,
        win_pct: r.winPct,
        games_behind: r.gamesBehind,
        form: r.form,
      })),
    };
  }

  return {
    /** One competition's table for a season (name or id), by default the latest. */
    async forCompetition(competition: CompetitionRow, season: string | undefined) {
      return { ...(await table(competition, await competitionSeason(db, competition.id, season))), version: 'v1' as const };
    },

    /**
     * Tables of every league of a sport (each at its latest season), or of one competition
     * when named: seed 000's /teams/standings and the /standings overview.
     */
    async list(q: PaginationQuery & { sport?: string; competition?: string; season?: string }) {
      if (q.competition !== undefined) {
        const competition = await competitionFilter(db, q.competition);
        if (q.sport !== undefined) {
          const sport = await resolveSport(db, q.sport);
          if (sport.id !== competition.sportId) return pageOf([], 0, q);
        }
        const t = await table(competition, await competitionSeason(db, competition.id, q.season));
        return pageOf(q.page === 1 ? [t] : [], 1, q);
      }
      let sportId: number | undefined;
      if (q.sport !== undefined) {
        const sport = await resolveSport(db, q.sport);
        if (sport.id === null) return pageOf([], 0, q);
        sportId = sport.id;
      }
      // An unknown season name is the caller's mistake; a league without it shows no table rows.
      if (q.season !== undefined) await seasonFilter(db, q.season);
      const { rows, total } = await findCompetitionPage(db, { sportId, kind: 'league' }, q.page_size, (q.page - 1) * q.page_size);
      const tables: Table[] = [];
      for (const row of rows) {
        const competition = await competitionFilter(db, String(row.id));
        const season =
          q.season !== undefined
            ? ((await seasonsNamed(db, q.season, competition.id))[0] ?? null)
            : await competitionSeason(db, competition.id, undefined);
        tables.push(await table(competition, season));
      }
      return pageOf(tables, total, q);
    },
  };
}

export type StandingsService = ReturnType<typeof createStandingsService>;
