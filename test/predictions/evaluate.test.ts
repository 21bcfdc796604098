// The evaluation service on a database: a simulated six-season league with opening and
// closing odds, evaluated walk-forward over its last three seasons, with the last two held
// out; plus the errors a caller can make.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { competitions, matches, teamMatchStats } from '../../src/db/schema/index.js';
import { ValidationError } from '../../src/platform/errors.js';
import { evaluate, parseModels, type EvaluationReport } from '../../src/modules/predictions/evaluation/evaluate.js';
import { reportMarkdown } from '../../src/modules/predictions/evaluation/report.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { createFactories } from '../helpers/factories.js';
import { seedSoccerLeague } from './helpers.js';

let tdb: TestDatabase;
let report: EvaluationReport;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const f = createFactories(tdb.database.db);
  await seedSoccerLeague(tdb.database.db, f, { teams: 14, seasons: ['2016-17', '2017-18', '2018-19', '2019-20', '2020-21', '2021-22'], firstDay: '2016-08-05', odds: true, code: 'eval-league' });
  report = await evaluate(tdb.database.db, {
    competitions: ['eval-league'],
    seasons: { from: '2019-20', to: '2021-22' },
    models: ['elo', 'dixon-coles', 'bivariate-poisson', 'ensemble'],
    tunedThrough: '2019-20',
    bootstrapResamples: 200,
    includeForecasts: true,
  });
}, 120_000);

afterAll(async () => {
  await tdb.cleanup();
});

describe('sharpline evaluate (service)', () => {
  it('reports every model next to the opening and closing market on the same matches', () => {
    expect(report.sport).toBe('soccer');
    expect(report.seasons).toEqual(['2019-20', '2020-21', '2021-22']);
    expect(report.held_out_seasons).toEqual(['2020-21', '2021-22']);
    expect(report.forecasters).toEqual(['elo', 'dixon-coles', 'bivariate-poisson', 'ensemble', 'market-opening', 'market-closing']);
    const ns = new Set(Object.values(report.overall).map((m) => m.n));
    expect([...ns]).toEqual([3 * 182]);
    expect(report.held_out['dixon-coles']!.n).toBe(2 * 182);
    for (const m of Object.values(report.overall)) {
      expect(m.rps!).toBeGreaterThan(0.1);
      expect(m.rps!).toBeLessThan(0.3);
      expect(m.ece).toHaveLength(3);
    }
    expect(Object.keys(report.by_season)).toEqual(['2019-20', '2020-21', '2021-22']);
    // Closing prices are the simulation's truth plus margin: no model should beat them by much.
    expect(report.overall['market-closing']!.log_loss!).toBeLessThan(report.overall.elo!.log_loss! + 0.02);
  });

  it('states its refit cadence and times itself', () => {
    expect(report.refit_days).toBe(7);
    expect(report.timing.fits).toBeGreaterThan(2 * 50);
    expect(report.timing.ensemble_fits).toBeGreaterThan(0);
    expect(report.timing.total_ms).toBeGreaterThan(0);
  });

  it('gives the bootstrap of model minus market and the quality bars', () => {
    const dcClosing = report.bootstrap.find((b) => b.model === 'dixon-coles' && b.market === 'market-closing')!;
    expect(dcClosing).toMatchObject({ metric: 'rps', scope: 'held_out', n: 2 * 182 });
    expect(dcClosing.lower).toBeLessThanOrEqual(dcClosing.mean_difference);
    expect(dcClosing.upper).toBeGreaterThanOrEqual(dcClosing.mean_difference);
    expect(dcClosing.model_mean).toBeCloseTo(report.held_out['dixon-coles']!.rps!, 10);
    expect(report.bars.map((b) => b.name)).toHaveLength(5);
    for (const b of report.bars) expect(typeof b.pass).toBe('boolean');
    const md = reportMarkdown(report);
    expect(md).toContain(`| dixon-coles | ${2 * 182} |`);
    expect(md).toContain('Quality bars');
  });

  it('gives each held-out league-season its own model − opening market interval, and the ensemble its weights', () => {
    expect(report.by_competition_season.map((c) => `${c.competition}/${c.season}`)).toEqual(['eval-league/2020-21', 'eval-league/2021-22']);
    for (const cell of report.by_competition_season) {
      expect(cell).toMatchObject({ market: 'market-opening', metric: 'rps', n: 182 });
      expect(cell.market_mean).toBeCloseTo(report.by_season[cell.season]!['market-opening']!.rps!, 10);
      const ens = cell.models.find((m) => m.model === 'ensemble')!;
      expect(ens.model_mean).toBeCloseTo(report.by_season[cell.season]!.ensemble!.rps!, 10);
      expect(ens.lower).toBeLessThanOrEqual(ens.mean_difference);
      expect(ens.upper).toBeGreaterThanOrEqual(ens.mean_difference);
    }
    const bar = report.bars.find((b) => b.name.startsWith('Ensemble never above the opening market'))!;
    const above = report.by_competition_season.filter((c) => c.models.find((m) => m.model === 'ensemble')!.lower > 0).length;
    expect(bar).toMatchObject({ value: above, pass: above === 0 });
    // Per competition by default, shrunk towards the market with the default prior.
    expect(report.ensemble).toMatchObject({ per_competition: true, prior_precision: 1000, prior_mean: { 'dixon-coles': 0, elo: 0, market: 1 } });
    const w = report.ensemble!.last_weights['eval-league']!;
    expect(w.training_rows).toBeGreaterThan(300);
    expect(w.weights.market!.se).toBeGreaterThan(0);
    // The gate's decision for the last season, made on the blend's own earlier out-of-sample
    // seasons; where it is closed the ensemble is the opening market exactly.
    expect(w.gate).toMatchObject({ loss: 'rps' });
    expect(typeof w.gate.open).toBe('boolean');
    const last = report.forecasts!.filter((r) => r.season === '2021-22');
    for (const r of last.slice(0, 10)) {
      const e = r.forecasts.ensemble!;
      const m = r.forecasts['market-opening']!;
      if (w.gate.open) expect(Math.abs(e.home - m.home) + Math.abs(e.away - m.away)).toBeGreaterThan(0);
      else expect(e.home).toBeCloseTo(m.home, 12);
    }
    const md = reportMarkdown(report);
    expect(md).toContain('**Per league and held-out season: model − opening market (rps, shin');
    expect(md).toContain('| eval-league | 2020-21 | 182 |');
    expect(md).toContain('**Ensemble blend** (per competition');
  });

  it('sets the market under both de-margining methods beside the models, on one n', () => {
    expect(report.margin_method).toBe('shin');
    const rows = report.margin_methods;
    expect(rows.map((r) => `${r.market}/${r.method}/${r.primary}`)).toEqual([
      'market-opening/shin/true',
      'market-opening/multiplicative/false',
      'market-closing/shin/true',
      'market-closing/multiplicative/false',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ metric: 'rps', scope: 'held_out', n: 2 * 182 });
      expect(r.models.map((m) => m.model)).toEqual(['elo', 'dixon-coles', 'bivariate-poisson', 'ensemble']);
    }
    // The primary rows are the report's own market numbers.
    expect(rows[2]!.market_mean).toBeCloseTo(report.held_out['market-closing']!.rps!, 10);
    // The two methods price differently, so the baselines differ (slightly).
    expect(rows[2]!.market_mean).not.toBe(rows[3]!.market_mean);
    const md = reportMarkdown(report);
    expect(md).toContain('both de-margining methods');
    expect(md).toContain('| market-closing | multiplicative |');
  });

  it('gives every forecaster an ECE interval and the calibrated band', () => {
    for (const f of report.forecasters) {
      const c = report.calibration[f]!;
      expect(c).toHaveLength(3);
      for (const k of c) {
        expect(k.ece).toBeCloseTo(report.held_out[f]!.ece[k.classIndex]!, 10);
        expect(k.null_upper).toBeGreaterThan(k.null_mean);
        expect(k.upper).toBeGreaterThanOrEqual(k.lower);
      }
    }
    expect(reportMarkdown(report)).toMatch(/Calibration[\s\S]*(within noise|miscalibrated)/);
  });

  it('exports every reported match with its cut-off before kick-off', () => {
    const rows = report.forecasts!;
    expect(rows).toHaveLength(3 * 182);
    for (const r of rows) {
      expect(r.cutoff).not.toBeNull();
      expect(r.cutoff! <= r.date).toBe(true);
      const dc = r.forecasts['dixon-coles']!;
      expect(dc.home + dc.draw + dc.away).toBeCloseTo(1, 9);
    }
  });

  it('rejects what it cannot evaluate', async () => {
    const db = tdb.database.db;
    await expect(evaluate(db, { competitions: ['nope'], seasons: { from: '2019-20', to: '2020-21' }, models: ['elo'] })).rejects.toThrow(ValidationError);
    await expect(evaluate(db, { competitions: ['eval-league'], seasons: { from: '2009-10', to: '2020-21' }, models: ['elo'] })).rejects.toThrow(/no season 2009-10/);
    await expect(evaluate(db, { competitions: ['eval-league'], seasons: { from: '2019-20', to: '2020-21' }, models: ['margin'] })).rejects.toThrow(/points sports/);
    await expect(evaluate(db, { competitions: ['eval-league'], seasons: { from: '2019-20', to: '2020-21' }, models: ['elo'], refitDays: 0 })).rejects.toThrow(/--refit-days must be 1..365/);
    expect(() => parseModels('elo,neural-net')).toThrow(/unknown model "neural-net"/);
  });

  it('blends shots on target into the Dixon-Coles target when the matches have them, and not at --shots-blend 0', async () => {
    const db = tdb.database.db;
    const finals = await db
      .select({ id: matches.id, home: matches.homeTeamId, away: matches.awayTeamId, hs: matches.homeScore, as: matches.awayScore })
      .from(matches)
      .innerJoin(competitions, eq(competitions.id, matches.competitionId))
      .where(and(eq(competitions.code, 'eval-league'), eq(matches.status, 'final')));
    // Shots on target that say more than the goals did: a side's count also varies with the match id.
    const rows = finals.flatMap((m) => [
      { matchId: m.id, teamId: m.home, side: 'home', stats: { shots_on_target: 3 * m.hs! + (m.id % 4) } },
      { matchId: m.id, teamId: m.away, side: 'away', stats: { shots_on_target: 3 * m.as! + ((m.id >> 2) % 4) } },
    ]);
    for (let i = 0; i < rows.length; i += 500) await db.insert(teamMatchStats).values(rows.slice(i, i + 500));
    try {
      const run = (shotsBlend?: number) =>
        evaluate(db, {
          competitions: ['eval-league'],
          seasons: { from: '2021-22', to: '2021-22' },
          models: ['dixon-coles'],
          tunedThrough: '2020-21',
          bootstrapResamples: 50,
          includeForecasts: true,
          ...(shotsBlend !== undefined ? { shotsBlend } : {}),
        });
      const [goalsOnly, byDefault, heavy] = [await run(0), await run(), await run(0.5)];
      expect(goalsOnly.command).toContain('--shots-blend 0');
      const dc = (r: EvaluationReport) => r.forecasts!.map((f) => f.forecasts['dixon-coles']!.home);
      expect(dc(byDefault)).toHaveLength(182);
      const moved = (a: number[], b: number[]) => Math.max(...a.map((x, k) => Math.abs(x - b[k]!)));
      expect(moved(dc(byDefault), dc(goalsOnly))).toBeGreaterThan(1e-3);
      expect(moved(dc(heavy), dc(goalsOnly))).toBeGreaterThan(moved(dc(byDefault), dc(goalsOnly)));
      // The goals-only run is the run on the same data without shot counts.
      await db.delete(teamMatchStats).where(sql`${teamMatchStats.matchId} in (select ${matches.id} from ${matches} join ${competitions} on ${competitions.id} = ${matches.competitionId} where ${competitions.code} = 'eval-league')`);
      expect(dc(await run())).toEqual(dc(goalsOnly));
    } finally {
      await db.delete(teamMatchStats);
    }
  }, 120_000);
});

