// Player-prop routes: seed 001's POST /predict/player, /predict/match, /predict/parlay and
// /recommend/parlays (each also under /api/v1) and seed 000's GET player prediction routes.
// Every call counts in prediction_requests_total and prediction_latency_seconds; a failure
// inside the model code (not a client error) is a 500 InferenceError and counts in
// model_inference_errors.
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, ErrorBody } from '../../platform/errors.js';
import { DbId } from '../../platform/schemas.js';
import {
  MatchPropsRequest,
  MatchPropsResponse,
  ParlayRequest,
  ParlayResponse,
  PlayerPredictionRequest,
  PlayerPredictionResponse,
  PlayerRouteQuery,
  RecommendRequest,
  RecommendResponse,
} from './schemas.js';
import { createPropsService } from './service.js';
import { createPropsState } from './state.js';

const tags = ['player-props'];
const errors = { 400: ErrorBody, 404: ErrorBody, 422: ErrorBody, 500: ErrorBody, 503: ErrorBody };
const v1 = '/api/v1';

export async function propsRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock; responseCache?: boolean; warmIntervalMs?: number }): Promise<void> {
  const state = createPropsState(opts.db, {
    onBuild: (trigger) => app.metrics.propsStateBuilds.inc({ trigger }),
    onSimulate: (trigger) => app.metrics.propsSimulations.inc({ trigger }),
  });
  const service = createPropsService({ db: opts.db, clock: opts.clock, cache: app.cache, responses: opts.responseCache !== false, state });
  // Looks for a data change or a training every warmIntervalMs and rebuilds the state of the
  // matches asked for lately, so their next request does not pay for it (state.ts).
  if (opts.warmIntervalMs) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      state
        .warmIfChanged()
        .catch((err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'props state warm-up failed'))
        .finally(() => {
          running = false;
        });
    }, opts.warmIntervalMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  /** Runs a handler with the prediction metrics; unexpected failures become InferenceError. */
  async function measured<T>(endpoint: string, model: string, run: () => Promise<T>): Promise<T> {
    const end = app.metrics.predictionLatency.startTimer({ endpoint });
    try {
      const out = await run();
      app.metrics.predictionRequests.inc({ endpoint, status: '200' });
      return out;
    } catch (err) {
      if (err instanceof AppError) {
        app.metrics.predictionRequests.inc({ endpoint, status: String(err.statusCode) });
        throw err;
      }
      app.metrics.predictionRequests.inc({ endpoint, status: '500' });
      app.metrics.modelInferenceErrors.inc({ model });
      throw new AppError(500, 'InferenceError', 'Model inference failed', { details: err instanceof Error ? err.message : String(err) });
    } finally {
      end();
    }
  }

  for (const prefix of ['', v1]) {
    const id = (name: string) => (prefix ? `${name}V1` : name);
    app.post(`${prefix}/predict/player`, {
      schema: { operationId: id('predictPlayerProps'), tags, summary: "One player's props in one match (seed 001)", body: PlayerPredictionRequest, response: { 200: PlayerPredictionResponse, ...errors } },
    }, async (req) => {
      const body = req.body as Static<typeof PlayerPredictionRequest>;
      return measured('/predict/player', body.tier ?? 'tier1', () => service.player(body));
    });

    app.post(`${prefix}/predict/match`, {
      schema: { operationId: id('predictMatchProps'), tags, summary: 'Props of every squad player of a match (seed 001)', body: MatchPropsRequest, response: { 200: MatchPropsResponse, ...errors } },
    }, async (req) => {
      const body = req.body as Static<typeof MatchPropsRequest>;
      return measured('/predict/match', body.tier ?? 'tier1', () => service.match(body));
    });

    app.post(`${prefix}/predict/parlay`, {
      schema: { operationId: id('predictParlay'), tags, summary: 'Joint probability of legs of one match: tier1 (independent) vs tier2 (simulated)', body: ParlayRequest, response: { 200: ParlayResponse, ...errors } },
    }, async (req) => {
      const body = req.body as Static<typeof ParlayRequest>;
      return measured('/predict/parlay', body.tier ?? 'tier2', () => service.parlay(body));
    });

    app.post(`${prefix}/recommend/parlays`, {
      schema: { operationId: id('recommendParlays'), tags, summary: 'Bookmaker parlay offers ranked by expected value, with Kelly stakes', body: RecommendRequest, response: { 200: RecommendResponse, ...errors } },
    }, async (req) => {
      const body = req.body as Static<typeof RecommendRequest>;
      return measured('/recommend/parlays', 'tier2', () => service.recommend(body));
    });
  }

  const Params = Type.Object({ id: DbId() });
  for (const [url, operationId] of [
    [`${v1}/players/:id/predictions`, 'getPlayerPropPredictions'],
    [`${v1}/predictions/players/:id`, 'getPlayerPredictions'],
  ] as const) {
    app.get(url, {
      schema: { operationId, tags: ['players', ...tags], summary: "A player's props for a match (default: his team's next match)", params: Params, querystring: PlayerRouteQuery, response: { 200: PlayerPredictionResponse, ...errors } },
    }, async (req) => {
      const q = req.query as Static<typeof PlayerRouteQuery>;
      return measured('/players/predictions', q.tier ?? 'tier1', () => service.playerRoute((req.params as { id: number }).id, q));
    });
  }
}
