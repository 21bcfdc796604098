// A training retires cached prediction answers: with the response cache on, a props
// ensemble answer is served from the cache until the models.train job finishes, and the
// next answer is computed afresh with the newly stored blend weights (not up to five
// minutes of the previous ones).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPredictionJobs, TRAIN_QUEUE } from '../../src/modules/predictions/job.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedPropsSeasons, type PropsSeasons } from './fixture.js';

let t: TestApp;
let L: PropsSeasons;
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-30T12:00:00Z', config: { cacheResponses: true } });
  registerPredictionJobs(t.jobs, { database: t.database, clock: t.clock, config: t.config, cache: t.app.cache });
  L = await seedPropsSeasons(t.database.db);
}, 120_000);
afterAll(async () => {
  await t.close();
});

const ensemble = async () => {
  const res = await t.app.inject({ method: 'POST', url: '/predict/player', payload: { player_id: L.players[0]![0]!.id, match_id: L.upcoming.id, tier: 'ensemble' } });
  expect(res.statusCode).toBe(200);
  return res.json() as { cached: boolean; ensemble_weights: string; predictions: Record<string, { probability: number }> };
};

describe('training and the response cache', () => {
  it('drops cached prediction answers when the train job finishes', async () => {
    const first = await ensemble();
    const second = await ensemble();
    expect(first).toMatchObject({ cached: false, ensemble_weights: 'default' });
    expect(second).toMatchObject({ cached: true, ensemble_weights: 'default' });

    await t.jobs.runInline(TRAIN_QUEUE, { competition: L.competition.code, trigger: 'cli' });
    const after = await ensemble();
    expect(after.cached).toBe(false);
    expect(after.ensemble_weights).toMatch(/^props-ensemble@/);
    expect(after.predictions.goals!.probability).not.toBeCloseTo(first.predictions.goals!.probability, 4);
    expect((await ensemble()).cached).toBe(true);
  }, 180_000);
});
