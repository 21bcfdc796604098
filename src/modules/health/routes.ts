// Liveness and dependency health: /health and /api/health (seed 004), 503 naming the
// failing dependency when the service cannot do its work.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';

export const HealthBody = Type.Object(
  {
    status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
    timestamp: Type.String({ format: 'date-time' }),
    version: Type.Literal('v1'),
    app_version: Type.String(),
    uptime_seconds: Type.Number(),
    database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
    database_connected: Type.Boolean(),
    cache_connected: Type.Boolean(),
    model_loaded: Type.Boolean(),
    error_streak: Type.Integer({ minimum: 0 }),
    last_error: Type.Union([Type.String(), Type.Null()]),
    last_error_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_success: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    failing: Type.Array(Type.String(), { description: 'Dependencies that are down' }),
  },
  { $id: 'Health', title: 'Health' },
);
export type HealthBody = Static<typeof HealthBody>;

/** A dependency the health check asks: name, whether it is required, and how to ask. */
export interface HealthProbe {
  name: 'database' | 'cache' | 'model' | 'data_sources';
  required: boolean;
  check(): Promise<boolean>;
}

export interface HealthDeps {
  database: Database;
  clock: Clock;
  appVersion: string;
  startedAt: Date;
  probes?: HealthProbe[];
  /** Reuse a probe round younger than this (ms); 0 asks the dependencies on every request. */
  maxProbeAgeMs?: number;
}

export function createHealthService(deps: HealthDeps) {
  let errorStreak = 0;
  let lastError: string | null = null;
  let lastErrorAt: string | null = null;
  let lastSuccess: string | null = null;
  let inFlight: Promise<Round> | null = null;
  let last: Round | null = null;
  const probes: HealthProbe[] = [
    {
      name: 'database',
      required: true,
      check: () =>
        Promise.race([
          deps.database.ping().then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
        ]).catch(() => false),
    },
    ...(deps.probes ?? []),
  ];
  const hasCache = probes.some((p) => p.name === 'cache');
  const hasModel = probes.some((p) => p.name === 'model');

  /** One probe round, summarised once: what every answer built from it shares. */
  const summarise = (at: number, results: { p: HealthProbe; ok: boolean }[]): Round => {
    const ok = (name: string) => results.find((r) => r.p.name === name)?.ok ?? false;
    const failing = results.filter((r) => !r.ok).map((r) => r.p.name);
    return {
      at,
      failing,
      status: results.some((r) => !r.ok && r.p.required) ? 'unhealthy' : failing.length > 0 ? 'degraded' : 'healthy',
      error: failing.length > 0 ? `${failing.join(', ')} unavailable` : null,
      databaseConnected: ok('database'),
      // Without a configured cache server the in-process cache is always there.
      cacheConnected: hasCache ? ok('cache') : true,
      modelLoaded: hasModel ? ok('model') : false,
    };
  };

  return {
    async check(): Promise<HealthBody> {
      // Requests that arrive while a probe round is in flight share its answer, so a burst
      // of health checks costs the database one ping, not one per request.
      // A round younger than maxProbeAgeMs is reused: load balancers and benchmarks may ask
      // thousands of times a second, and the answer cannot change faster than that anyway.
      const fresh = last !== null && deps.clock.now().getTime() - last.at < (deps.maxProbeAgeMs ?? 0);
      if (!fresh) {
        inFlight ??= Promise.all(probes.map(async (p) => ({ p, ok: await p.check().catch(() => false) })))
          .then((results) => (last = summarise(deps.clock.now().getTime(), results)))
          .finally(() => {
            inFlight = null;
          });
      }
      const round = fresh ? last! : await inFlight!;
      const now = deps.clock.now();
      const timestamp = now.toISOString();
      if (round.error !== null) {
        errorStreak += 1;
        lastError = round.error;
        lastErrorAt = timestamp;
      } else {
        errorStreak = 0;
        lastSuccess = timestamp;
      }
      return {
        status: round.status,
        timestamp,
        version: 'v1',
        app_version: deps.appVersion,
        uptime_seconds: Math.round((now.getTime() - deps.startedAt.getTime()) / 100) / 10,
        database: deps.database.kind,
        database_connected: round.databaseConnected,
        cache_connected: round.cacheConnected,
        model_loaded: round.modelLoaded,
        error_streak: errorStreak,
        last_error: lastError,
        last_error_at: lastErrorAt,
        last_success: lastSuccess,
        failing: round.failing,
      };
    },
  };
}

interface Round {
  at: number;
  failing: HealthProbe['name'][];
  status: HealthBody['status'];
  error: string | null;
  databaseConnected: boolean;
  cacheConnected: boolean;
  modelLoaded: boolean;
}

export async function healthRoutes(app: FastifyInstance, opts: { health: ReturnType<typeof createHealthService> }) {
  for (const url of ['/health', '/api/health', '/api/v1/health']) {
    app.get(
      url,
      {
        // A few hundred bytes, asked thousands of times a second: never worth compressing.
        compress: false,
        schema: {
          operationId: url === '/health' ? 'getHealth' : url === '/api/health' ? 'getApiHealth' : 'getApiV1Health',
          tags: ['health'],
          summary: 'Service and dependency health (503 when a required dependency is down)',
          response: { 200: HealthBody, 503: HealthBody },
        },
      },
      async (_req, reply) => {
        const body = await opts.health.check();
        return reply.code(body.status === 'unhealthy' ? 503 : 200).send(body);
      },
    );
  }
}
