// The job engine: pg-boss queues on the same PostgreSQL (or PGlite, through the executeSql
// adapter), with a job_progress row per job that the API reads. Handlers are service
// functions; who consumes (serve in-process, or `sharpline worker`) is decided by run mode,
// never who may enqueue. The same handler code runs inline for CLI commands.
import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';
import { jobProgress, type JobState } from '../db/schema/index.js';
import type { Clock } from './clock.js';
import { clampPercent, createProgressReporter, type ProgressUpdate } from './job-progress.js';
import type { JobDefinition, JobEngine, JobEngineOptions, JobLog, JobProgressRow } from './job-types.js';

export type { ProgressUpdate } from './job-progress.js';
export type { EnqueueOptions, JobContext, JobDefinition, JobEngine, JobEngineOptions, JobHandler, JobLog, JobProgressRow } from './job-types.js';

type AnyDefinition = JobDefinition<unknown, Record<string, unknown>>;

const defaultLog: JobLog = (level, message, err) => {
  const detail = err instanceof Error ? `: ${err.message}` : err === undefined ? '' : `: ${String(err)}`;
  process.stderr.write(`[jobs] ${level} ${message}${detail}\n`);
};

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createJobEngine(database: Database, clock: Clock, options: JobEngineOptions = {}): JobEngine {
  const log = options.log ?? defaultLog;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const defs = new Map<string, AnyDefinition>();
  const workerIds = new Map<string, string[]>();
  /** Handlers running in this process, and pg-boss's own SQL still in flight. */
  const running = new Map<string, Promise<unknown>>();
  const sqlInFlight = new Set<Promise<unknown>>();
  let boss: PgBoss | null = null;
  const db = database.db;

  async function patch(id: string, values: Partial<JobProgressRow>) {
    await db
      .update(jobProgress)
      .set({ ...values, updatedAt: clock.now() })
      .where(eq(jobProgress.id, id));
  }

  async function createRecord(id: string, queue: string, data: object) {
    await db
      .insert(jobProgress)
      .values({ id, queue, state: 'queued', payload: data as Record<string, unknown>, createdAt: clock.now(), updatedAt: clock.now() })
      .onConflictDoNothing();
  }

  /** Run one attempt of a job and record its outcome. `retriesLeft` > 0 means a failure will be retried. */
  async function execute(id: string, queue: string, data: unknown, attempt: number, retriesLeft: number, onProgress?: (u: ProgressUpdate) => void) {
    const def = defs.get(queue);
    if (!def) throw new Error(`no handler defined for queue ${queue}`);
    const attemptNote = attempt > 1 ? `attempt ${attempt}` : null;
    await patch(id, { state: 'running' satisfies JobState, startedAt: clock.now(), finishedAt: null, message: attemptNote });
    const reporter = createProgressReporter(
      (u) =>
        patch(id, {
          ...(u.percent !== undefined ? { percent: clampPercent(u.percent) } : {}),
          ...(u.stage !== undefined ? { stage: u.stage } : {}),
          ...(u.counts !== undefined ? { counts: u.counts } : {}),
          ...(u.message !== undefined ? { message: u.message } : {}),
        }),
      (err) => log('warn', `job ${id}: progress not recorded`, err),
    );
    const progress = (u: ProgressUpdate) => {
      onProgress?.(u);
      reporter.report(u);
      return Promise.resolve();
    };
    try {
      const result = await def.handler({ id, data, attempt, progress });
      await reporter.flush();
      await patch(id, { state: 'completed', percent: 100, result, error: null, finishedAt: clock.now() });
      return result;
    } catch (err) {
      await reporter.flush();
      const msg = errorMessage(err);
      if (retriesLeft > 0) {
        await patch(id, { state: 'queued', error: msg, message: `attempt ${attempt} failed; ${retriesLeft} ${retriesLeft === 1 ? 'retry' : 'retries'} left` });
      } else {
        await patch(id, { state: 'failed', error: msg, finishedAt: clock.now() });
      }
      throw err;
    }
  }

  /** pg-boss's SQL goes through the database adapter; tracked so stop() can let it land. */
  function trackedSql(text: string, values?: unknown[]) {
    const p = database.executeSql(text, values);
    sqlInFlight.add(p);
    const forget = () => sqlInFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Wait until no handler and no pg-boss statement is in flight, or the deadline passes. */
  async function drain(deadline: number): Promise<boolean> {
    for (;;) {
      const pending = [...running.values(), ...sqlInFlight];
      if (pending.length === 0) {
        // A fetch that just returned starts its handler a few microtasks later; look again
        // after the event loop has turned once before calling it quiet.
        await new Promise((r) => setImmediate(r));
        if (running.size === 0 && sqlInFlight.size === 0) return true;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((r) => {
          timer = setTimeout(r, left);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  async function workOne(queue: string, job: PgBoss.JobWithMetadata<Record<string, unknown>>) {
    await createRecord(job.id, queue, job.data);
    const attempt = job.retryCount + 1;
    const run = execute(job.id, queue, job.data, attempt, Math.max(0, job.retryLimit - job.retryCount));
    running.set(job.id, run);
    try {
      return await run;
    } finally {
      running.delete(job.id);
    }
  }

  return {
    get started() {
      return boss !== null;
    },
    define(def) {
      if (boss) throw new Error(`define ${def.queue} before the job engine starts`);
      defs.set(def.queue, def as unknown as AnyDefinition);
    },
    async start({ work, schedule = work }) {
      if (boss) return;
      const instance = new PgBoss({
        db: { executeSql: trackedSql },
        schedule,
        supervise: work,
        // pg-boss checks the clock skew against the database; PGlite shares ours.
        clockMonitorIntervalSeconds: 600,
      });
      instance.on('error', (err: unknown) => log('error', 'pg-boss', err));
      await instance.start();
      boss = instance;
      for (const def of defs.values()) {
        // 'short' policy: at most one *queued* job per singleton key (enqueue gives every
        // keyless job a key of its own), while a job with that key may already be running.
        await instance.createQueue(def.queue, {
          name: def.queue,
          policy: def.policy ?? 'short',
          retryLimit: def.retryLimit ?? 2,
          retryDelay: def.retryDelaySeconds ?? 5,
          retryBackoff: def.retryBackoff ?? true,
          expireInSeconds: (def.expireInMinutes ?? 60) * 60,
        });
        if (work) {
          const ids: string[] = [];
          for (let i = 0; i < Math.max(1, def.concurrency ?? 1); i++) {
            const workerId = await instance.work<Record<string, unknown>>(
              def.queue,
              { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
              async ([job]) => (job ? workOne(def.queue, job) : undefined),
            );
            ids.push(workerId);
          }
          workerIds.set(def.queue, ids);
        }
        if (schedule && def.schedule?.cron) {
          await instance.schedule(def.queue, def.schedule.cron, def.schedule.data as object, { tz: 'UTC' });
        }
      }
      if (schedule) {
        // Schedules persist in the database: one turned off (or a source whose key is gone)
        // would otherwise keep sending jobs nobody defined.
        const wanted = new Set([...defs.values()].filter((d) => d.schedule?.cron).map((d) => d.queue));
        for (const s of await instance.getSchedules()) if (!wanted.has(s.name)) await instance.unschedule(s.name);
      }
    },
    async enqueue(queue, data, opts = {}) {
      if (!defs.has(queue)) throw new Error(`unknown queue ${queue}`);
      if (!boss) throw new Error('job engine not started');
      const singletonKey = opts.singletonKey ?? `job:${randomUUID()}`;
      const id = await boss.send(queue, data, { singletonKey });
      if (!id) {
        // The waiting job; if a worker took it in the meantime, the one now running.
        const { rows } = await database.executeSql(
          `select id from pgboss.job where name = $1 and singleton_key = $2 and state in ('created', 'retry', 'active')
           order by (state = 'created') desc, created_on desc limit 1`,
          [queue, singletonKey],
        );
        const existing = rows[0]?.id;
        if (typeof existing === 'string') return existing;
        throw new Error(`job for ${queue} was not queued, yet no job with key ${singletonKey} is waiting or running`);
      }
      await createRecord(id, queue, data);
      for (const w of workerIds.get(queue) ?? []) boss.notifyWorker(w);
      return id;
    },
    async runInline(queue, data, onProgress) {
      const id = randomUUID();
      await createRecord(id, queue, data);
      return execute(id, queue, data, 1, 0, onProgress);
    },
    async get(id) {
      const rows = await db.select().from(jobProgress).where(eq(jobProgress.id, id)).limit(1);
      const row = rows[0] ?? null;
      if (!row || !boss || (row.state !== 'queued' && row.state !== 'running') || running.has(id)) return row;
      // A worker that died mid-job leaves its record 'running'; pg-boss expires the job and
      // knows how it ended.
      const job = await boss.getJobById(row.queue, id);
      if (job && (job.state === 'failed' || job.state === 'cancelled')) {
        const output = job.output as { message?: unknown } | null;
        const error = typeof output?.message === 'string' ? output.message : `job ${job.state}`;
        await patch(id, { state: job.state, error, finishedAt: clock.now() });
        return { ...row, state: job.state, error, finishedAt: clock.now() };
      }
      return row;
    },
    async list(limit, queue) {
      const q = db.select().from(jobProgress);
      return (queue ? q.where(eq(jobProgress.queue, queue)) : q).orderBy(desc(jobProgress.createdAt)).limit(limit);
    },
    async queueDepth() {
      const out: Record<string, number> = {};
      for (const q of defs.keys()) out[q] = 0;
      const exists = await database.executeSql(`select to_regclass('pgboss.job') is not null as present`);
      if (exists.rows[0]?.present !== true) return out;
      const { rows } = await database.executeSql(
        `select name, count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') group by name`,
      );
      for (const r of rows) if (typeof r.name === 'string' && !r.name.startsWith('__pgboss')) out[r.name] = Number(r.n);
      return out;
    },
    schedules() {
      return [...defs.values()].flatMap((d) => (d.schedule?.cron ? [{ queue: d.queue, cron: d.schedule.cron }] : [])).sort((a, b) => a.queue.localeCompare(b.queue));
    },
    async stop() {
      const b = boss;
      const deadline = Date.now() + stopTimeoutMs;
      if (b) {
        boss = null;
        workerIds.clear();
        // pg-boss stops fetching and waits for its workers; then we wait for our handlers and
        // for the completion statements pg-boss sends without awaiting them.
        await b.stop({ graceful: true, wait: true, timeout: stopTimeoutMs, close: false });
      }
      if (!(await drain(deadline))) {
        for (const id of running.keys()) {
          log('warn', `job ${id} still running after ${stopTimeoutMs} ms; stopping without it (pg-boss will retry it)`);
        }
      }
    },
  };
}
