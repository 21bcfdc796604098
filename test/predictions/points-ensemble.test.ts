// The ensemble of a points sport whose margin model is pooled with Elo. Training fits the
// ensemble's weights on the backtest's own margin forecasts (before any Elo pool), with Elo and
// the opening market as its other sources; serving must hand it the same inputs, or the weights
// would be applied to something they were not fitted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odds as oddsTable } from '../../src/db/schema/index.js';
import { eloFromParameters, eloPredict } from '../../src/modules/predictions/engine/elo.js';
import { applyEloBlend, ensembleForecast, forecastFromElo, forecastFromMargin, marketForecast, type EnsembleWeights } from '../../src/modules/predictions/engine/forecast.js';
import { marginFromParameters, marginPrediction } from '../../src/modules/predictions/engine/points.js';
import { latestArtifact } from '../../src/modules/predictions/repository-artifacts.js';
import { trainModels } from '../../src/modules/predictions/training.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type MatchRow } from '../helpers/factories.js';
import { seedPointsLeague, type SimulatedLeague } from './helpers.js';

let t: TestApp;
let league: SimulatedLeague;
let game: MatchRow;
const OPENING = { home: 1.72, away: 2.25 };

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  const f = createFactories(t.database.db);
  league = await seedPointsLeague(t.database.db, f, { teams: 24, seasons: ['2022-23', '2023-24'], firstDay: '2023-01-01' });
  const seasonId = (await f.season({ competitionId: league.competition.id, name: '2023-24' })).id;
  game = await f.match({ competitionId: league.competition.id, seasonId, homeTeamId: league.teams[2]!.id, awayTeamId: league.teams[5]!.id, matchDate: '2024-03-16' });
  // An opening moneyline on every result and on the upcoming game: the ensemble's market source.
  const book = await f.bookmaker('closing_line');
  const rows = [...league.results.map((r) => r.id), game.id].flatMap((matchId) =>
    (['home', 'away'] as const).map((selection) => ({ matchId, bookmakerId: book.id, market: 'moneyline' as const, selection, price: OPENING[selection], phase: 'opening' as const, source: 'test' })),
  );
  for (let i = 0; i < rows.length; i += 500) await t.database.db.insert(oddsTable).values(rows.slice(i, i + 500));
  await trainModels({ db: t.database.db, clock: t.clock }, { sport: 'NBA', trigger: 'cli' });
}, 120_000);
afterAll(() => t.close());

describe('points ensemble', () => {
  it('blends the margin model’s own forecast (not the Elo-pooled one) with Elo and the market, as it was fitted', async () => {
    const comp = league.competition.id;
    const [marginArt, eloArt, ensArt] = await Promise.all([latestArtifact(t.database.db, comp, 'margin'), latestArtifact(t.database.db, comp, 'elo'), latestArtifact(t.database.db, comp, 'ensemble')]);
    expect(ensArt?.parameters).toMatchObject({ sources: ['margin', 'elo', 'market'], classes: 2 });
    const fit = marginFromParameters(marginArt!.parameters, { cutoff: marginArt!.dataCutoff, count: marginArt!.matchCount, from: marginArt!.windowFrom, to: marginArt!.windowTo }, marginArt!.diagnostics as never);
    expect(fit.eloBlend).not.toBeNull();
    const match = { id: game.id, date: '2024-03-16', season: '2023-24', home: league.teams[2]!.id, away: league.teams[5]!.id, homeScore: null, awayScore: null, neutral: false };
    const own = forecastFromMargin(marginPrediction(fit, match.home, match.away, false, [0])!);
    const elo = forecastFromElo(eloPredict(eloFromParameters(eloArt!.parameters, eloArt!.dataCutoff), match));
    const pooled = applyEloBlend(fit.eloBlend!, own, elo);
    const market = marketForecast({ home: OPENING.home, draw: null, away: OPENING.away, bookmaker: 'closing_line' }, 'shin');
    // A constant opening price knows nothing: the blend beats it on the backtest's later half,
    // out of sample, so the gate serves the blend.
    expect(ensArt!.diagnostics.gate).toMatchObject({ open: true, loss: 'log_loss' });
    expect((ensArt!.diagnostics.gate as { n: number }).n).toBeGreaterThanOrEqual(300);
    const weights = ensArt!.parameters as unknown as EnsembleWeights;
    const expected = ensembleForecast(weights, [own, elo, market], own);
    const skewed = ensembleForecast(weights, [pooled, elo, market], own);
    // The two readings differ by more than the tolerance below, so the test tells them apart.
    expect(Math.abs(expected.home - skewed.home)).toBeGreaterThan(2e-4);

    const res = await t.app.inject({ method: 'GET', url: `/api/v1/predictions/match/${game.id}?model=ensemble` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.model).toBe('ensemble');
    expect(body.win_probability.home).toBeCloseTo(expected.home, 5);
    // The margin model's own answer is still the Elo-pooled one.
    const marginAnswer = (await t.app.inject({ method: 'GET', url: `/api/v1/predictions/match/${game.id}?model=margin` })).json();
    expect(marginAnswer.win_probability.home).toBeCloseTo(pooled.home, 5);
  });
});
