// The scheduled jobs as `sharpline schedules` and GET /api/v1/jobs list them: every defined
// queue with a cron schedule (what a scheduling process installs in pg-boss: the provider
// syncs, sync.history, models.train, predictions.generate, predictions.settle,
// documents.ingest), with its next run after the clock's now and how the last run ended;
// plus each provider sync that is off (no key or no cron), so the operator sees why.
import cronParser from 'cron-parser';
import { desc, eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { dataSources, jobProgress } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import type { JobEngine } from '../../platform/jobs.js';
import { providerConfig, SOURCE_IDS, SOURCES, type SourceName } from '../connectors/index.js';
import { syncQueue } from '../connectors/job.js';

export interface ScheduleRow {
  queue: string;
  /** The provider a sync queue fetches from; null for the other jobs. */
  source: SourceName | null;
  enabled: boolean;
  cron: string | null;
  next_run: string | null;
  last_run: { job_id: string; state: string; finished_at: string | null; error: string | null } | null;
  last_outcome: Record<string, unknown> | null;
}

export function nextRun(cron: string, after: Date): Date {
  return cronParser.parseExpression(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/** The defined schedules with their next run (cheap: no database access). */
export function upcomingRuns(jobs: Pick<JobEngine, 'schedules'>, now: Date): { queue: string; cron: string; next_run: string }[] {
  return jobs.schedules().map((s) => ({ ...s, next_run: nextRun(s.cron, now).toISOString() }));
}

export async function listSchedules(deps: { database: Database; config: Config; clock: Clock; jobs: Pick<JobEngine, 'schedules'> }): Promise<ScheduleRow[]> {
  const now = deps.clock.now();
  const defined = new Map(deps.jobs.schedules().map((s) => [s.queue, s.cron]));
  const queues = [...new Set([...SOURCES.map(syncQueue), ...defined.keys()])];
  const out: ScheduleRow[] = [];
  for (const queue of queues) {
    const source = SOURCES.find((s) => syncQueue(s) === queue) ?? null;
    const cron = defined.get(queue) ?? null;
    const [last] = await deps.database.db.select().from(jobProgress).where(eq(jobProgress.queue, queue)).orderBy(desc(jobProgress.createdAt)).limit(1);
    const [state] = source ? await deps.database.db.select().from(dataSources).where(eq(dataSources.source, SOURCE_IDS[source])).limit(1) : [];
    out.push({
      queue,
      source,
      enabled: cron !== null && (source === null || providerConfig(deps.config, source).apiKey !== null),
      cron,
      next_run: cron ? nextRun(cron, now).toISOString() : null,
      last_run: last ? { job_id: last.id, state: last.state, finished_at: last.finishedAt?.toISOString() ?? null, error: last.error ?? null } : null,
      last_outcome: state?.lastOutcome ?? (last?.result as Record<string, unknown> | null | undefined) ?? null,
    });
  }
  return out;
}
