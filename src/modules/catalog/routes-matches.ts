// Match routes. Seed 002 calls them /matches and seed 000 /games; both prefixes serve the
// same handlers (distinct operationIds keep the OpenAPI document valid).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import { IdParams, Page, readErrors } from '../../platform/schemas.js';
import type { MatchService } from './matches-service.js';
import { MatchListQuery, MatchSummary } from './schemas.js';
import { GameStats, MatchDetail, MatchOdds, OddsQuery, TodayQuery, UpcomingQuery } from './schemas-matches.js';

const MatchPage = Page(MatchSummary, 'MatchPage');

export function matchRoutes(prefix: 'matches' | 'games', matches: MatchService) {
  const noun = prefix === 'matches' ? 'Match' : 'Game';
  const nouns = prefix === 'matches' ? 'Matches' : 'Games';
  const tags = ['matches'];

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      `/${prefix}`,
      {
        schema: {
          operationId: `list${nouns}`,
          tags,
          summary: 'Matches with filters, pagination and sort',
          querystring: MatchListQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      // Cached: an import that changes any match drops every cached list (list:*).
      async (req, reply) => {
        const q = req.query as Static<typeof MatchListQuery>;
        return reply.cached(cacheKeys.list('matches', q), CACHE_TTL_SECONDS.list, () => matches.list(q));
      },
    );

    app.get(
      `/${prefix}/today`,
      {
        schema: {
          operationId: `listToday${nouns}`,
          tags,
          summary: "Today's matches (UTC calendar date), earliest first",
          querystring: TodayQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      async (req) => matches.today(req.query as Static<typeof TodayQuery>),
    );

    app.get(
      `/${prefix}/upcoming`,
      {
        schema: {
          operationId: `listUpcoming${nouns}`,
          tags,
          summary: 'Scheduled matches in the next N days (default 7), earliest first',
          querystring: UpcomingQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      async (req) => matches.upcoming(req.query as Static<typeof UpcomingQuery>),
    );

    app.get(
      `/${prefix}/live`,
      {
        schema: {
          operationId: `listLive${nouns}`,
          tags,
          summary: 'Matches in progress',
          querystring: TodayQuery,
          response: { 200: MatchPage, ...readErrors },
        },
      },
      async (req) => matches.live(req.query as Static<typeof TodayQuery>),
    );

    app.get(
      `/${prefix}/:id`,
      {
        schema: {
          operationId: `get${noun}`,
          tags,
          summary: 'Match detail: teams, competition, season, venue, scores by period, sources',
          params: IdParams,
          response: { 200: MatchDetail, ...readErrors },
        },
      },
      async (req, reply) => {
        const { id } = req.params as IdParams;
        return reply.cached(cacheKeys.entity('match', id, 'detail'), CACHE_TTL_SECONDS.entity, () => matches.detail(id));
      },
    );

    app.get(
      `/${prefix}/:id/stats`,
      {
        schema: {
          operationId: `get${noun}Stats`,
          tags,
          summary: 'Box score: team statistics and player statistics by side',
          params: IdParams,
          response: { 200: GameStats, ...readErrors },
        },
      },
      async (req, reply) => {
        const { id } = req.params as IdParams;
        return reply.cached(cacheKeys.entity('match', id, 'stats'), CACHE_TTL_SECONDS.entity, () => matches.stats(id));
      },
    );

    app.get(
      `/${prefix}/:id/odds`,
      {
        schema: {
          operationId: `get${noun}Odds`,
          tags,
          summary: 'Stored bookmaker odds grouped by market',
          params: IdParams,
          querystring: OddsQuery,
          response: { 200: MatchOdds, ...readErrors },
        },
      },
      async (req) => matches.odds((req.params as IdParams).id, req.query as Static<typeof OddsQuery>),
    );
  };
}
