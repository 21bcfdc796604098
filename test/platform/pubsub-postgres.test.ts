// PostgreSQL LISTEN/NOTIFY as the pub/sub of processes that share a database but no Redis,
// and the in-process caches kept in step over it (an API and a separate worker). Real server
// only: needs TEST_DATABASE_URL.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { broadcastDeletions } from '../../src/platform/cache/broadcast.js';
import { createMemoryCache } from '../../src/platform/cache/cache.js';
import { systemClock } from '../../src/platform/clock.js';
import { createPostgresPubSub, type PubSub } from '../../src/platform/pubsub.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';

if (!usingPostgres) console.warn('LISTEN/NOTIFY tests skipped: set TEST_DATABASE_URL');

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(!usingPostgres)('PostgreSQL LISTEN/NOTIFY', () => {
  let t: TestDatabase;
  const opened: PubSub[] = [];
  const errors: string[] = [];
  const open = async () => {
    const p = await createPostgresPubSub(t.url!, (err) => errors.push(err.message), { retryMs: 50 });
    opened.push(p);
    return p;
  };
  /** Kills every pub/sub connection of the test database, as a server restart would. */
  const dropConnections = async () => {
    const c = new pg.Client({ connectionString: t.url! });
    await c.connect();
    const { rowCount } = await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'sharpline-pubsub' and datname = current_database()`);
    await c.end();
    return rowCount ?? 0;
  };
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const p of opened) await p.close();
    await t.cleanup();
  });

  it('delivers a message to every listening process, the publisher included, on names of any length', async () => {
    const [a, b] = [await open(), await open()];
    const channel = `sharpline:live:${'x'.repeat(80)}`;
    const got: string[] = [];
    await a.subscribe(channel, (m) => got.push(`a:${m}`));
    const stopB = await b.subscribe(channel, (m) => got.push(`b:${m}`));
    await a.subscribe('another', (m) => got.push(`other:${m}`));
    await a.publish(channel, 'one');
    await a.publish(channel, 'two');
    await b.publish(channel, 'three');
    await until(() => got.length === 6, 'six deliveries');
    // One publisher's messages arrive in the order it sent them; publishers are not ordered among themselves.
    const at = (who: string) => got.filter((g) => g.startsWith(`${who}:`));
    expect(at('a').sort()).toEqual(['a:one', 'a:three', 'a:two']);
    expect(at('b').filter((g) => g !== 'b:three')).toEqual(['b:one', 'b:two']);
    expect(at('b')).toContain('b:three');
    await stopB();
    await a.publish(channel, 'four');
    await until(() => got.includes('a:four'), 'a delivery after B left');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).not.toContain('b:four');
    expect(got).not.toContain('other:four');
  });

  it('refuses a payload over the NOTIFY limit, reporting it and delivering it in this process only', async () => {
    const [a, b] = [await open(), await open()];
    const got: string[] = [];
    await a.subscribe('big', (m) => got.push(`a:${m.length}`));
    await b.subscribe('big', (m) => got.push(`b:${m.length}`));
    const before = errors.length;
    await a.publish('big', 'y'.repeat(9000));
    await until(() => got.length > 0, 'the local delivery');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['a:9000']);
    expect(errors.slice(before).join()).toMatch(/NOTIFY limit/);
  });

  it('listens again after the server dropped its connection, and says so', async () => {
    const [a, b] = [await open(), await open()];
    let resubscribed = 0;
    b.onResubscribed(() => (resubscribed += 1));
    const got: string[] = [];
    await b.subscribe('after-restart', (m) => got.push(m));
    expect(await dropConnections()).toBeGreaterThanOrEqual(2);
    await until(() => resubscribed === 1, 'the subscription made again');
    await until(async () => {
      await a.publish('after-restart', 'hello');
      return got.includes('hello');
    }, 'a delivery after the restart');
  });

  it('keeps in-process caches in step: a deletion in one process reaches the others; a lost connection drops everything', async () => {
    const report = (err: Error) => errors.push(err.message);
    const mk = async () => broadcastDeletions(createMemoryCache({ maxEntries: 100, clock: systemClock }), await open(), report);
    const [api, worker] = [await mk(), await mk()];
    for (const c of [api, worker]) {
      await c.set('pred_match:ensemble:7', { p: 1 }, 300);
      await c.set('match:7:detail:_', { id: 7 }, 300);
      await c.set('team:3:detail:_', { id: 3 }, 300);
    }
    expect(await worker.delPattern('pred_match:*')).toBe(1);
    await until(async () => !(await api.has('pred_match:ensemble:7')), 'the pattern deletion on the API');
    expect(await api.has('match:7:detail:_')).toBe(true);
    await worker.del(['match:7:detail:_']);
    await until(async () => !(await api.has('match:7:detail:_')), 'the key deletion on the API');
    expect(await api.has('team:3:detail:_')).toBe(true);
    // Nothing went missing between the processes, yet after a reconnect neither can know that.
    await dropConnections();
    await until(async () => !(await api.has('team:3:detail:_')) && !(await worker.has('team:3:detail:_')), 'both caches dropped after the reconnect');
    await api.stop();
    await worker.stop();
  });

  it('wires it into the runtime: a worker process’s invalidation clears the API process’s cache', async () => {
    const config = loadConfig({ DATABASE_URL: t.url!, LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false' }, { jwtSecret: randomBytes(32).toString('hex') });
    const runtimes: Runtime[] = [await openRuntime(config), await openRuntime(config)];
    try {
      const [apiSide, workerSide] = runtimes as [Runtime, Runtime];
      expect(apiSide.cache.kind).toBe('memory');
      await apiSide.cache.set('list:matches:_', [1, 2, 3], 120);
      await workerSide.cache.delPattern('list:*');
      await until(async () => !(await apiSide.cache.has('list:matches:_')), 'the API cache cleared by the worker');
    } finally {
      for (const r of runtimes) await r.close();
    }
  });
});
