// Scheduled syncs: one queue per configured source (`sync.football-data`, `sync.api-football`,
// `sync.odds-api`) and the daily history job (`sync.history`: the finished seasons before the
// current one, CRON_HISTORY), installed as pg-boss cron schedules by the process that
// schedules (`sharpline worker`, embedded `serve`). Policy 'stately': at most one waiting and
// one running scheduled job per queue across every worker, so two workers never sync the same
// source at once (test/connectors/schedules-postgres.test.ts proves it on PostgreSQL).
import type { JobServices } from '../../jobs.js';
import { afterDataCommitted } from '../../data-changes.js';
import type { JobEngine } from '../../platform/jobs.js';
import { KEY_VARIABLES, providerConfig, syncSource, type SourceName } from './index.js';
import { backfillSeasons, HISTORY_SOURCES } from './backfill.js';

export const syncQueue = (name: SourceName) => `sync.${name}`;
export const HISTORY_QUEUE = 'sync.history';

export function registerConnectorJobs(jobs: JobEngine, services: JobServices): void {
  const crons: Partial<Record<SourceName, string>> = {
    'football-data': services.config.connectors.schedules.footballData,
    'api-football': services.config.connectors.schedules.apiFootball,
    'odds-api': services.config.connectors.schedules.oddsApi,
  };
  const deps = (onError: (what: string, err: Error) => void) => ({
    config: services.config,
    database: services.database,
    clock: services.clock,
    onCommitted: afterDataCommitted({ database: services.database, clock: services.clock, cache: services.cache, onError }),
  });
  const history = services.config.schedules.history;
  jobs.define<{ seasons?: number }, Record<string, unknown>>({
    queue: HISTORY_QUEUE,
    policy: 'stately',
    retryLimit: 0,
    expireInMinutes: 120,
    ...(history ? { schedule: { cron: history, data: {} } } : {}),
    handler: async (ctx) => {
      const configured = HISTORY_SOURCES.filter((s) => providerConfig(services.config, s).apiKey);
      if (configured.length === 0) return { status: 'skipped', reason: `no fixtures source configured (${HISTORY_SOURCES.map((s) => KEY_VARIABLES[s]).join(' or ')})` };
      const out = await backfillSeasons(deps((what, err) => void ctx.progress({ message: `warning: ${what} failed: ${err.message}` })), { seasons: ctx.data.seasons ?? services.config.schedules.historySeasons });
      if (out.status === 'failed') throw new Error(out.runs.map((r) => r.error).filter(Boolean).join('; ') || 'history sync failed');
      return { ...out };
    },
  });
  for (const [name, cron] of Object.entries(crons) as [SourceName, string][]) {
    if (!providerConfig(services.config, name).apiKey) continue; // a source without a key is off
    jobs.define<Record<string, never>, Record<string, unknown>>({
      queue: syncQueue(name),
      policy: 'stately',
      retryLimit: 0, // the next scheduled run is the retry; the client already retried inside the run
      expireInMinutes: 30,
      ...(cron ? { schedule: { cron, data: {} } } : {}),
      handler: async (ctx) => {
        const summary = await syncSource(deps((what, err) => void ctx.progress({ message: `warning: ${what} failed: ${err.message}` })), name);
        if (summary.status === 'failed') throw new Error(summary.error ?? `${name} sync failed`);
        return { ...summary };
      },
    });
  }
}
