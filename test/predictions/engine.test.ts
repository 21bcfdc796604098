// The prediction engine without a database: the look-ahead rule (a forecast never depends on
// its own result or on anything dated on or after its match), the walk-forward ensemble
// (weights from earlier seasons only), stored-parameter round trips, settlement scores
// computed by hand, and season-range parsing.
import { describe, expect, it } from 'vitest';
import { eloPredict, EloTracker } from '../../src/modules/predictions/engine/elo.js';
import { fitGoalsAt, goalsFromParameters, goalsParameters, goalsScoreMatrix } from '../../src/modules/predictions/engine/goals.js';
import { assertNoLookAhead, isResult, LookAheadError, type HistoryMatch } from '../../src/modules/predictions/engine/history.js';
import { sportSettings } from '../../src/modules/predictions/engine/params.js';
import { fitMarginAt, marginFromParameters, marginParameters, marginPrediction } from '../../src/modules/predictions/engine/points.js';
import { walkForward, type FittedKind } from '../../src/modules/predictions/engine/walk-forward.js';
import { parseSeasonRange, resolveSeason } from '../../src/modules/predictions/evaluation/evaluate.js';
import { addEnsemble, type EvalRecord } from '../../src/modules/predictions/evaluation/records.js';
import { predictionMetrics } from '../../src/modules/predictions/settlement.js';
import { seededRandom } from '../../src/models/random.js';
import { randomStrengths, simulateDixonColesLeague, simulatePointsLeague } from '../../src/models/simulate-league.js';
import { addDays } from './helpers.js';

/** Three seasons of a 10-team league as engine history (ids 1..n, dates from 2020-08-01). */
function soccerHistory(seed = 3): HistoryMatch[] {
  const truth = { ...randomStrengths(10, 0.35, seededRandom(seed)), intercept: 0.1, homeAdvantage: 0.25, rho: -0.08 };
  const sim = simulateDixonColesLeague(truth, { seasons: 3, seed });
  const names = ['2020-21', '2021-22', '2022-23'];
  return Array.from(sim.home, (_, k) => ({
    id: k + 1,
    date: addDays('2020-08-01', sim.day[k]!),
    season: names[Math.floor(k / 90)]!,
    home: 100 + sim.home[k]!,
    away: 100 + sim.away[k]!,
    homeScore: sim.homeGoals[k]!,
    awayScore: sim.awayGoals[k]!,
    neutral: false,
  }));
}

const SOCCER_KINDS: FittedKind[] = ['elo', 'dixon-coles', 'bivariate-poisson'];

function run(history: HistoryMatch[]) {
  return walkForward({ history, settings: sportSettings('soccer'), kinds: SOCCER_KINDS, from: '2021-02-01', refitDays: 7 });
}

describe('no look-ahead', () => {
  it('assertNoLookAhead refuses training data on or after the cut-off and overlapping sets', () => {
    const m = (id: number, date: string): HistoryMatch => ({ id, date, season: 's', home: 1, away: 2, homeScore: 1, awayScore: 0, neutral: false });
    expect(() => assertNoLookAhead([m(1, '2024-01-01')], '2024-01-02', [m(2, '2024-01-02')])).not.toThrow();
    expect(() => assertNoLookAhead([m(1, '2024-01-02')], '2024-01-02', [m(2, '2024-01-02')])).toThrow(LookAheadError);
    expect(() => assertNoLookAhead([m(1, '2024-01-01')], '2024-01-02', [m(2, '2024-01-01')])).toThrow(LookAheadError);
    expect(() => assertNoLookAhead([m(1, '2024-01-01')], '2024-01-02', [m(1, '2024-01-03')])).toThrow(/both trained on and predicted/);
  });

  it('a match\'s own result never changes its walk-forward forecast, for every model', () => {
    const history = soccerHistory();
    const base = run(history);
    expect(base.predicted).toBe(180);
    expect(base.fits).toBeGreaterThan(40);
    const random = seededRandom(99);
    for (let i = 0; i < 6; i++) {
      const target = history[90 + random.int(0, 89)]!;
      const changed = history.map((m) => (m.id === target.id ? { ...m, homeScore: 7, awayScore: 0 } : m));
      const again = run(changed);
      for (const kind of SOCCER_KINDS) expect(again.forecasts.get(kind)!.get(target.id)).toEqual(base.forecasts.get(kind)!.get(target.id));
    }
  });

  it('results dated on or after a day change no forecast before it, and do change later ones', () => {
    const history = soccerHistory();
    const base = run(history);
    const day = history[150]!.date;
    const changed = history.map((m) => (m.date >= day ? { ...m, homeScore: m.awayScore, awayScore: m.homeScore } : m));
    const again = run(changed);
    for (const kind of SOCCER_KINDS) {
      let later = 0;
      for (const m of history) {
        const a = base.forecasts.get(kind)!.get(m.id);
        const b = again.forecasts.get(kind)!.get(m.id);
        if (m.date <= day) expect(b).toEqual(a);
        else if (JSON.stringify(a) !== JSON.stringify(b)) later++;
      }
      // The check can fail: swapped results do move the forecasts made after them.
      expect(later).toBeGreaterThan(0);
    }
  });

  it('Elo refuses to predict a match dated before the results it has consumed', () => {
    const history = soccerHistory();
    const tracker = new EloTracker(history.filter(isResult), sportSettings('soccer').elo);
    tracker.advanceTo('2021-01-01');
    const snapshot = tracker.snapshot(tracker.calibrate(365));
    expect(() => eloPredict(snapshot, { ...history[0]!, date: '2020-12-31' })).toThrow(LookAheadError);
    expect(eloPredict(snapshot, { ...history[0]!, date: '2021-01-01' }).home).toBeGreaterThan(0);
  });

  it('the ensemble of a season is fitted on earlier seasons only', () => {
    const random = seededRandom(5);
    const records: EvalRecord[] = [];
    for (const [s, season] of ['2018-19', '2019-20', '2020-21'].entries()) {
      for (let i = 0; i < 400; i++) {
        const p = 0.3 + 0.4 * random.uniform();
        const f = { home: p, draw: 0.27, away: 0.73 - p, spread: 0, total: 2.6 };
        const u = random.uniform();
        records.push({
          matchId: s * 1000 + i,
          competition: 'x',
          season,
          date: addDays(`${2018 + s}-09-01`, Math.floor(i / 10)),
          homeScore: u < p ? 2 : u < p + 0.27 ? 1 : 0,
          awayScore: u < p ? 0 : u < p + 0.27 ? 1 : 2,
          forecasts: { 'market-opening': f },
          inputs: [f, f],
        });
      }
    }
    const copy = () => records.map((r) => ({ ...r, forecasts: { ...r.forecasts } }));
    const a = copy();
    expect(addEnsemble(a, 'soccer')).toBe(2);
    expect(a.filter((r) => r.season === '2018-19').every((r) => r.forecasts.ensemble === undefined)).toBe(true);
    // Flip every 2019-20 result: its own ensemble forecasts stay, 2020-21's move.
    const b = copy().map((r) => (r.season === '2019-20' ? { ...r, homeScore: r.awayScore, awayScore: r.homeScore } : r));
    addEnsemble(b, 'soccer');
    const ens = (rs: EvalRecord[], season: string) => rs.filter((r) => r.season === season).map((r) => r.forecasts.ensemble);
    expect(ens(b, '2019-20')).toEqual(ens(a, '2019-20'));
    expect(ens(b, '2020-21')).not.toEqual(ens(a, '2020-21'));
  });
});

describe('stored parameters', () => {
  it('round-trip Dixon-Coles and margin fits exactly enough to predict the same', () => {
    const history = soccerHistory();
    const fit = fitGoalsAt('dixon-coles', history, '2022-01-01', [], sportSettings('soccer').goals!)!;
    const back = goalsFromParameters('dixon-coles', JSON.parse(JSON.stringify(goalsParameters(fit))), fit.window, fit.diagnostics);
    const a = goalsScoreMatrix(fit, 100, 101)!.p;
    const b = goalsScoreMatrix(back, 100, 101)!.p;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    expect(goalsScoreMatrix(fit, 100, 999)).toBeNull();

    const s = randomStrengths(8, 4, seededRandom(1));
    const pts = simulatePointsLeague({ offence: s.attack, defence: s.defence, meanPoints: 100, homeAdvantage: 3, pointsSd: 10 }, { seasons: 2, seed: 2 });
    const games: HistoryMatch[] = Array.from(pts.home, (_, k) => ({
      id: k + 1,
      date: addDays('2023-01-01', pts.ageDays![0]! - pts.ageDays![k]!),
      season: '2023',
      home: pts.home[k]!,
      away: pts.away[k]!,
      homeScore: pts.homePoints[k]!,
      awayScore: pts.awayPoints[k]!,
      neutral: false,
    }));
    const margin = fitMarginAt(games, addDays(games[games.length - 1]!.date, 1), [], sportSettings('basketball').margin!)!;
    const restored = marginFromParameters(JSON.parse(JSON.stringify(marginParameters(margin))), margin.window, margin.diagnostics);
    expect(marginPrediction(restored, 0, 1)!.homeWin).toBeCloseTo(marginPrediction(margin, 0, 1)!.homeWin, 5);
  });
});

describe('settlement scores', () => {
  it('match hand-computed values for a three-way and a two-way prediction', () => {
    // p = (0.5, 0.3, 0.2), a draw: log loss −ln 0.3; Brier 0.5² + 0.7² + 0.2² = 0.78;
    // RPS ((0.5 − 0)² + (0.8 − 1)²) / 2 = 0.145; the favourite (home) lost.
    const three = predictionMetrics({ probHome: 0.5, probDraw: 0.3, probAway: 0.2, pointSpread: -0.4, totalPoints: 2.5 }, 1, 1);
    expect(three.outcome).toEqual({ home_score: 1, away_score: 1, result: 'draw' });
    expect(three.metrics.log_loss).toBeCloseTo(-Math.log(0.3), 12);
    expect(three.metrics.brier).toBeCloseTo(0.78, 12);
    expect(three.metrics.rps).toBeCloseTo(0.145, 12);
    expect(three.metrics.correct).toBe(false);
    expect(three.metrics.spread_error).toBeCloseTo(0.4, 12);
    expect(three.metrics.total_error).toBeCloseTo(0.5, 12);
    // p(home) 0.6, away wins 101-99: log loss −ln 0.4; Brier 0.6² + 0.6² = 0.72; RPS 0.36.
    const two = predictionMetrics({ probHome: 0.6, probDraw: 0, probAway: 0.4, pointSpread: -3, totalPoints: 210 }, 99, 101);
    expect(two.metrics.log_loss).toBeCloseTo(-Math.log(0.4), 12);
    expect(two.metrics.brier).toBeCloseTo(0.72, 12);
    expect(two.metrics.rps).toBeCloseTo(0.36, 12);
    expect(two.metrics.spread_error).toBeCloseTo(5, 12);
  });
});

describe('season ranges', () => {
  it('resolves names and ending years', () => {
    const order = ['2010-11', '2011-12', '2012-13'];
    expect(resolveSeason(order, '2011-12')).toBe('2011-12');
    expect(resolveSeason(order, '2012')).toBe('2011-12');
    expect(resolveSeason(['2005', '2006'], '2006')).toBe('2006');
    expect(resolveSeason(order, '2015')).toBeNull();
    expect(parseSeasonRange('2012-13..2021-22')).toEqual({ from: '2012-13', to: '2021-22' });
    expect(() => parseSeasonRange('2012-2021')).toThrow(/FROM\.\.TO/);
  });
});
