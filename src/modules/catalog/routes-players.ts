// Player routes (seed 000): list, search, detail, season statistics and game log.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams, Page, readErrors } from '../../platform/schemas.js';
import type { PlayerService } from './players-service.js';
import {
  GameLogQuery,
  GameLogRow,
  PlayerDetail,
  PlayerListQuery,
  PlayerSearchQuery,
  PlayerStats,
  PlayerStatsQuery,
  PlayerSummary,
} from './schemas-players.js';

const tags = ['players'];
const PlayerPage = Page(PlayerSummary, 'PlayerPage');

export function playerRoutes(players: PlayerService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/players',
      {
        schema: {
          operationId: 'listPlayers',
          tags,
          summary: 'Players, filtered by sport, current team or position',
          querystring: PlayerListQuery,
          response: { 200: PlayerPage, ...readErrors },
        },
      },
      async (req) => players.list(req.query as Static<typeof PlayerListQuery>),
    );

    app.get(
      '/players/search',
      {
        schema: {
          operationId: 'searchPlayers',
          tags,
          summary: 'Find players by name: partial, case- and accent-insensitive, best matches first',
          querystring: PlayerSearchQuery,
          response: { 200: PlayerPage, ...readErrors },
        },
      },
      async (req) => players.search(req.query as Static<typeof PlayerSearchQuery>),
    );

    app.get(
      '/players/:id',
      {
        schema: {
          operationId: 'getPlayer',
          tags,
          summary: 'Player detail: team, position, injury status, team history',
          params: IdParams,
          response: { 200: PlayerDetail, ...readErrors },
        },
      },
      async (req) => players.detail((req.params as IdParams).id),
    );

    app.get(
      '/players/:id/stats',
      {
        schema: {
          operationId: 'getPlayerStats',
          tags,
          summary: 'Season totals with per-90 and per-game rates (?season=, default the latest)',
          params: IdParams,
          querystring: PlayerStatsQuery,
          response: { 200: PlayerStats, ...readErrors },
        },
      },
      async (req) => players.stats((req.params as IdParams).id, req.query as Static<typeof PlayerStatsQuery>),
    );

    app.get(
      '/players/:id/game-log',
      {
        schema: {
          operationId: 'getPlayerGameLog',
          tags,
          summary: 'Per-match statistics, newest first',
          params: IdParams,
          querystring: GameLogQuery,
          response: { 200: Page(GameLogRow, 'GameLogPage'), ...readErrors },
        },
      },
      async (req) => players.gameLog((req.params as IdParams).id, req.query as Static<typeof GameLogQuery>),
    );
  };
}
