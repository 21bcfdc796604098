// Scheduled syncs: one queue per configured source (`sync.football-data`, `sync.odds-api`),
// installed as a pg-boss cron schedule by the process that schedules (`sharpline worker`,
// embedded `serve`). Policy 'stately': at most one waiting and one running job per queue
// across every worker, so two workers never sync the same source at once.
import type { JobServices } from '../../jobs.js';
import { afterDataCommitted } from '../../data-changes.js';
import type { JobEngine } from '../../platform/jobs.js';
import { providerConfig, syncSource, type SourceName } from './index.js';

export const syncQueue = (name: SourceName) => `sync.${name}`;

export function registerConnectorJobs(jobs: JobEngine, services: JobServices): void {
  const crons: Partial<Record<SourceName, string>> = {
    'football-data': services.config.connectors.schedules.footballData,
    'odds-api': services.config.connectors.schedules.oddsApi,
  };
  for (const [name, cron] of Object.entries(crons) as [SourceName, string][]) {
    if (!providerConfig(services.config, name).apiKey) continue; // a source without a key is off
    jobs.define<Record<string, never>, Record<string, unknown>>({
      queue: syncQueue(name),
      policy: 'stately',
      retryLimit: 0, // the next scheduled run is the retry; the client already retried inside the run
      expireInMinutes: 30,
      ...(cron ? { schedule: { cron, data: {} } } : {}),
      handler: async (ctx) => {
        const summary = await syncSource(
          {
            config: services.config,
            database: services.database,
            clock: services.clock,
            onCommitted: afterDataCommitted({
              database: services.database,
              clock: services.clock,
              cache: services.cache,
              onError: (what, err) => void ctx.progress({ message: `warning: ${what} failed: ${err.message}` }),
            }),
          },
          name,
        );
        if (summary.status === 'failed') throw new Error(summary.error ?? `${name} sync failed`);
        return { ...summary };
      },
    });
  }
}
