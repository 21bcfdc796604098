// Prediction, analytics and model-registry routes. Seed 000: /predictions/games/{id},
// /today, /accuracy, /history; seed 002: /upcoming, /match/{id}, /league/{id} and
// /analytics/*; seed 001: /models/info. Handlers are one service call each.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import type { Db } from '../../db/client.js';
import { securedRoute } from '../../platform/auth/identity.js';
import type { Clock } from '../../platform/clock.js';
import { ErrorBody, ServiceUnavailableError } from '../../platform/errors.js';
import type { JobEngine } from '../../platform/jobs.js';
import { IdParams, Page, readErrors, versionField } from '../../platform/schemas.js';
import { CompetitionParams } from '../catalog/schemas.js';
import { createAnalyticsService } from './analytics.js';
import { TRAIN_QUEUE, type TrainJobData } from './job.js';
import { createRegistryService, ModelArtifactDetail, ModelListQuery, ModelPage, ModelsInfoResponse } from './registry.js';
import {
  AccuracyResponse,
  AnalyticsQuery,
  GamePrediction,
  HistoryQuery,
  LeagueAccuracy,
  LeagueQuery,
  MatchPrediction,
  MatchPredictionQuery,
  ModelPerformance,
  PeriodQuery,
  PredictionItem,
  TodayQuery,
  UpcomingQuery,
} from './schemas.js';
import { createPredictionService } from './service.js';

const PredictionPage = Page(PredictionItem, 'PredictionPage');
const tags = ['predictions'];

export const TrainRequest = Type.Object(
  {
    sport: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    backtest: Type.Optional(Type.Boolean({ description: 'Backtest and refit the ensemble (default true)' })),
  },
  { additionalProperties: false },
);

export async function predictionRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock; jobs: JobEngine }): Promise<void> {
  const deps = { db: opts.db, clock: opts.clock };
  const predictions = createPredictionService(deps);
  const analytics = createAnalyticsService(deps);
  const registry = createRegistryService(deps);
  const v1 = '/api/v1';

  app.get(`${v1}/predictions/games/:id`, {
    schema: { operationId: 'getGamePrediction', tags, summary: 'Headline prediction for a game (generated on demand while the game is upcoming)', params: IdParams, response: { 200: GamePrediction, ...readErrors } },
  }, async (req, reply) => {
    // Cached until the predictions change: training, a refresh or any import drops list:predictions:*.
    const { id } = req.params as IdParams;
    return reply.cached(cacheKeys.predictions('game', { id }), CACHE_TTL_SECONDS.list, () => predictions.game(id));
  });

  app.get(`${v1}/predictions/match/:id`, {
    schema: { operationId: 'getMatchPrediction', tags, summary: 'Full prediction for a match: every market (soccer) and every model', params: IdParams, querystring: MatchPredictionQuery, response: { 200: MatchPrediction, ...readErrors } },
  }, async (req) => predictions.match((req.params as IdParams).id, req.query as Static<typeof MatchPredictionQuery>));

  app.get(`${v1}/predictions/today`, {
    schema: { operationId: 'listTodayPredictions', tags, summary: "Predictions for today's matches (UTC date)", querystring: TodayQuery, response: { 200: PredictionPage, ...readErrors } },
  }, async (req) => predictions.today(req.query as Static<typeof TodayQuery>));

  app.get(`${v1}/predictions/upcoming`, {
    schema: { operationId: 'listUpcomingPredictions', tags, summary: 'Predictions for matches that have not started, next N days', querystring: UpcomingQuery, response: { 200: PredictionPage, ...readErrors } },
  }, async (req, reply) => {
    const q = req.query as Static<typeof UpcomingQuery>;
    // "Upcoming" moves with the clock: the minute is part of the key, so a match that kicked
    // off leaves the answer within a minute even without a data change.
    const minute = Math.floor(opts.clock.now().getTime() / 60_000);
    return reply.cached(cacheKeys.predictions('upcoming', { ...q, minute }), CACHE_TTL_SECONDS.list, () => predictions.upcoming(q));
  });

  app.get(`${v1}/predictions/league/:id`, {
    schema: { operationId: 'listLeaguePredictions', tags, summary: 'Predictions for one competition (id or code)', params: CompetitionParams, querystring: LeagueQuery, response: { 200: PredictionPage, ...readErrors } },
  }, async (req) => predictions.league((req.params as { id: string }).id, req.query as Static<typeof LeagueQuery>));

  app.get(`${v1}/predictions/history`, {
    schema: { operationId: 'listPredictionHistory', tags, summary: 'Settled predictions with their results, newest first', querystring: HistoryQuery, response: { 200: PredictionPage, ...readErrors } },
  }, async (req) => predictions.history(req.query as Static<typeof HistoryQuery>));

  app.get(`${v1}/predictions/accuracy`, {
    schema: { operationId: 'getPredictionAccuracy', tags, summary: 'Accuracy of settled predictions over the last N days (seed 000)', querystring: PeriodQuery, response: { 200: AccuracyResponse, ...readErrors } },
  }, async (req) => analytics.accuracy(req.query as Static<typeof PeriodQuery>));

  app.get(`${v1}/analytics/model-performance`, {
    schema: { operationId: 'getModelPerformance', tags: ['analytics'], summary: 'Per model: settled predictions, log loss, Brier, RPS, calibration', querystring: AnalyticsQuery, response: { 200: ModelPerformance, ...readErrors } },
  }, async (req) => analytics.modelPerformance(req.query as Static<typeof AnalyticsQuery>));

  app.get(`${v1}/analytics/prediction-accuracy`, {
    schema: { operationId: 'getPredictionAccuracyByLeague', tags: ['analytics'], summary: 'Accuracy of headline predictions by league', querystring: AnalyticsQuery, response: { 200: LeagueAccuracy, ...readErrors } },
  }, async (req) => analytics.byLeague(req.query as Static<typeof AnalyticsQuery>));

  for (const url of ['/models/info', `${v1}/models/info`]) {
    app.get(url, {
      schema: { operationId: url.startsWith(v1) ? 'getModelsInfoV1' : 'getModelsInfo', tags: ['models'], summary: 'The current model of each kind and competition (seed 001)', response: { 200: ModelsInfoResponse, 500: ErrorBody, 503: ErrorBody } },
    }, async () => registry.info());
  }

  app.get(`${v1}/models`, {
    schema: { operationId: 'listModels', tags: ['models'], summary: 'Trained model artifacts, newest first', querystring: ModelListQuery, response: { 200: ModelPage, ...readErrors } },
  }, async (req) => registry.list(req.query as Static<typeof ModelListQuery>));

  app.get(`${v1}/models/:version`, {
    schema: {
      operationId: 'getModel',
      tags: ['models'],
      summary: 'One model artifact with its parameters',
      params: Type.Object({ version: Type.String({ minLength: 3, maxLength: 200 }) }),
      response: { 200: ModelArtifactDetail, ...readErrors },
    },
  }, async (req) => registry.detail((req.params as { version: string }).version));

  app.post(`${v1}/models/train`, {
    preHandler: app.requireAdmin,
    schema: {
      operationId: 'trainModels',
      tags: ['models'],
      summary: 'Queue a training run (admin); predictions are regenerated after it',
      ...securedRoute,
      body: TrainRequest,
      response: { 202: Type.Object({ job_id: Type.String(), queue: Type.String(), ...versionField }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody, 503: ErrorBody },
    },
  }, async (req, reply) => {
    if (!opts.jobs.started) throw new ServiceUnavailableError('the job engine is not running in this process');
    const body = req.body as Static<typeof TrainRequest>;
    const data: TrainJobData = { ...body, trigger: 'api' };
    const id = await opts.jobs.enqueue(TRAIN_QUEUE, data, { singletonKey: `train:${body.sport ?? '*'}:${body.competition ?? '*'}` });
    return reply.code(202).send({ job_id: id, queue: TRAIN_QUEUE, version: 'v1' as const });
  });
}

