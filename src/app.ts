// Builds the HTTP application without listening: infrastructure plugins first (conventions,
// security headers, CORS, compression, OpenAPI), then each feature module registers itself.
// Tests call buildApp() and use app.inject(); server.ts listens.
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { createHealthService, healthRoutes, type HealthProbe } from './modules/health/routes.js';
import { dataSourceRoutes, dataSourcesProbe } from './modules/connectors/health.js';
import { ingestRoutes } from './modules/ingest/routes.js';
import { jobRoutes } from './modules/jobs/routes.js';
import { predictionRoutes } from './modules/predictions/routes.js';
import { propsRoutes } from './modules/props/routes.js';
import { analysisRoutes } from './modules/analysis/routes.js';
import { rulesPortOf } from './modules/analysis/engine.js';
import { rulesRoutes } from './modules/rules/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { createRulesService, RULES_CHANNEL } from './modules/rules/service.js';
import { createPubSub } from './platform/pubsub.js';
import accessControl from './modules/auth/index.js';
import livePlugin from './modules/live/index.js';
import type { Cache } from './platform/cache/cache.js';
import cachePlugin from './platform/cache/plugin.js';
import metricsPlugin from './platform/metrics.js';
import type { RedisClient } from './platform/redis.js';
import { openSharedState } from './platform/shared-state.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ErrorBody } from './platform/errors.js';
import { buildSerializer } from './platform/serializer.js';
import httpConventions, { lazyChildLoggerFactory, requestIdFrom, securityHeaders, serializeRequestForLog } from './platform/http.js';
import type { JobEngine } from './platform/jobs.js';

export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface AppDeps {
  config: Config;
  database: Database;
  jobs: JobEngine;
  clock?: Clock;
  /** Extra health probes (cache, models) contributed by optional components. */
  healthProbes?: HealthProbe[];
  /** The process's Redis client (runtime); omitted → the app opens one from config.redisUrl. */
  redis?: RedisClient | null;
  /** The response cache shared with the job handlers (runtime); omitted → built here. */
  cache?: Cache;
  /** Pino logger options; false silences request logs (tests). */
  logger?: boolean | Record<string, unknown>;
}

export type App = FastifyInstance;

// Secrets never reach the logs, at the top level of a log object or one level down.
const SECRET_FIELDS = ['password', 'access_token', 'refresh_token', 'refresh', 'key', 'api_key', 'client_secret', 'token', 'secret'];
const SECRET_HEADERS = ['.authorization', '["x-api-key"]', '.cookie', '["set-cookie"]'];
const REDACTED_LOG_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
  ...SECRET_HEADERS.flatMap((h) => [`req.headers${h}`, `res.headers${h}`, `headers${h}`, `*.headers${h}`]),
];

export async function buildApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            serializers: { req: serializeRequestForLog },
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
    genReqId: requestIdFrom,
    // The per-request child logger is made when the request first logs (decision 0037).
    ...(deps.logger === false ? {} : { childLoggerFactory: lazyChildLoggerFactory as never }),
    trustProxy: deps.config.trustProxy,
    bodyLimit: deps.config.bodyLimitBytes,
    connectionTimeout: 30_000,
    requestTimeout: 60_000,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Responses serialised with nullable unions written as type lists (platform/serializer.ts).
    schemaController: { compilersFactory: { buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);
  await app.register(httpConventions, {
    securityHeaders: securityHeaders({
      // The interactive docs page loads its own inline scripts and styles.
      contentSecurityPolicy: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  });
  await app.register(cors, {
    // Any origin, no credentials (callers send bearer tokens, not cookies): "*", which a
    // response need not vary on; a list of origins is matched and reflected, with Vary: Origin.
    origin: deps.config.corsOrigins === '*' ? '*' : deps.config.corsOrigins,
    // One string, not an array the plugin joins on every request.
    exposedHeaders: 'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After',
  });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sharpline API',
        version: APP_VERSION,
        description: 'Sports data, calibrated predictions and value analysis. Every JSON object response carries "version": "v1"; every error has the shape {error, message, details?, field?, timestamp, request_id}.',
      },
      tags: [
        { name: 'health', description: 'Service health' },
        { name: 'matches', description: 'Matches (also served at /games)' },
        { name: 'teams' },
        { name: 'players' },
        { name: 'competitions', description: 'Competitions (also served at /leagues) and standings' },
        { name: 'imports', description: 'Data imports' },
        { name: 'jobs', description: 'Background jobs and their progress' },
        { name: 'live', description: 'Live match tracking: user matches, events, share links, offline sync' },
        { name: 'auth', description: 'Accounts and sessions' },
        { name: 'api-keys', description: 'API keys for programmatic clients' },
        { name: 'cache', description: 'Response cache (admin)' },
        { name: 'admin', description: 'Business rules and their audit log (admin)' },
        { name: 'analysis', description: 'Value analysis: +EV opportunities, Kelly stakes and log-optimal lineups' },
        { name: 'documents', description: 'Sports news as documents: ingestion, entity links, sentiment, search, source health' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Access token (JWT) or API key' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          oauth2: { type: 'oauth2', flows: { password: { tokenUrl: '/api/v1/auth/login', refreshUrl: '/api/v1/auth/refresh', scopes: {} } } },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Cache, auth and rate limits come before every feature route: their hooks must see all.
  const shared = await openSharedState({ config: deps.config, clock, redis: deps.redis, cache: deps.cache });
  let lastRedisLog = 0;
  shared.onRedisError((err) => {
    // One line per 10 s is enough to see that Redis is down without flooding the log.
    if (clock.now().getTime() - lastRedisLog < 10_000) return;
    lastRedisLog = clock.now().getTime();
    app.log.warn({ err: err.message }, 'redis unavailable: serving uncached, limits per instance');
  });
  app.addHook('onClose', () => shared.close());
  await app.register(metricsPlugin, { database: deps.database, jobs: deps.jobs, cache: shared.cache });
  await app.register(accessControl, { config: deps.config, db: deps.database.db, clock, shared, sharedDatabase: deps.database.kind === 'postgres' });
  await app.register(cachePlugin, { cache: shared.cache, responses: deps.config.cacheResponses });

  const health = createHealthService({
    database: deps.database,
    clock,
    appVersion: APP_VERSION,
    startedAt: clock.now(),
    maxProbeAgeMs: deps.config.healthProbeMaxAgeMs,
    probes: [
      ...(deps.healthProbes ?? []),
      ...shared.healthProbes.filter((p) => !deps.healthProbes?.some((q) => q.name === p.name)),
      dataSourcesProbe({ database: deps.database, config: deps.config, clock }),
    ],
  });
  await app.register(healthRoutes, { health });
  await app.register(dataSourceRoutes, { database: deps.database, config: deps.config, clock });
  await app.register(catalogRoutes, { prefix: '/api/v1', db: deps.database.db, clock });
  await app.register(ingestRoutes, { prefix: '/api/v1', jobs: deps.jobs });
  await app.register(jobRoutes, { prefix: '/api/v1', jobs: deps.jobs, clock });
  await app.register(predictionRoutes, { db: deps.database.db, clock, jobs: deps.jobs });
  await app.register(propsRoutes, { db: deps.database.db, clock, responseCache: deps.config.cacheResponses, warmIntervalMs: deps.config.propsWarmIntervalMs });
  // Business rules live in the database; each instance keeps the active set in memory and
  // drops it when any instance announces a change.
  const rulesPubSub = await createPubSub({ redisUrl: deps.config.redisUrl, databaseUrl: deps.database.url }, (err) => app.log.warn({ err: err.message }, 'rules pub/sub error'));
  const rules = createRulesService({ db: deps.database.db, clock, file: deps.config.businessRulesFile, pubsub: rulesPubSub });
  await rulesPubSub.subscribe(RULES_CHANNEL, () => rules.invalidate());
  rulesPubSub.onResubscribed(() => rules.invalidate());
  app.addHook('onClose', () => rulesPubSub.close());
  await app.register(rulesRoutes, { prefix: '/api/v1', db: deps.database.db, clock, rules });
  await app.register(analysisRoutes, { prefix: '/api/v1', db: deps.database.db, clock, jobs: deps.jobs, config: deps.config, rules: rulesPortOf(rules) });
  await app.register(documentRoutes, { prefix: '/api/v1', db: deps.database.db, clock });
  await app.register(livePlugin, { config: deps.config, database: deps.database, clock, shared });

  await app.ready();
  return app;
}
