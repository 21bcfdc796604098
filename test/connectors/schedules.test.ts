// Seed 002's schedules: every one configurable (and off with an empty value), installed in
// pg-boss by a scheduling process and removed there when turned off, listed with the next run
// in GET /api/v1/jobs; the history and documents jobs run what they say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { queryRows } from '../../src/db/client.js';
import { registerJobs } from '../../src/jobs.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine } from '../../src/platform/jobs.js';
import { createTestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startStub, type Stub } from './stub-server.js';

const fixture = (path: string) => readFileSync(join(import.meta.dirname, '../fixtures', path), 'utf8');
let stub: Stub;
let db: TestDatabase;
const engines: JobEngine[] = [];
const clock = fixedClock('2025-08-16T10:00:00Z');
beforeEach(async () => {
  stub = await startStub();
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  await stub.close();
  await db.cleanup();
});
const engine = (env: Record<string, string>) => {
  const jobs = createJobEngine(db.database, clock);
  registerJobs(jobs, { database: db.database, clock, config: loadConfig(env) });
  engines.push(jobs);
  return jobs;
};
const installed = async () => (await db.database.executeSql(`select name, cron from pgboss.schedule order by name`)).rows.map((r) => [r.name, r.cron]);

describe('schedules', () => {
  it('defaults to seed 002 (history 03:00, retrain 04:00, predictions every 4 h, documents every 2 h), each configurable', async () => {
    const defaults = engine({}).schedules();
    expect(defaults).toEqual(
      expect.arrayContaining([
        { queue: 'sync.history', cron: '0 3 * * *' },
        { queue: 'models.train', cron: '0 4 * * *' },
        { queue: 'predictions.generate', cron: '0 */4 * * *' },
        { queue: 'documents.ingest', cron: '0 */2 * * *' },
      ]),
    );
    expect(defaults.map((s) => s.queue)).not.toContain('sync.football-data'); // no key: no sync queue at all
    const custom = engine({ CRON_RETRAIN: '30 5 * * 1', CRON_DOCUMENTS: '', FOOTBALL_DATA_API_KEY: 'k', SYNC_CRON_FOOTBALL_DATA: 'off', API_FOOTBALL_KEY: 'k' }).schedules();
    expect(custom).toContainEqual({ queue: 'models.train', cron: '30 5 * * 1' });
    expect(custom).toContainEqual({ queue: 'sync.api-football', cron: '0 */2 * * *' });
    expect(custom.map((s) => s.queue)).not.toContain('documents.ingest');
    expect(custom.map((s) => s.queue)).not.toContain('sync.football-data');
    expect(() => loadConfig({ CRON_HISTORY: 'every day' })).toThrow(ConfigError);
    expect(() => loadConfig({ SYNC_CRON_ODDS_API: '61 * * * *' })).toThrow(/SYNC_CRON_ODDS_API: not a cron expression/);
  });

  it('installs the schedules in pg-boss and removes one that was turned off', async () => {
    const first = engine({ FOOTBALL_DATA_API_KEY: 'k' });
    await first.start({ work: false, schedule: true });
    expect(await installed()).toEqual(
      expect.arrayContaining([
        ['documents.ingest', '0 */2 * * *'],
        ['sync.football-data', '*/15 * * * *'],
        ['sync.history', '0 3 * * *'],
      ]),
    );
    await first.stop();
    // The next scheduler runs without the key and with documents off.
    const second = engine({ CRON_DOCUMENTS: '' });
    await second.start({ work: false, schedule: true });
    const names = (await installed()).map((r) => r[0]);
    expect(names).not.toContain('documents.ingest');
    expect(names).not.toContain('sync.football-data');
    expect(names).toContain('sync.history');
  });

  it('runs the history job over the finished seasons before the current one', async () => {
    stub.route('/v4/competitions/PL/matches', { body: JSON.parse(fixture('providers/football-data-org-pl-matches.json')) });
    const jobs = engine({ FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, HISTORY_SEASONS: '2' });
    const result = await jobs.runInline('sync.history', {});
    expect(result).toMatchObject({ seasons: [2023, 2024], status: 'completed', skipped: [{ source: 'api-football' }] });
    expect(stub.requests.map((r) => r.query.get('season'))).toEqual(['2023', '2024']);
    const [n] = await queryRows<{ n: number }>(db.database.db, sql`select count(*)::int as n from matches`);
    expect(n!.n).toBe(3);
    // Without any fixtures source it does nothing and says so.
    expect(await engine({}).runInline('sync.history', {})).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/FOOTBALL_DATA_API_KEY or API_FOOTBALL_KEY/) });
  });

  it('runs the documents job without any feed and says there is nothing to do (the feeds themselves: test/documents/job.test.ts)', async () => {
    expect(await engine({}).runInline('documents.ingest', {})).toEqual({ status: 'skipped', reason: 'no DOCUMENT_FEEDS configured', feeds: 0 });
  });

  it('lists every scheduled job with its next run in GET /api/v1/jobs', async () => {
    const t = await createTestApp({ now: '2025-08-16T10:00:00Z' });
    registerJobs(t.jobs, { database: t.database, clock: t.clock, config: t.config }); // what src/runtime.ts does
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: unknown[]; scheduled: { queue: string; cron: string; next_run: string }[] };
      expect(body.scheduled).toEqual(
        expect.arrayContaining([
          { queue: 'sync.history', cron: '0 3 * * *', next_run: '2025-08-17T03:00:00.000Z' },
          { queue: 'documents.ingest', cron: '0 */2 * * *', next_run: '2025-08-16T12:00:00.000Z' },
          { queue: 'predictions.settle', cron: '30 * * * *', next_run: '2025-08-16T10:30:00.000Z' },
        ]),
      );
      const one = (await t.app.inject({ method: 'GET', url: '/api/v1/jobs?queue=models.train' })).json() as typeof body;
      expect(one.scheduled).toEqual([{ queue: 'models.train', cron: '0 4 * * *', next_run: '2025-08-17T04:00:00.000Z' }]);
      const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> };
      expect(Object.keys(spec.paths['/api/v1/jobs']!.get.responses['200']!.content['application/json']!.schema.properties)).toContain('scheduled');
    } finally {
      await t.close();
    }
  });
});
