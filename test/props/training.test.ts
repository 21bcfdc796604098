// The props ensemble as a stored model: before any training the API's ensemble is the
// default 50/50 blend and says so; `trainModels` (what `sharpline train` and the models.train
// job run) fits the weights walk-forward on the player lines before the cut-off and stores a
// 'props-ensemble' artifact with per-prop calibration; the API's ensemble then blends with
// exactly those weights, and GET /models/info shows the player models and each sport's
// props. Also: the in-process model state is retired by a committed data change. The
// response cache is off here (CACHE_RESPONSES=false), so `cached` must always be false.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterDataCommitted } from '../../src/data-changes.js';
import { modelArtifacts, playerMatchStats } from '../../src/db/schema/index.js';
import { blend, IDENTITY_BLEND, type BlendWeights } from '../../src/models/props/ensemble.js';
import { trainModels } from '../../src/modules/predictions/training.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';
import { seedPropsSeasons, type PropsSeasons } from './fixture.js';

let t: TestApp;
let L: PropsSeasons;
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-30T12:00:00Z', config: { cacheResponses: false } });
  L = await seedPropsSeasons(t.database.db);
  // A sport whose data has no player lines: /models/info must say it has no props.
  await createFactories(t.database.db).competition({ sport: 'basketball', code: 'props-test-hoops' });
}, 120_000);
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });
const PROPS = ['goals', 'assists', 'cards'] as const;

async function tiers(playerId: number) {
  const out: Record<string, { predictions: Record<string, { probability: number }>; ensemble_weights?: string; cached: boolean }> = {};
  for (const tier of ['tier1', 'tier2', 'ensemble']) {
    const res = await post('/predict/player', { player_id: playerId, match_id: L.upcoming.id, tier });
    expect(res.statusCode).toBe(200);
    out[tier] = res.json();
  }
  return out as Record<'tier1' | 'tier2' | 'ensemble', (typeof out)[string]>;
}

describe('props ensemble before and after training', () => {
  let before: Awaited<ReturnType<typeof tiers>>;
  let version: string;
  let weights: Record<string, BlendWeights & { fitted: boolean }>;

  it('serves the default 50/50 blend and says so while no props ensemble is trained', async () => {
    before = await tiers(L.players[0]![0]!.id);
    expect(before.ensemble.ensemble_weights).toBe('default');
    expect(before.tier1.ensemble_weights).toBeUndefined();
    for (const p of PROPS) {
      const expected = blend(IDENTITY_BLEND, before.tier1.predictions[p]!.probability, before.tier2.predictions[p]!.probability);
      expect(before.ensemble.predictions[p]!.probability).toBeCloseTo(expected, 3);
    }
    const match = (await post('/predict/match', { match_id: L.upcoming.id, tier: 'ensemble' })).json();
    expect(match.ensemble_weights).toBe('default');
    const info = (await t.app.inject({ method: 'GET', url: '/models/info' })).json();
    expect(info.models[`props-ensemble:${L.competition.code}`]).toMatchObject({ kind: 'props-ensemble', ensemble_weights: 'default', convergence: 'not_trained', supported_props: ['goals', 'assists', 'cards'] });
    expect(info.models[`props-tier1:${L.competition.code}`].performance).toEqual({});
  });

  it('trains a props-ensemble artifact walk-forward on the player lines before the cut-off', async () => {
    const trained = await trainModels({ db: t.database.db, clock: t.clock }, { competition: L.competition.code, trigger: 'cli' });
    const kinds = trained[0]!.artifacts.map((a) => a.kind);
    expect(kinds).toContain('props-ensemble');
    const [row] = await t.database.db.select().from(modelArtifacts).where(eq(modelArtifacts.kind, 'props-ensemble'));
    expect(row).toBeDefined();
    version = row!.version;
    expect(version).toMatch(new RegExp(`^props-ensemble@${L.competition.code}@2024-03-30\\.`));
    expect(row!.dataCutoff).toBe('2024-03-30');
    // Walk-forward: the first match day has no earlier result and is history only.
    expect(row!.matchCount).toBe(87);
    expect(row!.windowTo).toBe(L.lastDate);
    expect(row!.windowTo! < row!.dataCutoff).toBe(true);
    weights = (row!.parameters as { weights: typeof weights }).weights;
    for (const p of PROPS) {
      expect(weights[p]!.fitted).toBe(true);
      const m = (row!.metrics as { props: Record<string, Record<string, { n: number; log_loss: number; brier: number; ece: number; reliability_bins: { n: number }[] }>> }).props[p]!;
      for (const source of ['tier1', 'tier2', 'ensemble']) {
        expect(m[source]!.n).toBe(87 * 8);
        expect(m[source]!.log_loss).toBeGreaterThan(0);
        expect(m[source]!.brier).toBeGreaterThan(0);
        expect(m[source]!.reliability_bins.reduce((s, b) => s + b.n, 0)).toBe(87 * 8);
      }
    }
    expect((row!.metrics as { max_mc_error: number }).max_mc_error).toBeLessThan(0.005);
  });

  it('then blends with the stored weights, and the prediction changes accordingly', async () => {
    const after = await tiers(L.players[0]![0]!.id);
    expect(after.ensemble.ensemble_weights).toBe(version);
    expect(after.ensemble.cached).toBe(false);
    let moved = 0;
    for (const p of PROPS) {
      const p1 = after.tier1.predictions[p]!.probability;
      const p2 = after.tier2.predictions[p]!.probability;
      // (The training also stored a Dixon-Coles artifact, which tier1 and tier2 now use.)
      expect(after.ensemble.predictions[p]!.probability).toBeCloseTo(blend(weights[p]!, p1, p2), 3);
      moved = Math.max(moved, Math.abs(after.ensemble.predictions[p]!.probability - blend(IDENTITY_BLEND, p1, p2)));
    }
    // The learned weights move the answer away from what the default blend gives.
    expect(moved).toBeGreaterThan(0.005);
  });

  it('shows tier1, tier2 and the ensemble in /models/info with calibration per prop, and props per sport', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models/info' });
    expect(res.statusCode).toBe(200);
    const info = res.json();
    const code = L.competition.code;
    for (const kind of ['props-tier1', 'props-tier2', 'props-ensemble']) {
      const m = info.models[`${kind}:${code}`];
      expect(m).toMatchObject({ kind, sport: 'soccer', competition: code, ensemble_weights: version, convergence: 'converged', n_matches: 87, n_players: 24 });
      expect(m.training_window).toMatchObject({ data_cutoff: '2024-03-30', to: L.lastDate });
      for (const p of PROPS) {
        expect(m.performance[`ece_${p}`]).toBeGreaterThanOrEqual(0);
        expect(m.performance[`log_loss_${p}`]).toBeGreaterThan(0);
        expect(m.performance.calibration[p].reliability_bins.length).toBeGreaterThan(0);
      }
    }
    expect(info.models[`props-ensemble:${code}`].version).toBe(version);
    expect(info.models[`props-ensemble:${code}`].parameters.weights.goals).toMatchObject({ w: weights.goals!.w, a: weights.goals!.a, b: weights.goals!.b });
    expect(info.models[`props-tier2:${code}`].performance.max_mc_error).toBeLessThan(0.005);
    // The match models of the competition are still there, as before.
    expect(info.models[`dixon-coles:${code}`]).toMatchObject({ kind: 'dixon-coles' });
    expect(info.player_props.soccer.supported_props).toEqual(['goals', 'assists', 'cards']);
    expect(info.player_props.basketball).toMatchObject({ supported_props: [] });
    expect(info.player_props.basketball.note).toContain('no per-player');
    // The artifact is listed and shown like any other model.
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/models?kind=props-ensemble' })).json();
    expect(list.items.map((m: { model_version: string }) => m.model_version)).toEqual([version]);
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/models/${encodeURIComponent(version)}` })).json();
    expect(detail).toMatchObject({ kind: 'props-ensemble', parameters: { weights: { cards: { fitted: true } } } });
  });

  it('a quick training keeps the props ensemble in use', async () => {
    const trained = await trainModels({ db: t.database.db, clock: t.clock }, { competition: L.competition.code, trigger: 'import', backtest: false });
    expect(trained[0]!.artifacts.map((a) => a.kind)).not.toContain('props-ensemble');
    const again = (await post('/predict/player', { player_id: L.players[0]![0]!.id, match_id: L.upcoming.id, tier: 'ensemble' })).json();
    expect(again.ensemble_weights).toBe(version);
  });
});

describe('props ensemble training window', () => {
  it('trains from an archive that ended long before the cut-off, and the API keeps the artifact usable at the match date', async () => {
    const trained = await trainModels({ db: t.database.db, clock: t.clock }, { competition: L.competition.code, trigger: 'cli', cutoff: '2027-01-01' });
    const props = trained[0]!.artifacts.find((a) => a.kind === 'props-ensemble');
    expect(props?.version).toMatch(/@2027-01-01\./);
    const [row] = await t.database.db.select().from(modelArtifacts).where(eq(modelArtifacts.version, props!.version));
    expect(row).toMatchObject({ windowTo: L.lastDate, matchCount: 87 });
    // The upcoming match (2024) may only use artifacts cut off on or before its date.
    const res = (await post('/predict/player', { player_id: L.players[0]![0]!.id, match_id: L.upcoming.id, tier: 'ensemble' })).json();
    expect(res.ensemble_weights).toMatch(/@2024-03-30\./);
  });
});

describe('in-process model state', () => {
  it('is rebuilt after a committed data change, not before', async () => {
    const def = L.players[1]![2]!;
    const ask = async () => (await post('/predict/player', { player_id: def.id, match_id: L.upcoming.id, tier: 'tier1' })).json();
    const first = await ask();
    expect(first.cached).toBe(false);
    expect(typeof first.inference_time_ms).toBe('number');
    // The defender scores a hat-trick in every one of his team's matches (written behind the API's back).
    await t.database.db.update(playerMatchStats).set({ goals: 3 }).where(eq(playerMatchStats.playerId, def.id));
    const stale = await ask();
    expect(stale.cached).toBe(false);
    expect(stale.predictions.goals.probability).toBe(first.predictions.goals.probability);
    const errors: string[] = [];
    await afterDataCommitted({ database: t.database, clock: t.clock, cache: t.app.cache, onError: (what) => errors.push(what) })({ playerIds: [def.id] });
    expect(errors).toEqual([]);
    const fresh = await ask();
    expect(fresh.predictions.goals.probability).toBeGreaterThan(first.predictions.goals.probability + 0.2);
  });
});
