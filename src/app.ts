// Builds the HTTP application without listening: infrastructure plugins first (conventions,
// security headers, CORS, compression, OpenAPI), then each feature module registers itself.
// Tests call buildApp() and use app.inject(); server.ts listens.
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { createHealthService, healthRoutes, type HealthProbe } from './modules/health/routes.js';
import { ingestRoutes } from './modules/ingest/routes.js';
import { jobRoutes } from './modules/jobs/routes.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ErrorBody } from './platform/errors.js';
import httpConventions, { requestIdFrom } from './platform/http.js';
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
  /** Pino logger options; false silences request logs (tests). */
  logger?: boolean | Record<string, unknown>;
}

export type App = FastifyInstance;

export async function buildApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password'],
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
    genReqId: requestIdFrom,
    bodyLimit: deps.config.bodyLimitBytes,
    connectionTimeout: 30_000,
    requestTimeout: 60_000,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);
  await app.register(httpConventions);
  await app.register(helmet, {
    // The interactive docs page loads its own inline scripts and styles.
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(cors, {
    origin: deps.config.corsOrigins === '*' ? true : deps.config.corsOrigins,
    exposedHeaders: ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'],
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
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const health = createHealthService({
    database: deps.database,
    clock,
    appVersion: APP_VERSION,
    startedAt: clock.now(),
    probes: deps.healthProbes ?? [],
  });
  await app.register(healthRoutes, { health });
  await app.register(catalogRoutes, { prefix: '/api/v1', db: deps.database.db, clock });
  await app.register(ingestRoutes, { prefix: '/api/v1', jobs: deps.jobs });
  await app.register(jobRoutes, { prefix: '/api/v1', jobs: deps.jobs });

  await app.ready();
  return app;
}
