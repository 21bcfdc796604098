// The props model state is re-warmed after a data change: the server notices the new data
// version, rebuilds the state of the matches asked for lately in the background, and the
// next request for such a match is served from memory instead of paying for the history
// load and the refit. Observed through /metrics (props_state_builds_total by trigger).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpDataVersion } from '../../src/modules/props/state.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedPropsSeasons, type PropsSeasons } from './fixture.js';

let t: TestApp;
let L: PropsSeasons;
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-30T12:00:00Z', config: { cacheResponses: false, propsWarmIntervalMs: 20 } });
  L = await seedPropsSeasons(t.database.db);
}, 120_000);
afterAll(async () => {
  await t.close();
});

const builds = async () => {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const count = (trigger: string) => Number(new RegExp(`props_state_builds_total\\{trigger="${trigger}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { request: count('request'), warmUp: count('warm-up') };
};
const ask = async () => {
  const res = await t.app.inject({ method: 'POST', url: '/predict/player', payload: { player_id: L.players[0]![0]!.id, match_id: L.upcoming.id } });
  expect(res.statusCode).toBe(200);
  return res.json() as { predictions: Record<string, { probability: number }> };
};
const until = async (done: () => Promise<boolean>) => {
  for (let i = 0; i < 600 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('props state warm-up', () => {
  it('rebuilds the state of recently asked matches after a data change, before the next request', async () => {
    const first = await ask();
    expect(await builds()).toEqual({ request: 1, warmUp: 0 });

    // Nothing changed: the watcher looks, finds the same version, and builds nothing.
    await new Promise((r) => setTimeout(r, 200));
    expect((await builds()).warmUp).toBe(0);

    // What every committed import does (src/data-changes.ts): the data version moves on.
    await bumpDataVersion(t.database.db);
    await until(async () => (await builds()).warmUp >= 1);
    expect(await builds()).toEqual({ request: 1, warmUp: 1 });

    // The request after the change is served from the rebuilt state: no build on its time.
    const after = await ask();
    expect(await builds()).toEqual({ request: 1, warmUp: 1 });
    expect(after.predictions.goals!.probability).toBeCloseTo(first.predictions.goals!.probability, 10);
  }, 120_000);

  it('redraws the simulation ahead of time only where tier2 or the ensemble had been asked for', async () => {
    const simulations = async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const count = (trigger: string) => Number(new RegExp(`props_simulations_total\\{trigger="${trigger}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return { request: count('request'), warmUp: count('warm-up') };
    };
    const askTier2 = async () => {
      const res = await t.app.inject({ method: 'POST', url: '/predict/player', payload: { player_id: L.players[0]![0]!.id, match_id: L.upcoming.id, tier: 'tier2' } });
      expect(res.statusCode).toBe(200);
      return res.json() as { predictions: Record<string, { probability: number }> };
    };
    // tier1 so far: a change rebuilds the state but draws no simulation.
    const before = await builds();
    await bumpDataVersion(t.database.db);
    await until(async () => (await builds()).warmUp > before.warmUp);
    expect(await simulations()).toEqual({ request: 0, warmUp: 0 });

    const first = await askTier2();
    expect(await simulations()).toEqual({ request: 1, warmUp: 0 });
    const rebuilt = (await builds()).warmUp;
    await bumpDataVersion(t.database.db);
    await until(async () => (await simulations()).warmUp >= 1);
    expect((await builds()).warmUp).toBe(rebuilt + 1);
    expect(await simulations()).toEqual({ request: 1, warmUp: 1 });

    // The tier2 answer after the change is drawn from the warmed simulation, on no request's time.
    const after = await askTier2();
    expect(await simulations()).toEqual({ request: 1, warmUp: 1 });
    expect(after.predictions.goals!.probability).toBeCloseTo(first.predictions.goals!.probability, 10);
  }, 120_000);
});
