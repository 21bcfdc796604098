// Seed 004's real-time analysis API under /api/v1/analysis: start a run (JWT or API key),
// follow its progress, read its opportunities and lineups; the sports and the engine's
// status. Rate limits per caller: start 1 per 30 s, progress 10/min, results 30/min.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { securedRoute } from '../../platform/auth/identity.js';
import type { Clock } from '../../platform/clock.js';
import type { JobEngine } from '../../platform/jobs.js';
import { versionField } from '../../platform/schemas.js';
import { createAnalysisService, type Caller } from './service.js';
import type { RulesPort } from './engine.js';

const E = { $ref: 'ErrorBody#' };
const errors = { 400: E, 401: E, 403: E, 404: E, 429: E, 503: E };

const StartBody = Type.Object(
  {
    sports: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, description: 'Sport codes or aliases (soccer, basketball/nba, american_football/nfl…); default all' })),
    min_confidence: Type.Optional(Type.Number({ minimum: 50, maximum: 99, default: 75, description: 'ml_confidence floor (0-100 scale)' })),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    lineup_sizes: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 50 }), { maxItems: 10 })),
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Whose business rules apply (default: the caller's own id); only admins may name another user" })),
    bookmakers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
    markets: Type.Optional(Type.Array(Type.Union(['1x2', 'moneyline', 'over_under', 'total', 'asian_handicap', 'spread', 'btts'].map((m) => Type.Literal(m))), { maxItems: 10 })),
    kelly_fraction: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.25, description: 'Fraction of full Kelly to stake' })),
    bankroll: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e12, default: 1000 })),
  },
  { additionalProperties: false },
);

const Started = Type.Object(
  { analysis_id: Type.String(), status: Type.Literal('started'), message: Type.String(), estimated_duration_seconds: Type.Integer({ minimum: 0 }), ...versionField },
  { title: 'AnalysisStarted' },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const RulesFields = { ruleset_version: Nullable(Type.String()), rules_last_updated: Nullable(Type.String({ format: 'date-time' })) };

const Progress = Type.Object(
  {
    analysis_id: Type.String(),
    status: Type.String({ description: 'queued, collecting_data, analyzing, completed or failed' }),
    progress_percentage: Type.Number(),
    total_bets: Type.Integer(),
    analyzed_bets: Type.Integer(),
    current_sport: Nullable(Type.String()),
    current_sportsbook: Nullable(Type.String()),
    estimated_completion: Nullable(Type.String({ format: 'date-time' })),
    message: Nullable(Type.String()),
    error: Nullable(Type.String()),
    started_at: Nullable(Type.String()),
    finished_at: Nullable(Type.String()),
    ...RulesFields,
    ...versionField,
  },
  { title: 'AnalysisProgress' },
);

const Opportunity = Type.Object({}, { additionalProperties: true, title: 'BetOpportunity', description: 'See docs/value-analysis.md for every field' });

const Opportunities = Type.Object(
  {
    analysis_id: Type.String(),
    opportunities: Type.Array(Opportunity),
    violations: Type.Array(Type.Object({ bet_id: Type.String(), reason: Type.String() })),
    summary: Type.Object({}, { additionalProperties: true }),
    ...RulesFields,
    ...versionField,
  },
  { title: 'AnalysisOpportunities' },
);

const Lineups = Type.Object(
  {
    analysis_id: Type.String(),
    bankroll: Type.Number(),
    kelly_fraction: Type.Number(),
    lineups: Type.Array(Type.Object({}, { additionalProperties: true, title: 'OptimalLineup' })),
    ...RulesFields,
    ...versionField,
  },
  { title: 'AnalysisLineups' },
);

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });
const OpportunitiesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  min_confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  include_filtered: Type.Optional(Type.Boolean({ description: 'Also list bets the business rules filtered, with their violations' })),
});
const LineupsQuery = Type.Object({ lineup_sizes: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 50 }), { maxItems: 10 })) });

function callerOf(req: { auth: { userId: number; role: string } | null }): Caller {
  return { userId: req.auth!.userId, role: req.auth!.role };
}

export async function analysisRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock; jobs: JobEngine; config: Config; rules?: RulesPort }) {
  const service = createAnalysisService({ db: opts.db, clock: opts.clock, jobs: opts.jobs, settings: opts.config.analysis, ...(opts.rules ? { rules: opts.rules } : {}) });
  const tags = ['analysis'];

  app.post(
    '/analysis/start',
    {
      onRequest: app.requireUser,
      config: { rateLimitPolicy: 'analysis.start' },
      schema: { ...securedRoute, operationId: 'startAnalysis', tags, summary: 'Start a value analysis over the stored prices of upcoming matches (a background job)', body: StartBody, response: { 202: Started, ...errors } },
    },
    async (req, reply) => reply.code(202).send({ ...(await service.start(callerOf(req), (req.body ?? {}) as Static<typeof StartBody>)), version: 'v1' as const }),
  );

  app.get(
    '/analysis/progress/:id',
    {
      onRequest: app.requireUser,
      config: { rateLimitPolicy: 'analysis.progress' },
      schema: { ...securedRoute, operationId: 'analysisProgress', tags, summary: "An analysis run's status and progress", params: IdParams, response: { 200: Progress, ...errors } },
    },
    async (req) => ({ ...(await service.progress(callerOf(req), (req.params as Static<typeof IdParams>).id)), version: 'v1' as const }),
  );

  app.get(
    '/analysis/results/:id/opportunities',
    {
      onRequest: app.requireUser,
      config: { rateLimitPolicy: 'analysis.results' },
      schema: { ...securedRoute, operationId: 'analysisOpportunities', tags, summary: 'Positive-EV opportunities of a completed run, best first', params: IdParams, querystring: OpportunitiesQuery, response: { 200: Opportunities, ...errors } },
    },
    async (req) => ({ ...(await service.opportunities(callerOf(req), (req.params as Static<typeof IdParams>).id, req.query as Static<typeof OpportunitiesQuery>)), version: 'v1' as const }),
  );

  app.get(
    '/analysis/results/:id/lineups',
    {
      onRequest: app.requireUser,
      config: { rateLimitPolicy: 'analysis.results' },
      schema: { ...securedRoute, operationId: 'analysisLineups', tags, summary: 'Log-optimal lineups (simultaneous Kelly) of a completed run', params: IdParams, querystring: LineupsQuery, response: { 200: Lineups, ...errors } },
    },
    async (req) => ({ ...(await service.lineups(callerOf(req), (req.params as Static<typeof IdParams>).id, (req.query as Static<typeof LineupsQuery>).lineup_sizes)), version: 'v1' as const }),
  );

  app.get(
    '/analysis/sports',
    {
      schema: {
        operationId: 'analysisSports',
        tags,
        summary: 'Sports the analysis engine knows, and which have a trained model',
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), has_model: Type.Boolean(), aliases: Type.Array(Type.String()) })), ...versionField }) },
      },
    },
    async () => ({ items: await service.sports(), version: 'v1' as const }),
  );

  app.get(
    '/analysis/status',
    {
      schema: {
        operationId: 'analysisStatus',
        tags,
        summary: "The analysis engine's status with real counts",
        response: { 200: Type.Object({}, { additionalProperties: true, title: 'AnalysisStatus' }) },
      },
    },
    async () => ({ ...(await service.status()), version: 'v1' as const }),
  );
}
