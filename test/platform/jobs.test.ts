// The job engine on the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL): real
// pg-boss workers, progress read back through GET /api/v1/jobs/:id, retries, singleton keys,
// inline runs, two engines sharing one queue, and a graceful stop. Nothing sleeps on a time
// budget: every wait polls for a state with a generous timeout.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine, type JobLog } from '../../src/platform/jobs.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function bossState(database: Database, id: string): Promise<string | undefined> {
  const { rows } = await database.executeSql('select state::text as state from pgboss.job where id = $1', [id]);
  return rows[0]?.state as string | undefined;
}

const errorsOf = (sink: string[]): JobLog => (level, message, err) => {
  if (level === 'error') sink.push(`${message}: ${err instanceof Error ? err.message : String(err)}`);
};

describe('job engine through the API', () => {
  let t: TestApp;
  const slowGate = gate();
  const attempts = { flaky: 0 };
  const flakyGate = gate();

  beforeAll(async () => {
    t = await createTestApp();
    t.jobs.define<{ rows: number }, { rows: number; ok: boolean }>({
      queue: 'test.progress',
      handler: async (ctx) => {
        await ctx.progress({ percent: 40, stage: 'parsing', counts: { rows: ctx.data.rows } });
        await slowGate.opened;
        await ctx.progress({ percent: 90, stage: 'writing', counts: { rows: ctx.data.rows, written: ctx.data.rows } });
        return { rows: ctx.data.rows, ok: true };
      },
    });
    t.jobs.define<Record<string, never>, Record<string, never>>({
      queue: 'test.flaky',
      retryLimit: 2,
      retryDelaySeconds: 0,
      retryBackoff: false,
      handler: async (ctx) => {
        attempts.flaky++;
        if (ctx.attempt === 2) await flakyGate.opened;
        throw new Error(`boom on attempt ${ctx.attempt}`);
      },
    });
    t.jobs.define<{ n: number }, { doubled: number }>({
      queue: 'test.inline',
      handler: async (ctx) => {
        if (ctx.data.n < 0) throw new Error('negative input');
        await ctx.progress({ percent: 50, stage: 'doubling', counts: { n: ctx.data.n } });
        return { doubled: ctx.data.n * 2 };
      },
    });
    t.jobs.define<Record<string, never>, { rows: number }>({
      queue: 'test.in-transaction',
      handler: async (ctx) =>
        // Reporting from inside a transaction must not wait for the database: on PGlite (one
        // connection) the write would queue behind this very transaction.
        t.database.db.transaction(async (tx) => {
          await ctx.progress({ percent: 50, stage: 'inside' });
          const rows = await tx.execute(sql`select 1 as one`);
          return { rows: (rows as unknown as { rows: unknown[] }).rows.length };
        }),
    });
    await t.jobs.start({ work: true });
  });
  afterAll(async () => {
    slowGate.open();
    flakyGate.open();
    await t.close();
  });

  const getJob = async (id: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('runs an enqueued job on the worker, with progress readable while it runs, and its result', async () => {
    const id = await t.jobs.enqueue('test.progress', { rows: 12 });
    const running = await waitFor(async () => {
      const j = await getJob(id);
      return j.state === 'running' && j.stage === 'parsing' ? j : null;
    }, 'progress to be recorded');
    expect(running).toMatchObject({ id, queue: 'test.progress', percent: 40, counts: { rows: 12 }, result: null, finished_at: null, version: 'v1' });
    expect(running.started_at).not.toBeNull();

    slowGate.open();
    const done = await waitFor(async () => {
      const j = await getJob(id);
      return j.state === 'completed' ? j : null;
    }, 'the job to complete');
    expect(done).toMatchObject({ percent: 100, stage: 'writing', counts: { rows: 12, written: 12 }, result: { rows: 12, ok: true }, error: null });
    expect(done.finished_at).not.toBeNull();
    await waitFor(async () => (await bossState(t.database, id)) === 'completed', 'pg-boss to mark it completed');

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/jobs?queue=test.progress' });
    expect(list.json().items.map((j: { id: string }) => j.id)).toContain(id);
  });

  it('retries a throwing handler retryLimit times, then ends failed with the last error', async () => {
    const id = await t.jobs.enqueue('test.flaky', {});
    // The second attempt waits on a gate: the record shows it running, with the first error.
    const second = await waitFor(async () => {
      const j = await getJob(id);
      return j.state === 'running' && j.message === 'attempt 2' ? j : null;
    }, 'the first retry');
    expect(second.error).toBe('boom on attempt 1');
    flakyGate.open();
    const failed = await waitFor(async () => {
      const j = await getJob(id);
      return j.state === 'failed' ? j : null;
    }, 'the job to fail');
    expect(failed.error).toBe('boom on attempt 3');
    expect(failed.finished_at).not.toBeNull();
    expect(attempts.flaky).toBe(3);
    // Our record is written as the last attempt throws; pg-boss marks its own row a moment later.
    await waitFor(async () => ((await bossState(t.database, id)) === 'failed' ? true : null), "pg-boss's row to fail");
    expect(await bossState(t.database, id)).toBe('failed');
  });

  it('runInline writes the same record a worker would', async () => {
    const seen: number[] = [];
    const result = await t.jobs.runInline('test.inline', { n: 21 }, (u) => seen.push(u.percent ?? -1));
    expect(result).toEqual({ doubled: 42 });
    expect(seen).toEqual([50]);
    const [row] = await t.jobs.list(1, 'test.inline');
    const j = await getJob(row!.id);
    expect(j).toMatchObject({ state: 'completed', percent: 100, stage: 'doubling', counts: { n: 21 }, result: { doubled: 42 } });

    await expect(t.jobs.runInline('test.inline', { n: -1 })).rejects.toThrow('negative input');
    const [failed] = await t.jobs.list(1, 'test.inline');
    expect(await getJob(failed!.id)).toMatchObject({ state: 'failed', error: 'negative input', result: null });
  });

  it('lets a handler report progress from inside a database transaction', async () => {
    const result = await t.jobs.runInline('test.in-transaction', {});
    expect(result).toEqual({ rows: 1 });
    const [row] = await t.jobs.list(1, 'test.in-transaction');
    expect(row).toMatchObject({ state: 'completed', stage: 'inside', percent: 100 });
  });

  it('answers 404 for an unknown job and refuses unknown queues', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs/5b0c8e61-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'NotFound', resource: 'job' });
    await expect(t.jobs.enqueue('no.such.queue', {})).rejects.toThrow('unknown queue');
  });
});

describe('job engine across engines and restarts', () => {
  let tdb: TestDatabase;
  const clock = fixedClock('2024-03-15T12:00:00Z');
  const errors: string[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.cleanup();
  });

  it('dedupes queued jobs by singleton key and reports the queue depth', async () => {
    const ran: string[] = [];
    const define = (e: JobEngine) =>
      e.define<{ key: string }, { key: string }>({
        queue: 'test.singleton',
        handler: async (ctx) => {
          ran.push(ctx.data.key);
          return { key: ctx.data.key };
        },
      });
    const producer = createJobEngine(tdb.database, clock, { log: errorsOf(errors) });
    define(producer);
    expect(await producer.queueDepth()).toEqual({ 'test.singleton': 0 });
    await producer.start({ work: false });
    const a1 = await producer.enqueue('test.singleton', { key: 'a' }, { singletonKey: 'sync:a' });
    const a2 = await producer.enqueue('test.singleton', { key: 'a' }, { singletonKey: 'sync:a' });
    const b = await producer.enqueue('test.singleton', { key: 'b' }, { singletonKey: 'sync:b' });
    const free1 = await producer.enqueue('test.singleton', { key: 'free' });
    const free2 = await producer.enqueue('test.singleton', { key: 'free' });
    expect(a2).toBe(a1);
    expect(new Set([a1, b, free1, free2]).size).toBe(4);
    expect(await producer.queueDepth()).toEqual({ 'test.singleton': 4 });
    expect((await producer.get(a1))?.state).toBe('queued');
    await producer.stop();

    const worker = createJobEngine(tdb.database, clock, { log: errorsOf(errors), pollingIntervalSeconds: 0.5 });
    define(worker);
    await worker.start({ work: true });
    await waitFor(async () => (await worker.queueDepth())['test.singleton'] === 0, 'the queue to drain');
    await waitFor(async () => (await worker.get(free2))?.state === 'completed', 'the last job record');
    await worker.stop();
    expect(ran.sort()).toEqual(['a', 'b', 'free', 'free']);
    expect(await worker.get(a1)).toMatchObject({ state: 'completed', result: { key: 'a' } });
    expect(errors).toEqual([]);
  });

  it('lets two engines share a queue, each job running exactly once', async () => {
    // A second pool on PostgreSQL is what a second worker process would have.
    const second: Database = tdb.url ? await openDatabase({ url: tdb.url, poolMax: 5 }) : tdb.database;
    const runs = new Map<string, string[]>();
    let concurrent = 0;
    const bothBusy = gate();
    const engines = ['A', 'B'].map((name, i) => {
      const e = createJobEngine(i === 0 ? tdb.database : second, clock, { log: errorsOf(errors), pollingIntervalSeconds: 0.5 });
      e.define<{ n: number }, { by: string }>({
        queue: 'test.shared',
        handler: async (ctx) => {
          runs.set(ctx.id, [...(runs.get(ctx.id) ?? []), name]);
          // Each engine takes one job at a time, so the first job holds its engine until the
          // other engine has taken one too: both must consume.
          if (++concurrent >= 2) bothBusy.open();
          await bothBusy.opened;
          concurrent--;
          return { by: name };
        },
      });
      return e;
    });
    await engines[0]!.start({ work: true });
    await engines[1]!.start({ work: true });
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) ids.push(await engines[n % 2]!.enqueue('test.shared', { n }));
    await waitFor(async () => {
      const states = await Promise.all(ids.map((id) => engines[0]!.get(id)));
      return states.every((s) => s?.state === 'completed');
    }, 'all shared jobs to complete');
    await Promise.all(engines.map((e) => e.stop()));
    if (second !== tdb.database) await second.close();

    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    for (const by of runs.values()) expect(by).toHaveLength(1);
    const takers = new Set([...runs.values()].map((by) => by[0]));
    expect(takers).toEqual(new Set(['A', 'B']));
    for (const id of ids) expect(await bossState(tdb.database, id)).toBe('completed');
    expect(errors).toEqual([]);
  });

  it('shows how pg-boss ended a job whose worker died mid-run', async () => {
    const engine = createJobEngine(tdb.database, clock, { log: errorsOf(errors) });
    engine.define<Record<string, never>, Record<string, never>>({ queue: 'test.orphan', handler: async () => ({}) });
    await engine.start({ work: false });
    const id = await engine.enqueue('test.orphan', {});
    // What a crashed worker leaves behind: our record says running, pg-boss expired the job.
    await tdb.database.executeSql(`update job_progress set state = 'running' where id = $1`, [id]);
    await tdb.database.executeSql(`update pgboss.job set state = 'failed', output = '{"message":"job failed by timeout in active state"}'::jsonb where id = $1`, [id]);
    expect(await engine.get(id)).toMatchObject({ state: 'failed', error: 'job failed by timeout in active state' });
    await engine.stop();
    expect((await engine.get(id))?.state).toBe('failed');
  });

  it('stop() waits for the running job to finish and its completion to be stored', async () => {
    const hold = gate();
    const engine = createJobEngine(tdb.database, clock, { log: errorsOf(errors), pollingIntervalSeconds: 0.5 });
    engine.define<Record<string, never>, { finished: boolean }>({
      queue: 'test.graceful',
      handler: async (ctx) => {
        await ctx.progress({ stage: 'holding' });
        await hold.opened;
        return { finished: true };
      },
    });
    await engine.start({ work: true });
    const id = await engine.enqueue('test.graceful', {});
    await waitFor(async () => (await engine.get(id))?.stage === 'holding', 'the job to start');

    let stopped = false;
    const stopping = engine.stop().then(() => {
      stopped = true;
    });
    // Let the stop run as far as it can without the job finishing.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    hold.open();
    await stopping;
    expect(await engine.get(id)).toMatchObject({ state: 'completed', result: { finished: true } });
    expect(await bossState(tdb.database, id)).toBe('completed');
    expect(engine.started).toBe(false);
    expect(errors).toEqual([]);
  });
});
