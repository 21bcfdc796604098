// Data-source health (seed 004's /api/health/data-sources): per configured provider, what
// its last runs left in data_sources, judged against the clock. A source without a key is
// `disabled`; one whose runs keep failing is `unhealthy` (and turns /health `degraded`);
// failures below that, a stale last success or a spent quota make it `degraded`.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { dataSources } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import type { HealthProbe } from '../health/routes.js';
import { CONNECTED_SOURCES, providerConfig, SOURCE_IDS, SOURCES } from './index.js';

/** Failed runs in a row from which a source is unhealthy. */
export const UNHEALTHY_STREAK = 3;

export const DataSourceHealth = Type.Object(
  {
    source: Type.String({ description: 'football-data.org | api-football | the-odds-api' }),
    name: Type.String({ description: 'The name `sharpline sync --source` takes' }),
    status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy'), Type.Literal('disabled')]),
    enabled: Type.Boolean(),
    base_url: Type.String(),
    last_updated: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Last successful fetch' }),
    last_run_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error_streak: Type.Integer({ minimum: 0 }),
    stale: Type.Boolean({ description: 'No successful fetch within DATA_SOURCE_STALE_MINUTES' }),
    quota_remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Requests left, as the provider last said' }),
    last_error: Type.Union([Type.String(), Type.Null()]),
    last_error_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the status is not healthy' }),
  },
  { $id: 'DataSourceHealth', title: 'DataSourceHealth' },
);
export type DataSourceHealth = Static<typeof DataSourceHealth>;

export const DataSourcesBody = Type.Object(
  {
    version: Type.Literal('v1'),
    timestamp: Type.String({ format: 'date-time' }),
    status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')], { description: 'unhealthy if any enabled source is' }),
    sources: Type.Array(DataSourceHealth),
  },
  { $id: 'DataSources', title: 'DataSources' },
);
export type DataSourcesBody = Static<typeof DataSourcesBody>;

export async function dataSourcesHealth(deps: { database: Database; config: Config; clock: Clock }): Promise<DataSourcesBody> {
  const now = deps.clock.now();
  const rows = await deps.database.db.select().from(dataSources);
  const byId = new Map(rows.map((r) => [r.source, r]));
  const staleMs = deps.config.connectors.staleAfterMinutes * 60_000;
  const sources = SOURCES.map((name): DataSourceHealth => {
    const pc = providerConfig(deps.config, name);
    const id = SOURCE_IDS[name];
    const r = byId.get(id);
    const connected = CONNECTED_SOURCES.includes(name);
    const enabled = connected && pc.apiKey !== null;
    const stale = enabled && (!r?.lastSuccessAt || now.getTime() - r.lastSuccessAt.getTime() > staleMs);
    const streak = r?.errorStreak ?? 0;
    let status: DataSourceHealth['status'] = 'healthy';
    let reason: string | null = null;
    if (!enabled) {
      status = 'disabled';
      reason = connected ? 'no API key configured' : 'no connector for this source in this version';
    } else if (streak >= UNHEALTHY_STREAK) {
      status = 'unhealthy';
      reason = `${streak} failed runs in a row`;
    } else if (streak > 0) {
      status = 'degraded';
      reason = `${streak} failed run(s) in a row`;
    } else if (r?.quotaRemaining === 0) {
      status = 'degraded';
      reason = 'request quota exhausted';
    } else if (stale) {
      status = 'degraded';
      reason = r?.lastSuccessAt ? 'no successful fetch within the stale window' : 'never fetched';
    }
    return {
      source: id,
      name,
      status,
      enabled,
      base_url: pc.baseUrl,
      last_updated: r?.lastSuccessAt?.toISOString() ?? null,
      last_run_at: r?.lastRunAt?.toISOString() ?? null,
      error_streak: streak,
      stale,
      quota_remaining: r?.quotaRemaining ?? null,
      last_error: r?.lastError ?? null,
      last_error_at: r?.lastErrorAt?.toISOString() ?? null,
      reason,
    };
  });
  const worst = sources.some((s) => s.status === 'unhealthy') ? 'unhealthy' : sources.some((s) => s.status === 'degraded') ? 'degraded' : 'healthy';
  return { version: 'v1', timestamp: now.toISOString(), status: worst, sources };
}

/** The /health probe: down (→ /health degraded, never 503) while an enabled source is unhealthy. */
export function dataSourcesProbe(deps: { database: Database; config: Config; clock: Clock }): HealthProbe {
  // Without a database the answer is unknown; the database probe already reports that.
  const ask = () => dataSourcesHealth(deps).then((h) => h.sources.every((s) => s.status !== 'unhealthy'), () => true);
  return {
    name: 'data_sources',
    required: false,
    check: () =>
      CONNECTED_SOURCES.some((name) => providerConfig(deps.config, name).apiKey)
        ? Promise.race([ask(), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 2_000).unref())])
        : Promise.resolve(true),
  };
}

export async function dataSourceRoutes(app: FastifyInstance, opts: { database: Database; config: Config; clock: Clock }) {
  for (const url of ['/api/v1/health/data-sources', '/api/health/data-sources']) {
    app.get(
      url,
      {
        schema: {
          operationId: url.startsWith('/api/v1') ? 'getApiV1DataSourcesHealth' : 'getApiDataSourcesHealth',
          tags: ['health'],
          summary: 'Health of each provider connector: status, last successful fetch, error streak, staleness, quota left, last error',
          response: { 200: DataSourcesBody },
        },
      },
      async () => dataSourcesHealth(opts),
    );
  }
}
