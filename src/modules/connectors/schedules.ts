// What `sharpline schedules` lists: each source's scheduled sync, its cron (UTC), the next
// run after the clock's now, and how the last run ended (job_progress, data_sources).
import cronParser from 'cron-parser';
import { desc, eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { dataSources, jobProgress } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import { providerConfig, SOURCE_IDS, type SourceName } from './index.js';
import { syncQueue } from './job.js';

export interface ScheduleRow {
  queue: string;
  source: SourceName;
  enabled: boolean;
  cron: string | null;
  next_run: string | null;
  last_run: { job_id: string; state: string; finished_at: string | null; error: string | null } | null;
  last_outcome: Record<string, unknown> | null;
}

export function nextRun(cron: string, after: Date): Date {
  return cronParser.parseExpression(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
}

export async function listSchedules(deps: { database: Database; config: Config; clock: Clock }): Promise<ScheduleRow[]> {
  const crons: [SourceName, string][] = [
    ['football-data', deps.config.connectors.schedules.footballData],
    ['odds-api', deps.config.connectors.schedules.oddsApi],
  ];
  const out: ScheduleRow[] = [];
  for (const [source, cron] of crons) {
    const queue = syncQueue(source);
    const enabled = providerConfig(deps.config, source).apiKey !== null && cron !== '';
    const [last] = await deps.database.db.select().from(jobProgress).where(eq(jobProgress.queue, queue)).orderBy(desc(jobProgress.createdAt)).limit(1);
    const [state] = await deps.database.db.select().from(dataSources).where(eq(dataSources.source, SOURCE_IDS[source])).limit(1);
    out.push({
      queue,
      source,
      enabled,
      cron: cron || null,
      next_run: enabled ? nextRun(cron, deps.clock.now()).toISOString() : null,
      last_run: last ? { job_id: last.id, state: last.state, finished_at: last.finishedAt?.toISOString() ?? null, error: last.error ?? null } : null,
      last_outcome: state?.lastOutcome ?? null,
    });
  }
  return out;
}
