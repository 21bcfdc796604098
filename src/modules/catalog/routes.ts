// The sports data API under /api/v1: matches (also /games), teams, players, competitions
// (also /leagues) and standings. Read-only; services are built once per app.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { createCompetitionService } from './competitions-service.js';
import { createMatchService } from './matches-service.js';
import { createPlayerService } from './players-service.js';
import { competitionRoutes, standingsRoutes } from './routes-competitions.js';
import { matchRoutes } from './routes-matches.js';
import { playerRoutes } from './routes-players.js';
import { teamRoutes } from './routes-teams.js';
import { createStandingsService } from './standings-service.js';
import { createTeamService } from './teams-service.js';

export async function catalogRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  // The count cache shares the response cache's store and invalidation (list:*).
  const matches = createMatchService({ ...opts, cache: app.cache });
  const standings = createStandingsService(opts);
  const teams = createTeamService({ ...opts, matches });
  const players = createPlayerService(opts);
  const competitions = createCompetitionService({ ...opts, matches, standings });

  await app.register(matchRoutes('matches', matches));
  await app.register(matchRoutes('games', matches));
  await app.register(teamRoutes(teams, standings));
  await app.register(playerRoutes(players));
  await app.register(competitionRoutes('competitions', competitions));
  await app.register(competitionRoutes('leagues', competitions));
  await app.register(standingsRoutes(standings));
}
