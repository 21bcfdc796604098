// A points sport end to end: a simulated two-season basketball league, training through the
// train service, and the margin model's prediction of an upcoming game priced against the
// bookmaker's closing spread and total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eloFromParameters, eloPredict } from '../../src/modules/predictions/engine/elo.js';
import { applyEloBlend, forecastFromElo, forecastFromMargin } from '../../src/modules/predictions/engine/forecast.js';
import { marginFromParameters, marginPrediction } from '../../src/modules/predictions/engine/points.js';
import { latestArtifact } from '../../src/modules/predictions/repository-artifacts.js';
import { trainModels } from '../../src/modules/predictions/training.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type MatchRow } from '../helpers/factories.js';
import { addDays, seedPointsLeague, type SimulatedLeague } from './helpers.js';

let t: TestApp;
let league: SimulatedLeague;
let game: MatchRow;

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  const f = createFactories(t.database.db);
  // 16 teams: 480 results, enough for the two-year backtest to fit the margin model's Elo pool.
  league = await seedPointsLeague(t.database.db, f, { teams: 16, seasons: ['2022-23', '2023-24'], firstDay: '2023-01-01' });
  const seasonId = (await f.season({ competitionId: league.competition.id, name: '2023-24' })).id;
  game = await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: league.teams[0]!.id, awayTeamId: league.teams[1]!.id, matchDate: '2024-03-16', kickoffAt: new Date('2024-03-17T00:30:00Z') });
  // Back-to-backs to fit the rest effect on (each home team plays again the next day), and the
  // home team's game the day before the upcoming one: dated on the cut-off day, it is not
  // trained on, but it is in the schedule, so the upcoming game is a back-to-back for the home side.
  const team = (i: number) => league.teams[i % 12]!.id;
  for (let i = 0; i < 16; i++) {
    const day = addDays('2024-02-01', 2 * i);
    const first = await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: team(i), awayTeamId: team(i + 5), matchDate: day, status: 'final', homeScore: 104 + (i % 5), awayScore: 101 });
    await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: team(i + 7), awayTeamId: team(i), matchDate: addDays(day, 1), status: 'final', homeScore: 108, awayScore: 99 + (i % 3) });
    // Closing lines for the last ten of these results: market rows of the margin model.
    if (i >= 6) {
      await f.odds({ matchId: first.id, bookmaker: 'closing_line', market: 'spread', selection: 'home', line: -2.5, price: 1.91, phase: 'closing' });
      await f.odds({ matchId: first.id, bookmaker: 'closing_line', market: 'total', selection: 'over', line: 209.5, price: 1.91, phase: 'closing' });
    }
  }
  await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: team(0), awayTeamId: team(9), matchDate: '2024-03-15', status: 'final', homeScore: 110, awayScore: 100 });
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

  it('apply the fitted back-to-back effect (from the stored schedule) and the Elo pool to an upcoming game', async () => {
    const artifact = (await latestArtifact(t.database.db, league.competition.id, 'margin'))!;
    expect(artifact.parameters).toMatchObject({ schedule_features: ['back-to-back'] });
    const fit = marginFromParameters(artifact.parameters, { cutoff: artifact.dataCutoff, count: artifact.matchCount, from: artifact.windowFrom, to: artifact.windowTo }, artifact.diagnostics as never);
    const effect = fit.model.covariateEffects[0]!;
    expect(Math.abs(effect)).toBeGreaterThan(0.05);
    const tired = marginPrediction(fit, league.teams[0]!.id, league.teams[1]!.id, false, [1])!;
    const rested = marginPrediction(fit, league.teams[0]!.id, league.teams[1]!.id, false, [0])!;
    const body = (await t.app.inject({ method: 'GET', url: `/api/v1/predictions/match/${game.id}` })).json();
    expect(body.point_spread).toBeCloseTo(tired.spread, 2);
    expect(Math.abs(body.point_spread - rested.spread)).toBeGreaterThan(0.04);
    // The win probability is the margin model's pooled with Elo's, by the weights the backtest fitted.
    expect(fit.eloBlend).toMatchObject({ sources: ['margin', 'elo'], classes: 2 });
    expect(fit.eloBlend!.trainingRows).toBeGreaterThanOrEqual(300);
    const eloArtifact = (await latestArtifact(t.database.db, league.competition.id, 'elo'))!;
    const match = { id: game.id, date: '2024-03-16', season: '2023-24', home: league.teams[0]!.id, away: league.teams[1]!.id, homeScore: null, awayScore: null, neutral: false };
    const elo = eloPredict(eloFromParameters(eloArtifact.parameters, eloArtifact.dataCutoff), match);
    const pooled = applyEloBlend(fit.eloBlend!, forecastFromMargin(tired), forecastFromElo(elo));
    expect(Math.abs(pooled.home - tired.homeWin)).toBeGreaterThan(0.001);
    expect(body.win_probability.home).toBeCloseTo(pooled.home, 4);
    expect(body.markets.moneyline.home).toBeCloseTo(pooled.home, 4);
  });

  it('fit the closing lines of earlier results as market rows, and never the upcoming game\'s own', async () => {
    const artifact = (await latestArtifact(t.database.db, league.competition.id, 'margin'))!;
    expect(artifact.parameters).toMatchObject({ market_lines: { weight: 50, xi: 0.3 } });
    // Ten earlier results have a closing spread and total; the upcoming game's line is not a row.
    expect(artifact.diagnostics).toMatchObject({ marketRows: 10 });
  });

  it('a quick refit (no backtest) keeps the latest Elo pool', async () => {
    const before = (await latestArtifact(t.database.db, league.competition.id, 'margin'))!;
    await trainModels({ db: t.database.db, clock: t.clock }, { sport: 'NBA', trigger: 'cli', backtest: false });
    const after = (await latestArtifact(t.database.db, league.competition.id, 'margin'))!;
    expect(after.version).not.toBe(before.version);
    expect(after.parameters.elo_blend).toEqual(before.parameters.elo_blend);
    expect(after.parameters.elo_blend).toBeDefined();
  });

  it('accepts the league alias NBA for sport filters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/predictions/upcoming?sport=NBA&days=3' });
    expect(res.json()).toMatchObject({ total: 1 });
    const models = await t.app.inject({ method: 'GET', url: '/api/v1/models?sport=basketball' });
    expect(models.json().items.map((m: { kind: string }) => m.kind).sort()).toEqual(['elo', 'margin']);
  });
});
