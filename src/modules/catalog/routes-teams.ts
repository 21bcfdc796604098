// Team routes (seed 000 and seed 002 paths), including seed 000's /teams/standings.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import { IdParams, Page, PaginationQuery, readErrors } from '../../platform/schemas.js';
import { MatchSummary } from './schemas.js';
import { StandingsBySportQuery, StandingsTable } from './schemas-competitions.js';
import {
  FixturesQuery,
  FormQuery,
  ScheduleQuery,
  SquadPlayer,
  SquadQuery,
  TeamDetail,
  TeamForm,
  TeamListQuery,
  TeamStats,
  TeamStatsQuery,
  TeamSummary,
} from './schemas-teams.js';
import type { StandingsService } from './standings-service.js';
import type { TeamService } from './teams-service.js';

const tags = ['teams'];
const MatchPage = Page(MatchSummary, 'MatchPage');
const SquadPage = Page(SquadPlayer, 'SquadPage');

export function teamRoutes(teams: TeamService, standings: StandingsService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/teams',
      {
        schema: {
          operationId: 'listTeams',
          tags,
          summary: 'Teams, filtered by sport, competition, season or name',
          querystring: TeamListQuery,
          response: { 200: Page(TeamSummary, 'TeamPage'), ...readErrors },
        },
      },
      // Cached: an import that changes anything drops every cached list (list:*).
      async (req, reply) => {
        const q = req.query as Static<typeof TeamListQuery>;
        return reply.cached(cacheKeys.list('teams', q), CACHE_TTL_SECONDS.list, () => teams.list(q));
      },
    );

    app.get(
      '/teams/standings',
      {
        schema: {
          operationId: 'listTeamStandings',
          tags,
          summary: 'Standings by sport (every league at its latest season) or of one competition',
          querystring: StandingsBySportQuery,
          response: { 200: Page(StandingsTable, 'StandingsPage'), ...readErrors },
        },
      },
      async (req) => standings.list(req.query as Static<typeof StandingsBySportQuery>),
    );

    app.get(
      '/teams/:id',
      {
        schema: { operationId: 'getTeam', tags, summary: 'Team detail with aliases', params: IdParams, response: { 200: TeamDetail, ...readErrors } },
      },
      async (req) => teams.detail((req.params as IdParams).id),
    );

    for (const [path, operationId] of [
      ['roster', 'getTeamRoster'],
      ['players', 'getTeamPlayers'],
    ] as const) {
      app.get(
        `/teams/:id/${path}`,
        {
          schema: {
            operationId,
            tags,
            summary: 'Current squad: players whose current team this is, or with an open spell here',
            params: IdParams,
            querystring: SquadQuery,
            response: { 200: SquadPage, ...readErrors },
          },
        },
        async (req) => teams.squad((req.params as IdParams).id, req.query as PaginationQuery),
      );
    }

    app.get(
      '/teams/:id/stats',
      {
        schema: {
          operationId: 'getTeamStats',
          tags,
          summary: "Season record and per-match averages (?season=, default the team's latest)",
          params: IdParams,
          querystring: TeamStatsQuery,
          response: { 200: TeamStats, ...readErrors },
        },
      },
      async (req) => teams.stats((req.params as IdParams).id, req.query as Static<typeof TeamStatsQuery>),
    );

    app.get(
      '/teams/:id/schedule',
      {
        schema: {
          operationId: 'getTeamSchedule',
          tags,
          summary: "All the team's matches, oldest first unless sort=-date",
          params: IdParams,
          querystring: ScheduleQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      async (req) => teams.schedule((req.params as IdParams).id, req.query as Static<typeof ScheduleQuery>),
    );

    app.get(
      '/teams/:id/form',
      {
        schema: {
          operationId: 'getTeamForm',
          tags,
          summary: 'The last N results (default 5) as a W/D/L string with the matches',
          params: IdParams,
          querystring: FormQuery,
          response: { 200: TeamForm, ...readErrors },
        },
      },
      async (req) => teams.form((req.params as IdParams).id, req.query as Static<typeof FormQuery>),
    );

    app.get(
      '/teams/:id/fixtures',
      {
        schema: {
          operationId: 'getTeamFixtures',
          tags,
          summary: 'Scheduled matches from today, earliest first',
          params: IdParams,
          querystring: FixturesQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      async (req) => teams.fixtures((req.params as IdParams).id, req.query as Static<typeof FixturesQuery>),
    );
  };
}
