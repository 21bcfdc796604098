// Competition (league) queries as the API serves them: lists, detail with seasons,
// standings, fixtures and top scorers.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { pageOf, type PaginationQuery } from '../../platform/schemas.js';
import { findCompetitionPage, findSeasonPage, findSportCode, findTopScorers, type CompetitionSummaryRow } from './competitions-repository.js';
import { resolveMatchCriteria, utcDate, type MatchService } from './matches-service.js';
import { competitionRefView, teamRefView } from './refs.js';
import { competitionById, competitionSeason, resolveSport } from './resolve.js';
import type { CompetitionDetail } from './schemas-competitions.js';
import type { StandingsService } from './standings-service.js';

const summaryView = (r: CompetitionSummaryRow) => ({ ...competitionRefView(r), sport: r.sport, kind: r.kind, is_demo: r.isDemo });

type SeasonPageRow = Awaited<ReturnType<typeof findSeasonPage>>['rows'][number];
const seasonView = (s: SeasonPageRow) => ({
  id: s.id,
  name: s.name,
  start_date: s.startDate,
  end_date: s.endDate,
  matches: s.matches,
  finished: s.finished,
  first_match_date: s.firstDate,
  last_match_date: s.lastDate,
});

export function createCompetitionService(deps: { db: Db; clock: Clock; matches: MatchService; standings: StandingsService }) {
  const { db, clock } = deps;

  return {
    async list(q: PaginationQuery & { sport?: string; country?: string }) {
      let sportId: number | undefined;
      if (q.sport !== undefined) {
        const sport = await resolveSport(db, q.sport);
        if (sport.id === null) return pageOf([], 0, q);
        sportId = sport.id;
      }
      const { rows, total } = await findCompetitionPage(db, { sportId, country: q.country }, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(summaryView), total, q);
    },

    async detail(idOrCode: string): Promise<Static<typeof CompetitionDetail>> {
      const c = await competitionById(db, idOrCode);
      const [sport, seasons, current] = await Promise.all([
        findSportCode(db, c.sportId),
        findSeasonPage(db, c.id, 200, 0),
        competitionSeason(db, c.id, undefined),
      ]);
      return {
        ...competitionRefView(c),
        sport,
        kind: c.kind,
        is_demo: c.isDemo,
        timezone: c.timezone,
        points_rules: { win: c.pointsWin, draw: c.pointsDraw, loss: c.pointsLoss },
        tie_breaks: c.tieBreaks,
        current_season: current ? { id: current.id, name: current.name } : null,
        seasons: seasons.rows.map(seasonView),
        version: 'v1',
      };
    },

    async seasons(idOrCode: string, q: PaginationQuery) {
      const c = await competitionById(db, idOrCode);
      const { rows, total } = await findSeasonPage(db, c.id, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(seasonView), total, q);
    },

    async standings(idOrCode: string, season: string | undefined) {
      return deps.standings.forCompetition(await competitionById(db, idOrCode), season);
    },

    async fixtures(idOrCode: string, q: PaginationQuery) {
      const c = await competitionById(db, idOrCode);
      const criteria = await resolveMatchCriteria(db, { competition: String(c.id), status: 'scheduled', date_from: utcDate(clock.now()) });
      return deps.matches.page(criteria, 'date', q);
    },

    async topScorers(idOrCode: string, q: PaginationQuery & { season?: string }) {
      const c = await competitionById(db, idOrCode);
      const season = await competitionSeason(db, c.id, q.season);
      if (!season) return pageOf([], 0, q);
      const offset = (q.page - 1) * q.page_size;
      const { rows, total } = await findTopScorers(db, season.id, q.page_size, offset);
      const items = rows.map((r, i) => ({
        position: offset + i + 1,
        player: { id: r.playerId, name: r.name, position: r.position },
        team: r.team && r.team.id !== null && r.team.name !== null ? teamRefView({ ...r.team, id: r.team.id, name: r.team.name }) : null,
        goals: r.goals,
        assists: r.assists,
        minutes: r.minutes,
        appearances: r.appearances,
        minutes_per_goal: r.minutes !== null && r.goals > 0 ? Math.round((r.minutes / r.goals) * 10) / 10 : null,
      }));
      return pageOf(items, total, q);
    },
  };
}

export type CompetitionService = ReturnType<typeof createCompetitionService>;
