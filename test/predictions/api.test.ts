// The prediction API end to end on a test database: a simulated three-season league with
// odds, training through the 'models.train' job, then every read endpoint's shape, the
// market selection, 404s, and the freeze at kick-off followed by settlement.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matches, predictions } from '../../src/db/schema/index.js';
import { generatePredictions } from '../../src/modules/predictions/generation.js';
import { registerPredictionJobs, SETTLE_QUEUE, TRAIN_QUEUE } from '../../src/modules/predictions/job.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type Factories, type MatchRow } from '../helpers/factories.js';
import { seedSoccerLeague, type SimulatedLeague } from './helpers.js';

let t: TestApp;
let f: Factories;
let league: SimulatedLeague;
let withOdds: MatchRow;
let tonight: MatchRow;
let pastUnpredicted: MatchRow;

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  f = createFactories(t.database.db);
  registerPredictionJobs(t.jobs, { database: t.database, clock: t.clock, config: t.config });
  league = await seedSoccerLeague(t.database.db, f, { teams: 14, seasons: ['2021-22', '2022-23', '2023-24'], firstDay: '2022-04-01', odds: true, code: 'sim-league' });
  const [a, b, c, d, e, g] = league.teams;
  const seasonId = (await f.season({ competitionId: league.competition.id, name: '2023-24' })).id;
  const base = { competitionId: league.competition.id, seasonId };
  withOdds = await f.match({ ...base, homeTeamId: a!.id, awayTeamId: b!.id, matchDate: '2024-03-20', kickoffAt: new Date('2024-03-20T15:00:00Z') });
  for (const [selection, price] of [['home', 2.1], ['draw', 3.4], ['away', 3.6]] as const) {
    await f.odds({ matchId: withOdds.id, bookmaker: 'market_avg', selection, price, phase: 'opening' });
  }
  tonight = await f.match({ ...base, homeTeamId: c!.id, awayTeamId: d!.id, matchDate: '2024-03-15', kickoffAt: new Date('2024-03-15T19:00:00Z') });
  pastUnpredicted = await f.match({ ...base, homeTeamId: e!.id, awayTeamId: g!.id, matchDate: '2024-03-10', score: [1, 1] });
  await t.jobs.runInline(TRAIN_QUEUE, { trigger: 'cli' });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('model registry', () => {
  it('serves /models/info with one entry per kind and competition', async () => {
    const { status, body } = await get('/models/info');
    expect(status).toBe(200);
    expect(body.version).toBe('v1');
    expect(Object.keys(body.models).sort()).toEqual(['dixon-coles:sim-league', 'elo:sim-league', 'ensemble:sim-league']);
    const dc = body.models['dixon-coles:sim-league'];
    expect(dc).toMatchObject({ kind: 'dixon-coles', sport: 'soccer', competition: 'sim-league', convergence: 'converged', n_teams: 14 });
    expect(dc.training_window.data_cutoff).toBe('2024-03-15');
    expect(dc.training_window.to < '2024-03-15').toBe(true);
    expect(dc.n_matches).toBeGreaterThan(400);
    expect(dc.diagnostics).toMatchObject({ converged: true });
    expect(typeof dc.diagnostics.logLikelihood).toBe('number');
    expect(dc.performance).toMatchObject({ out_of_sample: true });
    expect(dc.performance.rps).toBeGreaterThan(0.1);
    expect(dc.performance.rps).toBeLessThan(0.3);
    // The ensemble shows each source's weight, its standard error and the prior (market 1, models 0).
    const ens = body.models['ensemble:sim-league'].diagnostics;
    expect(Object.keys(ens.weights).sort()).toEqual(['dixon-coles', 'elo', 'market']);
    expect(ens.weights.market.prior_mean).toBe(1);
    expect(ens.weights['dixon-coles'].prior_mean).toBe(0);
    expect(ens.prior_precision).toBeGreaterThan(0);
    for (const w of Object.values(ens.weights) as { weight: number; standard_error: number }[]) {
      expect(Number.isFinite(w.weight)).toBe(true);
      expect(w.standard_error).toBeGreaterThan(0);
      expect(w.standard_error).toBeLessThan(1);
    }
  });

  it('lists artifacts and shows one with its parameters', async () => {
    const list = await get('/api/v1/models?kind=dixon-coles');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, version: 'v1' });
    const version = list.body.items[0].model_version as string;
    const detail = await get(`/api/v1/models/${encodeURIComponent(version)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.parameters.team_ids).toHaveLength(14);
    expect(detail.body.parameters.attack.reduce((s: number, v: number) => s + v, 0)).toBeCloseTo(0, 4);
    expect((await get('/api/v1/models/nope@x@2024-01-01.abc')).status).toBe(404);
  });
});

describe('game predictions', () => {
  it('gives seed 000 fields, headline from the ensemble when odds exist', async () => {
    const { status, body } = await get(`/api/v1/predictions/games/${withOdds.id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ game_id: withOdds.id, model: 'ensemble', version: 'v1' });
    const p = body.win_probability;
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 5);
    expect(body.model_version).toMatch(/^ensemble@sim-league@2024-03-15\./);
    expect(typeof body.point_spread).toBe('number');
    expect(body.total_points).toBeGreaterThan(1);
    expect(body.confidence).toBeCloseTo(Math.max(p.home, p.draw, p.away), 5);
    expect(['high', 'medium', 'low']).toContain(body.confidence_tier);
    expect(body.settled_at).toBeNull();
  });

  it('uses Dixon-Coles as the headline without odds', async () => {
    const { body } = await get(`/api/v1/predictions/games/${tonight.id}`);
    expect(body.model).toBe('dixon-coles');
  });

  it('answers 404 for an unknown match and for a past match never predicted', async () => {
    const unknown = await get('/api/v1/predictions/games/999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NotFound', resource: 'match', id: 999999 });
    const past = await get(`/api/v1/predictions/games/${pastUnpredicted.id}`);
    expect(past.status).toBe(404);
    expect(past.body).toMatchObject({ error: 'NotFound', resource: 'prediction', id: pastUnpredicted.id, details: { reason: 'past_kickoff' } });
    expect(past.body.message).toMatch(new RegExp(`^Match ${pastUnpredicted.id} has no prediction: it kicked off at 2024-03-10`));
    expect((await get(`/api/v1/predictions/match/999999`)).status).toBe(404);
  });

  it('says when no model exists for the competition of an upcoming match', async () => {
    const empty = await f.competition({ sport: 'soccer', code: 'empty-league' });
    const season = await f.season({ competitionId: empty.id, name: '2023-24' });
    const [h, a] = [await f.team({ sportId: empty.sportId, name: 'Lonely FC' }), await f.team({ sportId: empty.sportId, name: 'Alone United' })];
    const m = await f.match({ competitionId: empty.id, seasonId: season.id, homeTeamId: h.id, awayTeamId: a.id, matchDate: '2024-03-22' });
    const res = await get(`/api/v1/predictions/games/${m.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NotFound', resource: 'prediction', id: m.id, details: { reason: 'no_model' } });
    expect(res.body.message).toMatch(/no model could be trained for its competition/);
  });

  it('serves the full soccer market set, every model, and ?markets= selection', async () => {
    const { status, body } = await get(`/api/v1/predictions/match/${withOdds.id}`);
    expect(status).toBe(200);
    expect(body.match).toMatchObject({ id: withOdds.id, status: 'scheduled' });
    expect(Object.keys(body.markets).sort()).toEqual(
      ['1x2', 'asian_handicap', 'blend', 'btts', 'correct_score', 'double_chance', 'draw_no_bet', 'expected_goals', 'over_under'].sort(),
    );
    expect(body.markets['1x2']).toEqual(body.win_probability);
    const quarter = body.markets.over_under.find((o: { line: number }) => o.line === 2.25);
    expect(quarter.over.half_win + quarter.over.half_loss).toBeGreaterThan(0);
    expect(body.markets.correct_score).toHaveLength(10);
    expect(body.markets.blend.market).toMatchObject({ bookmaker: 'market_avg', phase: 'opening', method: 'shin' });
    expect(body.models.map((m: { model: string }) => m.model).sort()).toEqual(['dixon-coles', 'elo', 'ensemble']);

    const some = await get(`/api/v1/predictions/match/${withOdds.id}?markets=1x2,btts&model=dixon-coles`);
    expect(some.body.model).toBe('dixon-coles');
    expect(Object.keys(some.body.markets).sort()).toEqual(['1x2', 'btts']);
    const bad = await get(`/api/v1/predictions/match/${withOdds.id}?markets=1x2,corners`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', field: 'markets', provided_value: 'corners' });
  });

  it('lists today, upcoming and league predictions', async () => {
    const today = await get('/api/v1/predictions/today');
    expect(today.body.items.map((i: { game_id: number }) => i.game_id)).toEqual([tonight.id]);
    expect(today.body.items[0].match.home_team.id).toBe(tonight.homeTeamId);
    const upcoming = await get('/api/v1/predictions/upcoming?days=7');
    expect(upcoming.body).toMatchObject({ total: 2, version: 'v1' });
    expect(upcoming.body.items.map((i: { game_id: number }) => i.game_id)).toEqual([tonight.id, withOdds.id]);
    const confident = await get('/api/v1/predictions/upcoming?min_confidence=0.99');
    expect(confident.body.total).toBe(0);
    const byLeague = await get('/api/v1/predictions/league/sim-league');
    expect(byLeague.body.total).toBe(2);
    expect((await get('/api/v1/predictions/league/no-such-league')).status).toBe(404);
  });
});

describe('kick-off freeze and settlement', () => {
  it('never rewrites a prediction after kick-off, then settles it when the result arrives', async () => {
    const db = t.database.db;
    const frozen = await db.select().from(predictions).where(eq(predictions.matchId, tonight.id));
    const open = await db.select().from(predictions).where(eq(predictions.matchId, withOdds.id));
    expect(frozen.length).toBe(2);

    // 21:00: tonight's match kicked off at 19:00 but no result is in yet; other results arrive
    // and the models retrain. Only the match still to come is predicted again.
    t.clock.set('2024-03-15T21:00:00Z');
    const [, , , , e, g] = league.teams;
    await f.match({ competitionId: league.competition.id, homeTeamId: g!.id, awayTeamId: e!.id, matchDate: '2024-03-15', score: [5, 0] });
    await t.jobs.runInline(TRAIN_QUEUE, { trigger: 'cli', backtest: false });
    const regenerated = await generatePredictions({ db, clock: t.clock }, { matchIds: [tonight.id, withOdds.id] });
    expect(regenerated.matches).toBe(1);
    const same = await db.select().from(predictions).where(eq(predictions.matchId, tonight.id));
    expect(same).toEqual(frozen);
    const moved = await db.select().from(predictions).where(eq(predictions.matchId, withOdds.id));
    expect(moved.find((p) => p.kind === 'dixon-coles')!.modelVersion).not.toBe(open.find((p) => p.kind === 'dixon-coles')!.modelVersion);

    // A week later the results are in (and an old one is corrected); retraining changes nothing frozen.
    t.clock.set('2024-03-21T12:00:00Z');
    await db.update(matches).set({ status: 'final', homeScore: 3, awayScore: 0 }).where(eq(matches.id, tonight.id));
    await db.update(matches).set({ status: 'final', homeScore: 0, awayScore: 4 }).where(eq(matches.id, withOdds.id));
    await db.update(matches).set({ homeScore: 9, awayScore: 0 }).where(eq(matches.id, league.results[league.results.length - 1]!.id));
    await t.jobs.runInline(TRAIN_QUEUE, { trigger: 'cli', backtest: false });
    expect(await db.select().from(predictions).where(eq(predictions.matchId, tonight.id))).toEqual(frozen);
    const before = frozen;

    const settled = await t.jobs.runInline(SETTLE_QUEUE, {});
    expect(settled).toMatchObject({ settled: 5 });
    const game = await get(`/api/v1/predictions/games/${tonight.id}`);
    expect(game.body.outcome).toEqual({ home_score: 3, away_score: 0, result: 'home' });
    expect(game.body.settled_at).toBe('2024-03-21T12:00:00.000Z');
    expect(game.body.win_probability.home).toBe(before.find((b) => b.isPrimary)!.probHome);

    const history = await get('/api/v1/predictions/history');
    expect(history.body.items.map((i: { game_id: number }) => i.game_id)).toEqual([withOdds.id, tonight.id]);
    const detail = await get(`/api/v1/predictions/match/${tonight.id}`);
    expect(detail.body.scores.spread_error).toBeCloseTo(Math.abs(-detail.body.point_spread - 3), 6);
  });

  it('reports accuracy (seed 000), model performance and accuracy by league', async () => {
    const acc = await get('/api/v1/predictions/accuracy?days=30');
    expect(acc.status).toBe(200);
    expect(acc.body.total_predictions).toBe(2);
    expect(acc.body.by_sport).toHaveProperty('soccer');
    expect(Object.keys(acc.body.by_confidence_tier).sort()).toEqual(['high', 'low', 'medium']);
    expect(acc.body.point_spread_mae).toBeGreaterThan(0);
    expect(new Date(acc.body.period_end).toISOString()).toBe('2024-03-21T12:00:00.000Z');
    const perf = await get('/api/v1/analytics/model-performance?days=30');
    const kinds = perf.body.items.map((i: { model: string }) => i.model);
    expect(kinds).toEqual(['elo', 'dixon-coles', 'ensemble']);
    const dc = perf.body.items.find((i: { model: string }) => i.model === 'dixon-coles');
    expect(dc.settled_predictions).toBe(2);
    expect(dc.calibration_error.draw).not.toBeNull();
    const byLeague = await get('/api/v1/analytics/prediction-accuracy?days=30');
    expect(byLeague.body.items).toHaveLength(1);
    expect(byLeague.body.items[0]).toMatchObject({ competition: { code: 'sim-league' }, total_predictions: 2 });
    expect((await get('/api/v1/predictions/accuracy?sport=tennis')).body.total_predictions).toBe(0);
  });
});
