// What an import triggers once a file commits, through the real import job: cached views of
// the changed data are dropped and the scheduled match it brought gets a prediction.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerImportJob } from '../../src/modules/ingest/job.js';
import { createMemoryCache } from '../../src/platform/cache/cache.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const fixture = fileURLToPath(new URL('../fixtures/football-data/e0-2019-20-fixtures-cr.csv', import.meta.url));

let t: TestApp;
const cache = createMemoryCache({ maxEntries: 100, clock: { now: () => new Date('2019-08-10T13:00:00Z') } });

beforeAll(async () => {
  // Saturday 10 August 2019, 14:00 in London: one match of the fixture file is still to come.
  t = await createTestApp({ now: '2019-08-10T13:00:00Z' });
  registerImportJob(t.jobs, { database: t.database, clock: t.clock, config: t.config, cache });
});
afterAll(async () => {
  await t.close();
});

describe('after an import job commits a file', () => {
  it('drops cached lists and predicts the upcoming match', async () => {
    await cache.set('list:matches:_', { stale: true }, 60);
    const result = await t.jobs.runInline('import.files', { format: 'football-data', inputs: [fixture] });
    expect(result).toMatchObject({ matches: { inserted: 3 } });
    expect(await cache.get('list:matches:_')).toBeUndefined();

    const upcoming = (await t.app.inject({ method: 'GET', url: '/api/v1/predictions/upcoming' })).json();
    expect(upcoming.total).toBe(1);
    expect(upcoming.items[0].match).toMatchObject({ status: 'scheduled', home_team: { name: 'AFC Bournemouth' } });
  });
});
