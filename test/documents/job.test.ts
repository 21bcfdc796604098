// The scheduled news ingest: installed as a pg-boss cron schedule (CRON_DOCUMENTS, every 2
// hours by default), ingesting every DOCUMENT_FEEDS URL through the documents service;
// a failing feed shows in the source health and does not stop the others.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { registerJobs } from '../../src/jobs.js';
import { listSources } from '../../src/modules/documents/repo.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine } from '../../src/platform/jobs.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const RSS = readFileSync(new URL('../fixtures/documents/rss2-sports.xml', import.meta.url), 'utf8');
let server: Server;
let base: string;
let db: TestDatabase;
let jobs: JobEngine;
const clock = fixedClock('2024-03-10T12:00:00Z');

beforeEach(async () => {
  server = createServer((req, res) => {
    if (req.url === '/feed.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    else res.writeHead(500).end('boom');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await createTestDatabase();
  jobs = createJobEngine(db.database, clock);
});
afterEach(async () => {
  await jobs.stop();
  await new Promise((ok) => server.close(ok));
  await db.cleanup();
});

describe('scheduled document ingest', () => {
  it('no feeds configured: the schedule is there (seed 002) and a run says it has nothing to do', async () => {
    registerJobs(jobs, { database: db.database, clock, config: loadConfig({}) });
    await jobs.start({ work: false, schedule: true });
    const { rows } = await db.database.executeSql(`select name, cron from pgboss.schedule`);
    expect(rows.map((r) => [r.name, r.cron])).toContainEqual(['documents.ingest', '0 */2 * * *']);
    expect(await jobs.runInline('documents.ingest', {})).toEqual({ status: 'skipped', reason: 'no DOCUMENT_FEEDS configured', feeds: 0 });
  });

  it('installs the 2-hourly schedule and ingests every feed; a failing one is in the source health', async () => {
    const config = loadConfig({ DOCUMENT_FEEDS: `${base}/feed.xml, ${base}/broken` });
    expect(config.documents.ingestCron).toBe('0 */2 * * *');
    registerJobs(jobs, { database: db.database, clock, config });
    await jobs.start({ work: false, schedule: true });
    const { rows } = await db.database.executeSql(`select name, cron from pgboss.schedule`);
    expect(rows.map((r) => [r.name, r.cron])).toContainEqual(['documents.ingest', '0 */2 * * *']);

    const first = await jobs.runInline('documents.ingest', {});
    expect(first).toMatchObject({ feeds: 2, inserted: 3, failed: [{ source: `${base}/broken` }] });
    const again = await jobs.runInline('documents.ingest', {});
    expect(again).toMatchObject({ inserted: 0, unchanged: 3 });
    const [last] = await jobs.list(1, 'documents.ingest');
    expect(last).toMatchObject({ queue: 'documents.ingest', state: 'completed' });
    const sources = await listSources(db.database.db);
    expect(sources.find((s) => s.locator === `${base}/broken`)).toMatchObject({ status: 'failing', consecutive_failures: 2 });
    expect(sources.find((s) => s.locator === `${base}/feed.xml`)).toMatchObject({ status: 'ok', documents: 3 });
  });

  it('fails the job when every feed failed, recording each in the source health', async () => {
    registerJobs(jobs, { database: db.database, clock, config: loadConfig({ DOCUMENT_FEEDS: `${base}/down-1,${base}/down-2`, CRON_DOCUMENTS: '' }) });
    await jobs.start({ work: false, schedule: true });
    const { rows } = await db.database.executeSql(`select name from pgboss.schedule`);
    expect(rows.map((r) => r.name)).not.toContain('documents.ingest'); // empty cron: enqueue only
    await expect(jobs.runInline('documents.ingest', {})).rejects.toThrow(/every feed failed/);
    const [last] = await jobs.list(1, 'documents.ingest');
    expect(last).toMatchObject({ state: 'failed' });
    expect((await listSources(db.database.db)).filter((s) => s.status === 'failing')).toHaveLength(2);
  });

  it('validates the settings at boot', () => {
    expect(() => loadConfig({ DOCUMENT_FEEDS: 'ftp://example.test/feed' })).toThrow(ConfigError);
    expect(() => loadConfig({ CRON_DOCUMENTS: 'every two hours' })).toThrow(ConfigError);
    expect(loadConfig({ CRON_DOCUMENTS: '' }).documents.ingestCron).toBe('');
    expect(loadConfig({ NEWS_FEATURES_IN_TRAINING: 'true' }).documents.newsFeaturesInTraining).toBe(true);
    expect(loadConfig({}).documents.newsFeaturesInTraining).toBe(false);
  });
});
