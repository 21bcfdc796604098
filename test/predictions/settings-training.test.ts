// Training with settings chosen per competition (issue 17, MODEL_SETTINGS): a simulated league
// whose home sides are far stronger than the fixed Elo home advantage assumes. A full training
// chooses on its two-year backtest and fits the stored models with the choice; /models/info
// shows the choice with its evidence; a quick refit carries the choice forward; `fixed` uses
// the sport's own settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sportSettings } from '../../src/modules/predictions/engine/params.js';
import { registerPredictionJobs, TRAIN_QUEUE } from '../../src/modules/predictions/job.js';
import { trainModels } from '../../src/modules/predictions/training.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';
import { seedSoccerLeague } from './helpers.js';

let t: TestApp;
const fixedElo = sportSettings('soccer', true).elo;
const strongerHome = `elo.homeAdvantage=${Math.round(fixedElo.homeAdvantage * 1.3)}`;

const info = async () => (await t.app.inject({ method: 'GET', url: '/models/info' })).json().models;

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  registerPredictionJobs(t.jobs, { database: t.database, clock: t.clock, config: t.config });
  const f = createFactories(t.database.db);
  await seedSoccerLeague(t.database.db, f, { teams: 16, seasons: ['2020-21', '2021-22', '2022-23', '2023-24'], firstDay: '2020-09-01', code: 'home-strong', homeAdvantage: 0.6, seed: 9 });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('training with settings chosen on the backtest', () => {
  it('chooses on the backtest, fits the stored Elo with the choice, and shows the evidence in /models/info', async () => {
    await t.jobs.runInline(TRAIN_QUEUE, { trigger: 'cli' });
    const models = await info();
    const elo = models['elo:home-strong'];
    const sel = elo.diagnostics.settings_selection;
    expect(sel).toMatchObject({ family: 'elo', chosen: strongerHome, change: { elo: { homeAdvantage: Math.round(fixedElo.homeAdvantage * 1.3) } }, loss: 'rps' });
    expect(sel.n).toBeGreaterThanOrEqual(300);
    expect(sel.chosen_on.backtest_to).toBe('2024-03-14');
    const fixedRow = sel.candidates.find((c: { name: string }) => c.name === 'fixed');
    const chosenRow = sel.candidates.find((c: { name: string }) => c.name === strongerHome);
    expect(fixedRow.diff).toBe(0);
    expect(chosenRow.diff + chosenRow.se).toBeLessThan(0);
    expect(elo.diagnostics.settings.homeAdvantage).toBe(Math.round(fixedElo.homeAdvantage * 1.3));
    // The backtest metrics are the chosen settings' and say they were chosen there.
    expect(elo.performance.settings_chosen_on_this_backtest).toContain(strongerHome);
    expect(elo.performance.rps).toBeCloseTo(chosenRow.mean_loss, 10);
    // The goal model's choice is shown too, whichever it is.
    expect(models['dixon-coles:home-strong'].diagnostics.settings_selection).toMatchObject({ family: 'main', loss: 'rps' });
  });

  it('carries the choice into a quick refit', async () => {
    const [before] = await trainModels({ db: t.database.db, clock: t.clock }, { competition: 'home-strong', trigger: 'cli', backtest: false });
    const elo = (await info())['elo:home-strong'];
    expect(before!.artifacts.map((a) => a.kind)).toContain('elo');
    expect(elo.diagnostics.settings_selection.chosen).toBe(strongerHome);
    expect(elo.diagnostics.settings_selection.carried_from).toMatch(/^elo/);
    expect(elo.diagnostics.settings.homeAdvantage).toBe(Math.round(fixedElo.homeAdvantage * 1.3));
  });

  it('uses the sport\'s own settings with fixed', async () => {
    await trainModels({ db: t.database.db, clock: t.clock, settingsSelection: 'fixed' }, { competition: 'home-strong', trigger: 'cli' });
    const elo = (await info())['elo:home-strong'];
    expect(elo.diagnostics.settings_selection).toMatchObject({ chosen: 'fixed', reason: 'MODEL_SETTINGS=fixed' });
    expect(elo.diagnostics.settings.homeAdvantage).toBe(fixedElo.homeAdvantage);
    expect(elo.performance.settings_chosen_on_this_backtest).toBeUndefined();
  });
});
