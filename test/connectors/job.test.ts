// The scheduled sync jobs: defined only for sources with a key, installed as pg-boss cron
// schedules, and running the same sync as the CLI (recorded in job_progress).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { registerJobs } from '../../src/jobs.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine } from '../../src/platform/jobs.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startStub, type Stub } from './stub-server.js';

let stub: Stub;
let db: TestDatabase;
let jobs: JobEngine;
const clock = fixedClock('2025-08-16T10:00:00Z');
beforeEach(async () => {
  stub = await startStub();
  stub.route('/v4/competitions/PL/matches', { body: JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/providers/football-data-org-pl-matches.json'), 'utf8')) });
  db = await createTestDatabase();
  jobs = createJobEngine(db.database, clock);
});
afterEach(async () => {
  await jobs.stop();
  await stub.close();
  await db.cleanup();
});

describe('scheduled syncs', () => {
  it('installs a cron schedule per configured source and runs the sync as a job', async () => {
    const config = loadConfig({ FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, SYNC_CRON_FOOTBALL_DATA: '*/5 * * * *' });
    registerJobs(jobs, { database: db.database, clock, config });
    await jobs.start({ work: false, schedule: true });
    const { rows } = await db.database.executeSql(`select name, cron from pgboss.schedule order by name`);
    const schedules = rows.map((r) => [r.name, r.cron]);
    expect(schedules).toContainEqual(['sync.football-data', '*/5 * * * *']);
    expect(schedules.map((s) => s[0])).not.toContain('sync.odds-api'); // no ODDS_API_KEY: off
    const { rows: policy } = await db.database.executeSql(`select policy from pgboss.queue where name = 'sync.football-data'`);
    expect(policy[0]?.policy).toBe('stately');

    const result = await jobs.runInline('sync.football-data', {});
    expect(result).toMatchObject({ status: 'completed', matches: { inserted: 3, updated: 0, unchanged: 0 } });
    const [last] = await jobs.list(1, 'sync.football-data');
    expect(last).toMatchObject({ queue: 'sync.football-data', state: 'completed' });
  });
});
