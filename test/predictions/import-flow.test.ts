// Predictions follow imports: importing the importer's fixture file (two results and one
// match still to be played) produces a prediction for the scheduled match, made only from
// results dated before it; importing the file with its score settles that prediction
// without changing it. The wiring is what an importer does after each committed file.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataChange } from '../../src/platform/cache/index.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { registerPredictionJobs, REFRESH_QUEUE } from '../../src/modules/predictions/job.js';
import { refreshPredictionsAfterImport, type RefreshSummary } from '../../src/modules/predictions/refresh.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/football-data/${name}`, import.meta.url));

let t: TestApp;
const refreshes: RefreshSummary[] = [];

async function importWithRefresh(file: string) {
  const deps = { db: t.database.db, clock: t.clock };
  return importFiles(t.database, 'football-data', [file], {
    clock: t.clock,
    onCommitted: async (change: DataChange) => {
      refreshes.push(await refreshPredictionsAfterImport(deps, change));
    },
  });
}

const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();

beforeAll(async () => {
  // Saturday 10 August 2019, 14:00 in London: West Ham v Man City (12:30) is over, Bournemouth
  // v Sheffield United (15:00) is still to come.
  t = await createTestApp({ now: '2019-08-10T13:00:00Z' });
  registerPredictionJobs(t.jobs, { database: t.database, clock: t.clock, config: t.config });
});

afterAll(async () => {
  await t.close();
});

describe('predictions after imports', () => {
  let scheduledId: number;
  let before: Record<string, unknown>;

  it('predicts the scheduled match of an imported fixture file', async () => {
    const summary = await importWithRefresh(fixture('e0-2019-20-fixtures-cr.csv'));
    expect(summary.files[0]!.status).toBe('imported');
    expect(refreshes.at(-1)).toMatchObject({ retrained: ['england-premier-league'], generated: { matches: 1, inserted: 1 } });

    const upcoming = await get('/api/v1/predictions/upcoming');
    expect(upcoming.total).toBe(1);
    const item = upcoming.items[0];
    expect(item.match).toMatchObject({ status: 'scheduled', home_team: { name: 'AFC Bournemouth' }, away_team: { name: 'Sheffield United' } });
    expect(item.model).toBe('elo');
    scheduledId = item.game_id;
    before = await get(`/api/v1/predictions/games/${scheduledId}`);

    // Only Friday's result is older than the match's date: West Ham v Man City (same day) is not used.
    const models = await get('/api/v1/models?kind=elo');
    expect(models.items[0].training_window).toEqual({ from: '2019-08-09', to: '2019-08-09', data_cutoff: '2019-08-10' });
    expect(models.items[0].n_matches).toBe(1);
    expect(item.model_version).toBe(models.items[0].model_version);
  });

  it('settles the prediction when the file with the score arrives, leaving it as it was', async () => {
    t.clock.set('2019-08-11T09:00:00Z');
    await importWithRefresh(fixture('e0-2019-20-results.csv'));
    expect(refreshes.at(-1)).toMatchObject({ settled: 1 });
    const after = await get(`/api/v1/predictions/games/${scheduledId}`);
    expect(after.outcome).toEqual({ home_score: 1, away_score: 1, result: 'draw' });
    expect(after.settled_at).toBe('2019-08-11T09:00:00.000Z');
    const { outcome: _o, settled_at: _s, correct: _c, ...rest } = after;
    const { outcome: _o2, settled_at: _s2, correct: _c2, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    const history = await get('/api/v1/predictions/history');
    expect(history.items.map((i: { game_id: number }) => i.game_id)).toEqual([scheduledId]);
  });

  it('does the same through the predictions.refresh job', async () => {
    const res = await t.jobs.runInline(REFRESH_QUEUE, { match_ids: [scheduledId] });
    // Already settled with this score: nothing to do again.
    expect(res).toMatchObject({ settled: 0, resettled: 0 });
  });
});
