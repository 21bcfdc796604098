// The job engine: pg-boss queues on the same PostgreSQL (or PGlite, through the executeSql
// adapter), with a job_progress row per job that the API reads. Handlers are service
// functions; who consumes (serve in-process, or `sharpline worker`) is decided by run mode,
// never who may enqueue. The same handler code runs inline for CLI commands.
import { randomUUID } from 'node:crypto';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';
import { jobProgress, type JobState } from '../db/schema/index.js';
import type { Clock } from './clock.js';

export interface ProgressUpdate {
  percent?: number;
  stage?: string;
  counts?: Record<string, number>;
  message?: string;
}

export interface JobContext<P> {
  id: string;
  data: P;
  /** Record progress (throttled to one write per 250 ms unless the stage changes). */
  progress(update: ProgressUpdate): Promise<void>;
}

export type JobHandler<P, R extends Record<string, unknown>> = (ctx: JobContext<P>) => Promise<R>;

export interface JobDefinition<P = never, R extends Record<string, unknown> = Record<string, unknown>> {
  queue: string;
  handler: JobHandler<P, R>;
  retryLimit?: number;
  expireInMinutes?: number;
  /** Cron schedule (UTC) for periodic jobs, with the payload to send. */
  schedule?: { cron: string; data: P };
}

export type JobProgressRow = typeof jobProgress.$inferSelect;

export interface JobEngine {
  define<P, R extends Record<string, unknown>>(def: JobDefinition<P, R>): void;
  /** Start pg-boss; with `work`, consume the defined queues; with `schedule`, install cron schedules. */
  start(opts: { work: boolean; schedule?: boolean }): Promise<void>;
  enqueue<P extends object>(queue: string, data: P, opts?: { singletonKey?: string }): Promise<string>;
  /** Run a defined job in this process, recording progress exactly as a worker would. */
  runInline<P extends object>(queue: string, data: P, onProgress?: (u: ProgressUpdate) => void): Promise<Record<string, unknown>>;
  get(id: string): Promise<JobProgressRow | null>;
  list(limit: number, queue?: string): Promise<JobProgressRow[]>;
  queueDepth(): Promise<Record<string, number>>;
  readonly started: boolean;
  stop(): Promise<void>;
}

export function createJobEngine(database: Database, clock: Clock): JobEngine {
  const defs = new Map<string, JobDefinition<unknown, Record<string, unknown>>>();
  let boss: PgBoss | null = null;
  const db = database.db;

  async function setState(id: string, state: JobState, patch: Partial<JobProgressRow> = {}) {
    await db
      .update(jobProgress)
      .set({ state, ...patch, updatedAt: clock.now() })
      .where(eq(jobProgress.id, id));
  }

  function progressWriter(id: string, onProgress?: (u: ProgressUpdate) => void) {
    let lastWrite = 0;
    let lastStage: string | undefined;
    return async (u: ProgressUpdate) => {
      onProgress?.(u);
      const now = clock.now().getTime();
      if (u.stage === lastStage && now - lastWrite < 250 && (u.percent ?? 0) < 100) return;
      lastWrite = now;
      lastStage = u.stage;
      await db
        .update(jobProgress)
        .set({
          ...(u.percent !== undefined ? { percent: Math.max(0, Math.min(100, Math.round(u.percent))) } : {}),
          ...(u.stage !== undefined ? { stage: u.stage } : {}),
          ...(u.counts !== undefined ? { counts: u.counts } : {}),
          ...(u.message !== undefined ? { message: u.message } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(jobProgress.id, id));
    };
  }

  async function execute(id: string, queue: string, data: unknown, onProgress?: (u: ProgressUpdate) => void) {
    const def = defs.get(queue);
    if (!def) throw new Error(`no handler defined for queue ${queue}`);
    await setState(id, 'running', { startedAt: clock.now(), error: null });
    try {
      const result = await def.handler({ id, data, progress: progressWriter(id, onProgress) });
      await setState(id, 'completed', { percent: 100, result, finishedAt: clock.now() });
      return result;
    } catch (err) {
      await setState(id, 'failed', { error: err instanceof Error ? err.message : String(err), finishedAt: clock.now() });
      throw err;
    }
  }

  async function createRecord(id: string, queue: string, data: object) {
    await db
      .insert(jobProgress)
      .values({ id, queue, state: 'queued', payload: data as Record<string, unknown> })
      .onConflictDoNothing();
  }

  return {
    get started() {
      return boss !== null;
    },
    define(def) {
      defs.set(def.queue, def as unknown as JobDefinition<unknown, Record<string, unknown>>);
    },
    async start({ work, schedule = work }) {
      if (boss) return;
      const instance = new PgBoss({
        db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
        schedule,
        supervise: work,
        // pg-boss checks the clock skew against the database; PGlite shares ours.
        clockMonitorIntervalSeconds: 600,
      });
      instance.on('error', () => undefined);
      await instance.start();
      boss = instance;
      for (const def of defs.values()) {
        await instance.createQueue(def.queue, {
          name: def.queue,
          retryLimit: def.retryLimit ?? 2,
          retryDelay: 5,
          retryBackoff: true,
          expireInSeconds: (def.expireInMinutes ?? 60) * 60,
        });
        if (work) {
          await instance.work<Record<string, unknown>>(def.queue, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
            if (!job) return;
            await createRecord(job.id, def.queue, job.data);
            return execute(job.id, def.queue, job.data);
          });
        }
        if (schedule && def.schedule) {
          await instance.schedule(def.queue, def.schedule.cron, def.schedule.data as object, { tz: 'UTC' });
        }
      }
    },
    async enqueue(queue, data, opts = {}) {
      if (!defs.has(queue)) throw new Error(`unknown queue ${queue}`);
      if (!boss) throw new Error('job engine not started');
      const id = await boss.send(queue, data, opts.singletonKey ? { singletonKey: opts.singletonKey } : {});
      if (!id) throw new Error(`job for ${queue} was not queued (a singleton is already queued)`);
      await createRecord(id, queue, data);
      return id;
    },
    async runInline(queue, data, onProgress) {
      const id = randomUUID();
      await createRecord(id, queue, data);
      return execute(id, queue, data, onProgress);
    },
    async get(id) {
      const rows = await db.select().from(jobProgress).where(eq(jobProgress.id, id)).limit(1);
      return rows[0] ?? null;
    },
    async list(limit, queue) {
      const q = db.select().from(jobProgress);
      return (queue ? q.where(eq(jobProgress.queue, queue)) : q).orderBy(desc(jobProgress.createdAt)).limit(limit);
    },
    async queueDepth() {
      const rows = await db
        .select({ queue: jobProgress.queue, n: sql<number>`count(*)::int` })
        .from(jobProgress)
        .where(inArray(jobProgress.state, ['queued', 'running']))
        .groupBy(jobProgress.queue);
      const out: Record<string, number> = {};
      for (const q of defs.keys()) out[q] = 0;
      for (const r of rows) out[r.queue] = Number(r.n);
      return out;
    },
    async stop() {
      if (!boss) return;
      const b = boss;
      boss = null;
      await b.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
    },
  };
}
