import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedPropsLeague, type PropsLeague } from './fixture.js';

let t: TestApp;
let L: PropsLeague;
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  L = await seedPropsLeague(t.database.db);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });
const id = (key: string) => L.players[key]!.id;

describe('POST /predict/player', () => {
  it('returns seed 001 shape with intervals, and the cached flag on the second call', async () => {
    const req = { player_id: id('Ajax.fwd'), match_id: L.upcoming.id, tier: 'tier1', return_uncertainty: true };
    const res = await post('/predict/player', req);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ player_id: id('Ajax.fwd'), player_name: 'Ajax fwd', team: 'Ajax', opponent: 'Benfica', match_id: L.upcoming.id, match_date: '2024-03-20', is_home: true, cached: false, version: 'v1' });
    expect(Object.keys(body.predictions).sort()).toEqual(['assists', 'cards', 'goals']);
    const g = body.predictions.goals;
    expect(g.tier).toBe('tier1');
    expect(g.confidence_interval[0]).toBeLessThanOrEqual(g.probability);
    expect(g.confidence_interval[1]).toBeGreaterThanOrEqual(g.probability);
    expect(g.uncertainty).toBeGreaterThan(0);
    // The striker who scores in most matches is far likelier to score than the defender.
    const def = (await post('/predict/player', { player_id: id('Ajax.def'), match_id: L.upcoming.id })).json();
    expect(g.probability).toBeGreaterThan(def.predictions.goals.probability + 0.2);
    expect(def.predictions.goals.confidence_interval).toBeUndefined();
    expect(Number.isInteger(body.inference_time_ms)).toBe(true);

    const again = await post('/api/v1/predict/player', req);
    expect(again.statusCode).toBe(200);
    expect(again.json().cached).toBe(true);
    expect(again.json().predictions).toEqual(body.predictions);
  });

  it('serves tier2 with a Monte Carlo error under 0.005 and an ensemble between the tiers', async () => {
    const base = { player_id: id('Benfica.fwd'), match_id: L.upcoming.id, return_uncertainty: true };
    const [t1, t2, en] = await Promise.all(['tier1', 'tier2', 'ensemble'].map(async (tier) => (await post('/predict/player', { ...base, tier })).json()));
    expect(t2.is_home).toBe(false);
    for (const prop of ['goals', 'assists', 'cards']) {
      expect(t2.predictions[prop].tier).toBe('tier2');
      expect(t2.predictions[prop].mc_error).toBeLessThan(0.005);
      const lo = Math.min(t1.predictions[prop].probability, t2.predictions[prop].probability);
      const hi = Math.max(t1.predictions[prop].probability, t2.predictions[prop].probability);
      expect(en.predictions[prop].probability).toBeGreaterThanOrEqual(lo - 1e-4);
      expect(en.predictions[prop].probability).toBeLessThanOrEqual(hi + 1e-4);
    }
    // tier2 allocates goals so a player's goal marginal stays near the tier1 value.
    expect(Math.abs(t2.predictions.goals.probability - t1.predictions.goals.probability)).toBeLessThan(0.05);
  });

  it('gives seed 001 errors: 400 with field and provided_value, 404 with resource and id, 422 outside both squads', async () => {
    const bad = await post('/predict/player', { player_id: -5, match_id: L.upcoming.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'ValidationError', field: 'player_id', provided_value: -5 });
    const tier = await post('/predict/player', { player_id: id('Ajax.fwd'), match_id: L.upcoming.id, tier: 'tier9' });
    expect(tier.statusCode).toBe(400);
    expect(tier.json()).toMatchObject({ error: 'ValidationError', field: 'tier' });
    const noPlayer = await post('/predict/player', { player_id: 999_999, match_id: L.upcoming.id });
    expect(noPlayer.statusCode).toBe(404);
    expect(noPlayer.json()).toMatchObject({ error: 'NotFound', resource: 'player', id: 999_999 });
    const noMatch = await post('/predict/player', { player_id: id('Ajax.fwd'), match_id: 999_999 });
    expect(noMatch.statusCode).toBe(404);
    expect(noMatch.json()).toMatchObject({ error: 'NotFound', resource: 'match', id: 999_999 });
    const outsider = await post('/predict/player', { player_id: id('Celtic.fwd'), match_id: L.upcoming.id });
    expect(outsider.statusCode).toBe(422);
    expect(outsider.json().error).toBe('UnprocessableEntity');
    expect(outsider.json().message).toContain('neither squad');
    const hoops = await post('/predict/player', { player_id: id('Ajax.fwd'), match_id: L.basketballMatch.id });
    expect(hoops.statusCode).toBe(422);
    expect(hoops.json().message).toContain('soccer: goals, assists, cards');
  });
});

describe('POST /predict/match', () => {
  it('lists every squad player of both teams, filtered by expected minutes', async () => {
    const res = await post('/api/v1/predict/match', { match_id: L.upcoming.id, tier: 'tier2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ match_id: L.upcoming.id, home_team: 'Ajax', away_team: 'Benfica', cached: false, version: 'v1' });
    const ids = body.predictions.map((p: { player_id: number }) => p.player_id).sort((a: number, b: number) => a - b);
    const expected = ['fwd', 'mid', 'def', 'sub'].flatMap((r) => [id(`Ajax.${r}`), id(`Benfica.${r}`)]).sort((a, b) => a - b);
    expect(ids).toEqual(expected);
    expect(body.predictions[0].predictions.goals.probability).toBeGreaterThan(0);
    const starters = (await post('/predict/match', { match_id: L.upcoming.id, tier: 'tier2', min_minutes: 45 })).json();
    expect(starters.cached).toBe(true);
    expect(starters.predictions).toHaveLength(6);
    expect(starters.predictions.some((p: { player_id: number }) => p.player_id === id('Ajax.sub'))).toBe(false);
  });
});

describe('POST /predict/parlay', () => {
  it('tier1 joint of independent legs is the product; tier2 reads correlations from the simulation', async () => {
    const legs = [
      { player_id: id('Ajax.fwd'), prop: 'goals', line: 'over_0.5' },
      { player_id: id('Benfica.def'), prop: 'cards', line: 'over' },
      { player_id: id('Ajax.mid'), prop: 'assists', line: 'under' },
    ];
    const res = await post('/predict/parlay', { match_id: L.upcoming.id, legs, tier: 'tier1', include_correlation_matrix: true });
    expect(res.statusCode).toBe(200);
    const p = res.json().parlay;
    const product = p.legs.reduce((acc: number, l: { individual_probability: number }) => acc * l.individual_probability, 1);
    expect(p.joint_probability_tier1).toBeCloseTo(product, 3);
    expect(p.implied_odds_tier1).toBeCloseTo(1 / p.joint_probability_tier1, 0);
    expect(p.correlation_adjustment).toBeCloseTo(p.joint_probability_tier2 - p.joint_probability_tier1, 3);
    expect(Object.keys(p.correlation_matrix)).toHaveLength(3);
    const single = (await post('/predict/player', { player_id: id('Ajax.mid'), match_id: L.upcoming.id })).json();
    expect(p.legs[2].individual_probability).toBeCloseTo(1 - single.predictions.assists.probability, 3);
  });

  it('his goal and his team scoring: tier2 joint equals his goal probability', async () => {
    const legs = [{ player_id: id('Ajax.fwd'), prop: 'goals' }, { market: 'home_scores' }];
    const p = (await post('/api/v1/predict/parlay', { match_id: L.upcoming.id, legs })).json().parlay;
    expect(p.correlation_matrix).toBeNull();
    expect(p.joint_probability_tier2).toBeCloseTo(p.legs[0].individual_probability, 2);
    expect(p.joint_probability_tier2).toBeGreaterThan(p.joint_probability_tier1);
  });

  it('rejects a leg from another match or a player of neither squad with 422', async () => {
    const other = await post('/predict/parlay', { match_id: L.upcoming.id, legs: [{ player_id: id('Ajax.fwd'), prop: 'goals' }, { match_id: L.otherMatch.id, market: 'draw' }] });
    expect(other.statusCode).toBe(422);
    expect(other.json().message).toContain('same match');
    const outsider = await post('/predict/parlay', { match_id: L.upcoming.id, legs: [{ player_id: id('Dynamo.fwd'), prop: 'goals' }] });
    expect(outsider.statusCode).toBe(422);
    const badLine = await post('/predict/parlay', { match_id: L.upcoming.id, legs: [{ player_id: id('Ajax.fwd'), prop: 'goals', line: 'over_3.5' }] });
    expect(badLine.statusCode).toBe(400);
    expect(badLine.json()).toMatchObject({ field: 'legs.0.line', provided_value: 'over_3.5' });
  });
});

describe('POST /recommend/parlays', () => {
  it('prices offers: edge, EV and Kelly stakes by hand, zero stake without edge, ranking and counts', async () => {
    const legs = [{ player_id: id('Ajax.fwd'), prop: 'goals' }, { market: 'home_win' }];
    const joint = (await post('/predict/parlay', { match_id: L.upcoming.id, legs })).json().parlay.joint_probability_tier2 as number;
    const generous = 2 / joint;
    // Half the fair payout above stake: p·o = p + (1 − p)/2 < 1.
    const stingy = 1 + (1 / joint - 1) / 2;
    const res = await post('/recommend/parlays', {
      match_id: L.upcoming.id,
      bookmaker_odds: [
        { legs, odds: stingy },
        { legs, odds: generous },
        { legs: [...legs, { market: 'btts' }, { market: 'over', line: '1.5' }], odds: 50 },
      ],
      min_edge: -1,
      kelly_fraction: 0.5,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total_parlays_analyzed).toBe(2);
    expect(body.positive_ev_count).toBe(1);
    const [best, worst] = body.recommendations.map((r: { parlay: Record<string, number> }) => r.parlay);
    expect(body.recommendations[0].rank).toBe(1);
    expect(best.bookmaker_odds).toBe(generous);
    const p = best.model_probability;
    expect(best.implied_probability).toBeCloseTo(1 / generous, 4);
    expect(best.edge).toBeCloseTo(p - 1 / generous, 3);
    expect(best.expected_value).toBeCloseTo(p * generous - 1, 3);
    expect(best.kelly_stake_percent).toBeCloseTo((100 * (p * generous - 1)) / (generous - 1), 2);
    expect(best.recommended_stake_percent).toBeCloseTo(best.kelly_stake_percent / 2, 2);
    expect(worst.expected_value).toBeLessThan(0);
    expect(worst.kelly_stake_percent).toBe(0);
    expect(worst.recommended_stake_percent).toBe(0);
    expect(worst.confidence).toBe('low');

    const filtered = (await post('/api/v1/recommend/parlays', { match_id: L.upcoming.id, bookmaker_odds: [{ legs, odds: stingy }], min_edge: 0.05 })).json();
    expect(filtered.recommendations).toEqual([]);
    expect(filtered.positive_ev_count).toBe(0);
  });
});

describe('GET player prediction routes (seed 000)', () => {
  it("defaults to the team's next match and serves both paths", async () => {
    for (const url of [`/api/v1/players/${id('Benfica.mid')}/predictions`, `/api/v1/predictions/players/${id('Benfica.mid')}`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ match_id: L.upcoming.id, team: 'Benfica', is_home: false, version: 'v1' });
      expect(res.json().predictions.goals.confidence_interval).toHaveLength(2);
    }
    const given = await t.app.inject({ method: 'GET', url: `/api/v1/players/${id('Celtic.fwd')}/predictions?match_id=${L.otherMatch.id}&tier=tier2` });
    expect(given.statusCode).toBe(200);
    expect(given.json().predictions.goals.tier).toBe('tier2');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/predictions/players/999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ resource: 'player', id: 999999 });
  });
});

describe('prediction metrics', () => {
  it('counts prop requests by endpoint and status', async () => {
    await post('/predict/player', { player_id: id('Ajax.mid'), match_id: L.upcoming.id });
    await post('/predict/player', { player_id: id('Dynamo.mid'), match_id: L.upcoming.id });
    await post('/predict/parlay', { match_id: L.upcoming.id, legs: [{ market: 'draw' }] });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/prediction_requests_total\{endpoint="\/predict\/player",status="200"\} [1-9]/);
    expect(text).toMatch(/prediction_requests_total\{endpoint="\/predict\/player",status="422"\} [1-9]/);
    expect(text).toMatch(/prediction_latency_seconds_count\{endpoint="\/predict\/parlay"\} [1-9]/);
  });
});
