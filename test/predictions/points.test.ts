// A points sport end to end: a simulated two-season basketball league, training through the
// train service, and the margin model's prediction of an upcoming game priced against the
// bookmaker's closing spread and total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainModels } from '../../src/modules/predictions/training.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type MatchRow } from '../helpers/factories.js';
import { seedPointsLeague, type SimulatedLeague } from './helpers.js';

let t: TestApp;
let league: SimulatedLeague;
let game: MatchRow;

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  const f = createFactories(t.database.db);
  league = await seedPointsLeague(t.database.db, f, { teams: 12, seasons: ['2022-23', '2023-24'], firstDay: '2023-01-01' });
  const seasonId = (await f.season({ competitionId: league.competition.id, name: '2023-24' })).id;
  game = await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: league.teams[0]!.id, awayTeamId: league.teams[1]!.id, matchDate: '2024-03-16', kickoffAt: new Date('2024-03-17T00:30:00Z') });
  for (const [market, selection, line, price] of [
    ['spread', 'home', -4.5, 1.91],
    ['spread', 'away', -4.5, 1.91],
    ['total', 'over', 211.5, 1.91],
    ['total', 'under', 211.5, 1.91],
    ['moneyline', 'home', null, 1.5],
    ['moneyline', 'away', null, 2.7],
  ] as const) {
    await f.odds({ matchId: game.id, bookmaker: 'closing_line', market, selection, line, price, phase: 'closing' });
  }
  const trained = await trainModels({ db: t.database.db, clock: t.clock }, { sport: 'NBA', trigger: 'cli' });
  expect(trained.map((c) => c.artifacts.map((a) => a.kind))).toEqual([['elo', 'margin']]);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('points-sport predictions', () => {
  it('predict win probability, spread and total from the margin model', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/predictions/match/${game.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model: 'margin', win_probability: { draw: 0 } });
    expect(body.win_probability.home + body.win_probability.away).toBeCloseTo(1, 6);
    expect(body.total_points).toBeGreaterThan(180);
    expect(body.total_points).toBeLessThan(240);
    expect(Object.keys(body.markets).sort()).toEqual(['expected_score', 'moneyline', 'spread', 'total']);
    expect(body.markets.spread).toMatchObject({ home_line: -4.5, line_source: 'bookmaker' });
    expect(body.markets.total).toMatchObject({ line: 211.5, line_source: 'bookmaker' });
    const s = body.markets.spread.home;
    // A half-point line cannot push.
    expect(s.push).toBe(0);
    expect(s.win + s.loss).toBeCloseTo(1, 5);
    // Covering −4.5 is less likely than winning outright.
    expect(s.win).toBeLessThan(body.win_probability.home);
    expect(body.markets.expected_score.home - body.markets.expected_score.away).toBeCloseTo(-body.point_spread, 1);
    expect(body.models.map((m: { model: string }) => m.model).sort()).toEqual(['elo', 'margin']);
  });

  it('accepts the league alias NBA for sport filters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/predictions/upcoming?sport=NBA&days=3' });
    expect(res.json()).toMatchObject({ total: 1 });
    const models = await t.app.inject({ method: 'GET', url: '/api/v1/models?sport=basketball' });
    expect(models.json().items.map((m: { kind: string }) => m.kind).sort()).toEqual(['elo', 'margin']);
  });
});
