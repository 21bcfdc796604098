// Competition routes, at /competitions and (seed 002) /leagues, plus /standings by sport.
// A competition in the path may be given by id or by code (england-premier-league).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import { Page, PaginationQuery, readErrors } from '../../platform/schemas.js';
import type { CompetitionService } from './competitions-service.js';
import { CompetitionParams, MatchSummary, SeasonQuery } from './schemas.js';
import {
  CompetitionDetail,
  CompetitionListQuery,
  CompetitionSummary,
  SeasonInfo,
  SeasonPageQuery,
  StandingsBySportQuery,
  StandingsResponse,
  StandingsTable,
  TopScorer,
} from './schemas-competitions.js';
import type { StandingsService } from './standings-service.js';

const tags = ['competitions'];
type Params = Static<typeof CompetitionParams>;

export function competitionRoutes(prefix: 'competitions' | 'leagues', competitions: CompetitionService) {
  const noun = prefix === 'competitions' ? 'Competition' : 'League';
  const nouns = `${noun === 'Competition' ? 'Competitions' : 'Leagues'}`;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      `/${prefix}`,
      {
        schema: {
          operationId: `list${nouns}`,
          tags,
          summary: 'Competitions, filtered by sport or country',
          querystring: CompetitionListQuery,
          response: { 200: Page(CompetitionSummary, 'CompetitionPage'), ...readErrors },
        },
      },
      async (req) => competitions.list(req.query as Static<typeof CompetitionListQuery>),
    );

    app.get(
      `/${prefix}/:id`,
      {
        schema: {
          operationId: `get${noun}`,
          tags,
          summary: 'Competition detail with its seasons',
          params: CompetitionParams,
          response: { 200: CompetitionDetail, ...readErrors },
        },
      },
      async (req) => competitions.detail((req.params as Params).id),
    );

    app.get(
      `/${prefix}/:id/seasons`,
      {
        schema: {
          operationId: `list${noun}Seasons`,
          tags,
          summary: 'Seasons with match counts, newest first',
          params: CompetitionParams,
          querystring: PaginationQuery,
          response: { 200: Page(SeasonInfo, 'SeasonPage'), ...readErrors },
        },
      },
      async (req) => competitions.seasons((req.params as Params).id, req.query as PaginationQuery),
    );

    app.get(
      `/${prefix}/:id/standings`,
      {
        schema: {
          operationId: `get${noun}Standings`,
          tags,
          summary: "The table computed from final results with the competition's tie-break rules",
          params: CompetitionParams,
          querystring: SeasonQuery,
          response: { 200: StandingsResponse, ...readErrors },
        },
      },
      // Cached as a list (keyed by the id or code asked for): any import drops it (list:*).
      async (req, reply) => {
        const { id } = req.params as Params;
        const { season } = req.query as Static<typeof SeasonQuery>;
        return reply.cached(cacheKeys.list('standings', { id, season }), CACHE_TTL_SECONDS.list, () => competitions.standings(id, season));
      },
    );

    app.get(
      `/${prefix}/:id/fixtures`,
      {
        schema: {
          operationId: `get${noun}Fixtures`,
          tags,
          summary: 'Scheduled matches from today, earliest first',
          params: CompetitionParams,
          querystring: PaginationQuery,
          response: { 200: Page(MatchSummary, 'MatchPage'), ...readErrors },
        },
      },
      async (req) => competitions.fixtures((req.params as Params).id, req.query as PaginationQuery),
    );

    app.get(
      `/${prefix}/:id/top-scorers`,
      {
        schema: {
          operationId: `get${noun}TopScorers`,
          tags,
          summary: 'Goals from player match statistics, with assists and minutes (?season=, default the latest)',
          params: CompetitionParams,
          querystring: SeasonPageQuery,
          response: { 200: Page(TopScorer, 'TopScorerPage'), ...readErrors },
        },
      },
      async (req) => competitions.topScorers((req.params as Params).id, req.query as Static<typeof SeasonPageQuery>),
    );
  };
}

export function standingsRoutes(standings: StandingsService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/standings',
      {
        schema: {
          operationId: 'listStandings',
          tags,
          summary: 'Standings of every league of a sport at its latest season (or of one competition)',
          querystring: StandingsBySportQuery,
          response: { 200: Page(StandingsTable, 'StandingsPage'), ...readErrors },
        },
      },
      async (req) => standings.list(req.query as Static<typeof StandingsBySportQuery>),
    );
  };
}
