// On the real PostgreSQL server (TEST_DATABASE_URL): two workers, each with its own pool as
// two processes would have, consume the scheduled sync queue; a scheduled run that is still
// going blocks the next one on every worker ('stately'), so the same scheduled job never runs
// twice at once. The provider stub holds each request until the test lets it answer, so the
// test observes the run in progress instead of timing it.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { registerJobs } from '../../src/jobs.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine } from '../../src/platform/jobs.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';

const BODY = readFileSync(join(import.meta.dirname, '../fixtures/providers/football-data-org-pl-matches.json'), 'utf8');
const QUEUE = 'sync.football-data';

/** A provider that answers only when told to; `arrived(n)` resolves once n requests are waiting or answered. */
function holdingStub() {
  const held: ServerResponse[] = [];
  let seen = 0;
  let maxInFlight = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((_req, res) => {
    seen++;
    held.push(res);
    maxInFlight = Math.max(maxInFlight, held.length);
    for (const w of waiters.filter((x) => seen >= x.n)) w.resolve();
  });
  return {
    server,
    arrived: (n: number) => new Promise<void>((resolve) => (seen >= n ? resolve() : waiters.push({ n, resolve }))),
    release() {
      const res = held.shift()!;
      res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
    },
    get inFlight() {
      return held.length;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe.skipIf(!usingPostgres)('scheduled jobs on PostgreSQL with two workers', () => {
  let db: TestDatabase;
  let second: Database;
  let stub: ReturnType<typeof holdingStub>;
  let scheduler: PgBoss;
  const workers: JobEngine[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    second = await openDatabase({ url: db.url, poolMax: 5 });
    stub = holdingStub();
    await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}/v4`;
    const clock = fixedClock('2025-08-16T10:00:00Z');
    for (const database of [db.database, second]) {
      const config = loadConfig({ FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_BASE_URL: url });
      const jobs = createJobEngine(database, clock, { pollingIntervalSeconds: 0.5 });
      registerJobs(jobs, { database, clock, config });
      workers.push(jobs);
    }
    for (const w of workers) await w.start({ work: true, schedule: true });
    // What pg-boss's cron does when a schedule fires: send the queue's job without a singleton key.
    scheduler = new PgBoss({ connectionString: db.url!, schedule: false, supervise: false, max: 2 });
    scheduler.on('error', () => undefined);
    await scheduler.start();
  });
  afterAll(async () => {
    await scheduler?.stop({ graceful: false, wait: true, close: true });
    for (const w of workers) await w.stop();
    await second?.close();
    await new Promise<void>((resolve) => (stub ? stub.server.close(() => resolve()) : resolve()));
    await db?.cleanup();
  });

  const active = async () => Number((await db.database.executeSql(`select count(*)::int as n from pgboss.job where name = $1 and state = 'active'`, [QUEUE])).rows[0]!.n);

  it('installs one schedule however many workers schedule, and never runs the scheduled sync twice at once', async () => {
    const { rows } = await db.database.executeSql(`select count(*)::int as n from pgboss.schedule where name = $1`, [QUEUE]);
    expect(Number(rows[0]!.n)).toBe(1);

    const first = await scheduler.send(QUEUE, {});
    expect(first).toBeTruthy();
    await stub.arrived(1); // one worker has taken it and is fetching from the provider
    expect(await active()).toBe(1);

    // The schedule fires again while the run is going: one waits, a third is refused.
    const next = await scheduler.send(QUEUE, {});
    expect(next).toBeTruthy();
    expect(await scheduler.send(QUEUE, {})).toBeNull();
    // Any worker asking for the queue now gets nothing (the query both workers' pollers run).
    expect(await scheduler.fetch(QUEUE)).toEqual([]);
    expect(await active()).toBe(1);
    expect(stub.inFlight).toBe(1);

    stub.release();
    await stub.arrived(2); // only after the first run ended does a worker start the next
    const firstJob = await scheduler.getJobById(QUEUE, first!);
    expect(firstJob?.state).toBe('completed');
    expect(await active()).toBe(1);
    stub.release();
    for (;;) {
      const job = await scheduler.getJobById(QUEUE, next!);
      if (job?.state === 'completed') break;
      expect(job?.state === 'failed').toBe(false);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stub.maxInFlight).toBe(1);
    const runs = await db.database.executeSql(`select state from job_progress where queue = $1 order by created_at`, [QUEUE]);
    expect(runs.rows.map((r) => r.state)).toEqual(['completed', 'completed']);
  });
});
