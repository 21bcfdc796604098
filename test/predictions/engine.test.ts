// The prediction engine without a database: the look-ahead rule (a forecast never depends on
// its own result or on anything dated on or after its match), the walk-forward ensemble
// (weights from earlier seasons only), stored-parameter round trips, settlement scores
// computed by hand, and season-range parsing.
import { describe, expect, it } from 'vitest';
import { eloPredict, EloTracker } from '../../src/modules/predictions/engine/elo.js';
import { fitGoalsAt, goalsFromParameters, goalsParameters, goalsScoreMatrix } from '../../src/modules/predictions/engine/goals.js';
import { assertNoLookAhead, isResult, LookAheadError, type HistoryMatch } from '../../src/modules/predictions/engine/history.js';
import { sportSettings, type SportSettings } from '../../src/modules/predictions/engine/params.js';
import { fitMarginAt, marginFromParameters, marginParameters, marginPrediction, scheduleCovariatesOf } from '../../src/modules/predictions/engine/points.js';
import { walkForward, type FittedKind } from '../../src/modules/predictions/engine/walk-forward.js';
import { parseSeasonRange, resolveSeason } from '../../src/modules/predictions/evaluation/evaluate.js';
import { addEnsemble, runCompetition, type EvalRecord } from '../../src/modules/predictions/evaluation/records.js';
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
          home: 1,
          away: 2,
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
    expect(addEnsemble(a, 'soccer').fits).toBe(2);
    expect(a.filter((r) => r.season === '2018-19').every((r) => r.forecasts.ensemble === undefined)).toBe(true);
    // Flip every 2019-20 result: its own ensemble forecasts stay, 2020-21's move.
    const b = copy().map((r) => (r.season === '2019-20' ? { ...r, homeScore: r.awayScore, awayScore: r.homeScore } : r));
    addEnsemble(b, 'soccer');
    const ens = (rs: EvalRecord[], season: string) => rs.filter((r) => r.season === season).map((r) => r.forecasts.ensemble);
    expect(ens(b, '2019-20')).toEqual(ens(a, '2019-20'));
    expect(ens(b, '2020-21')).not.toEqual(ens(a, '2020-21'));
  });
});

/**
 * Two seasons of a 10-team basketball league as engine history. Each round's games are split
 * over two consecutive days, so some teams play back-to-backs (ids 1..n from 2021-01-01).
 */
function basketballHistory(seed = 4, seasons = 2, meetings = 4): HistoryMatch[] {
  const s = randomStrengths(10, 4, seededRandom(seed));
  const sim = simulatePointsLeague({ offence: s.attack, defence: s.defence, meanPoints: 105, homeAdvantage: 3, pointsSd: 11 }, { seasons, seed, meetings });
  const first = sim.ageDays![0]!;
  const perSeason = sim.home.length / seasons;
  return Array.from(sim.home, (_, k) => ({
    id: k + 1,
    date: addDays('2021-01-01', first - sim.ageDays![k]! + (k % 5 < 2 ? 1 : 0)),
    season: String(2021 + Math.floor(k / perSeason)),
    home: sim.home[k]!,
    away: sim.away[k]!,
    homeScore: sim.homePoints[k]!,
    awayScore: sim.awayPoints[k]!,
    neutral: false,
  }));
}

describe('schedule features (back-to-backs)', () => {
  const settings = sportSettings('basketball');
  // Forecast the second season, refitting daily as in the evaluation.
  const runNba = (history: HistoryMatch[]) => walkForward({ history, settings, kinds: ['margin'], from: history.filter((m) => m.season === '2022').reduce((d, m) => (m.date < d ? m.date : d), '9999'), refitDays: 1 });

  it('basketball uses them, and the simulated schedule has back-to-backs on both sides', () => {
    expect(settings.margin!.scheduleFeatures).toEqual(['back-to-back']);
    const history = basketballHistory();
    const z = history.map((m) => scheduleCovariatesOf(['back-to-back'], history, m)[0]!);
    expect(z.filter((v) => v === 1).length).toBeGreaterThan(20);
    expect(z.filter((v) => v === -1).length).toBeGreaterThan(20);
  });

  it('come from fixture dates only: a result, an unplayed fixture or a score change give the same covariates', () => {
    const history = basketballHistory();
    const target = history[history.length - 1]!;
    const yesterday = addDays(target.date, -1);
    const fixture: HistoryMatch = { id: 10_001, date: yesterday, season: target.season, home: target.home, away: 99, homeScore: null, awayScore: null, neutral: false };
    const withFixture = [...history.filter((m) => m.date < yesterday || m.id === target.id), fixture];
    expect(scheduleCovariatesOf(['back-to-back'], withFixture, target)).toEqual([1]);
    const played = withFixture.map((m) => (m.id === fixture.id ? { ...m, homeScore: 100, awayScore: 90 } : m));
    expect(scheduleCovariatesOf(['back-to-back'], played, target)).toEqual([1]);
    // A postponed game was not played on its date.
    const postponed = withFixture.map((m) => (m.id === fixture.id ? { ...m, cancelled: true } : m));
    expect(scheduleCovariatesOf(['back-to-back'], postponed, target)).toEqual([0]);
    // Games on or after the target's own date never count.
    const later = [...withFixture.filter((m) => m.id !== fixture.id), { ...fixture, date: target.date }, { ...fixture, id: 10_002, date: addDays(target.date, 1) }];
    expect(scheduleCovariatesOf(['back-to-back'], later, target)).toEqual([0]);
  });

  it('results on or after a day change no margin forecast before it, and the fit uses the back-to-back effect', () => {
    const history = basketballHistory();
    const base = runNba(history);
    expect(base.predicted).toBe(180);
    expect(base.forecasts.get('margin')!.size).toBe(180);
    const day = history[Math.floor(history.length * 0.75)]!.date;
    const changed = history.map((m) => (m.date >= day ? { ...m, homeScore: m.awayScore, awayScore: m.homeScore } : m));
    const again = runNba(changed);
    let later = 0;
    for (const m of history) {
      const a = base.forecasts.get('margin')!.get(m.id);
      const b = again.forecasts.get('margin')!.get(m.id);
      if (m.date <= day) expect(b).toEqual(a);
      else if (JSON.stringify(a) !== JSON.stringify(b)) later++;
    }
    expect(later).toBeGreaterThan(0);
    const fit = fitMarginAt(history, day, [], settings.margin!)!;
    expect(fit.features).toEqual(['back-to-back']);
    expect(fit.model.covariateEffects).toHaveLength(1);
    expect(fit.model.covariateEffects[0]).not.toBe(0);
    // The forecast of a back-to-back game applies the fitted effect.
    const target = history.find((m) => m.date >= day && scheduleCovariatesOf(['back-to-back'], history, m)[0] === 1)!;
    const daily = fitMarginAt(history, target.date, [target], settings.margin!)!;
    const withEffect = marginPrediction(daily, target.home, target.away, false, [1])!;
    const without = marginPrediction(daily, target.home, target.away, false, [0])!;
    expect(withEffect.expectedMargin - without.expectedMargin).toBeCloseTo(daily.model.covariateEffects[0]!, 10);
    expect(base.forecasts.get('margin')!.get(target.id)!.spread).toBeCloseTo(withEffect.spread, 10);
  });
});

describe('closing lines of earlier games (market rows)', () => {
  const settings = sportSettings('basketball');
  const from = (h: HistoryMatch[]) => h.filter((m) => m.season === '2022').reduce((d, m) => (m.date < d ? m.date : d), '9999');
  const runNba = (history: HistoryMatch[]) => walkForward({ history, settings, kinds: ['margin'], from: from(history), refitDays: 1 });
  /** Every result gets a closing line: half its margin (to the half point) and its total. */
  const lined = (history: HistoryMatch[]) =>
    history.map((m) => (isResult(m) ? { ...m, closingLine: { spread: -Math.round(m.homeScore - m.awayScore) / 2, total: m.homeScore + m.awayScore + 0.5 } } : m));

  it('basketball fits them, and they change the forecasts', () => {
    expect(settings.margin!.marketLines).toEqual({ weight: 50, xi: 0.3 });
    const history = basketballHistory();
    const withLines = lined(history);
    const plain = runNba(history).forecasts.get('margin')!;
    const market = runNba(withLines).forecasts.get('margin')!;
    expect(market.size).toBe(plain.size);
    let moved = 0;
    for (const [id, f] of market) if (Math.abs(f.home - plain.get(id)!.home) > 1e-6) moved++;
    // All but the first days of the season: lines fade within weeks (xi 0.3 a day), results do not.
    expect(moved).toBeGreaterThan(market.size * 0.9);
    const day = history[Math.floor(history.length * 0.75)]!.date;
    const fit = fitMarginAt(withLines, day, [], settings.margin!)!;
    expect(fit.marketLines).toEqual({ weight: 50, xi: 0.3 });
    expect(fit.diagnostics.marketRows).toBe(fit.diagnostics.games);
    expect(marginParameters(fit)).toMatchObject({ market_lines: { weight: 50, xi: 0.3 } });
    // Without the setting the lines are ignored.
    const off = fitMarginAt(withLines, day, [], { ...settings.margin!, marketLines: undefined })!;
    expect(off.marketLines).toBeNull();
    expect(off.diagnostics.marketRows).toBe(0);
  });

  it('a match\'s own line, and any line dated on or after a day, change no forecast before it', () => {
    const withLines = lined(basketballHistory());
    const base = runNba(withLines).forecasts.get('margin')!;
    const day = withLines[Math.floor(withLines.length * 0.75)]!.date;
    const moved = withLines.map((m) => (m.date >= day && m.closingLine ? { ...m, closingLine: { spread: -m.closingLine.spread + 7, total: m.closingLine.total - 20 } } : m));
    const again = runNba(moved).forecasts.get('margin')!;
    let later = 0;
    for (const m of withLines) {
      if (!base.has(m.id)) continue;
      if (m.date <= day) expect(again.get(m.id)).toEqual(base.get(m.id));
      else if (JSON.stringify(again.get(m.id)) !== JSON.stringify(base.get(m.id))) later++;
    }
    expect(later).toBeGreaterThan(0);
  });
});

describe('the margin model\'s Elo blend', () => {
  const nba = sportSettings('basketball');
  const history = basketballHistory(6, 3, 8);
  const run = (h: HistoryMatch[], eloBlend: boolean) =>
    runCompetition({ code: 'sim', sport: 'basketball', history: h, settings: { ...nba, margin: { ...nba.margin!, eloBlend } }, models: ['margin'], predictFrom: '2022', predictTo: '2023', refitDays: 7, quotes: async () => new Map() });
  const margin = (r: Awaited<ReturnType<typeof run>>, season: string) => r.records.filter((x) => x.season === season).map((x) => x.forecasts.margin);

  it('is fitted on earlier seasons only: the first forecast season stays raw, a season\'s own results never move it', async () => {
    const raw = await run(history, false);
    const blended = await run(history, true);
    expect(margin(blended, '2022')).toEqual(margin(raw, '2022'));
    const a = margin(blended, '2023');
    const b = margin(raw, '2023');
    expect(a.length).toBe(360);
    // Pooled probabilities move, the margin model's spread and total do not.
    expect(a.filter((f, i) => Math.abs(f!.home - b[i]!.home) > 1e-6).length).toBeGreaterThan(300);
    a.forEach((f, i) => expect(f!.spread).toBe(b[i]!.spread));
    // Swapping 2023's results changes no 2023 pooled forecast made before them...
    const lastDay = history[history.length - 1]!.date;
    const swapped = history.map((m) => (m.date === lastDay ? { ...m, homeScore: m.awayScore, awayScore: m.homeScore } : m));
    const again = await run(swapped, true);
    expect(margin(again, '2023').slice(0, 300)).toEqual(a.slice(0, 300));
    // ...while 2022's results, the blend's training rows, do move them.
    const earlier = history.map((m) => (m.season === '2022' && m.id % 2 === 0 ? { ...m, homeScore: m.awayScore, awayScore: m.homeScore } : m));
    expect(margin(await run(earlier, true), '2023')[0]!.home).not.toBe(a[0]!.home);
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
    expect(restored.features).toEqual(margin.features);
    const nba = fitMarginAt(basketballHistory(), '2022-03-01', [], sportSettings('basketball').margin!)!;
    const nbaBack = marginFromParameters(JSON.parse(JSON.stringify(marginParameters(nba))), nba.window, nba.diagnostics);
    expect(nbaBack.features).toEqual(['back-to-back']);
    expect(marginPrediction(nbaBack, 2, 3, false, [-1])!.homeWin).toBeCloseTo(marginPrediction(nba, 2, 3, false, [-1])!.homeWin, 5);
    const blend = { classes: 2 as const, sources: ['margin', 'elo'], weights: [0.7, 0.3], intercepts: [0, 0], trainingRows: 400, trainingLogLoss: 0.6, converged: true };
    const pooled = marginFromParameters(JSON.parse(JSON.stringify(marginParameters({ ...nba, eloBlend: blend }))), nba.window, nba.diagnostics);
    expect(pooled.eloBlend).toEqual(blend);
    expect(nbaBack.eloBlend).toBeNull();
    // An artifact stored before schedule features existed predicts without them.
    const { schedule_features: _f, covariate_effects: _c, ...old } = marginParameters(nba) as Record<string, unknown>;
    expect(marginFromParameters(old, nba.window, nba.diagnostics).features).toEqual([]);
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

describe('goals implied by earlier matches\' closing prices (Dixon-Coles market blend)', () => {
  const settings = sportSettings('soccer', true);
  const off: SportSettings = { ...settings, goals: { ...settings.goals!, marketBlend: 0 } };
  const from = (h: HistoryMatch[]) => h.filter((m) => m.season === '2022-23').reduce((d, m) => (m.date < d ? m.date : d), '9999');
  const runDc = (history: HistoryMatch[], s: SportSettings = settings) => walkForward({ history, settings: s, kinds: ['dixon-coles'], from: from(history), refitDays: 7 }).forecasts.get('dixon-coles')!;
  /** Every result gets market goals leaning towards its own score. */
  const priced = (history: HistoryMatch[]) => history.map((m) => (isResult(m) ? { ...m, marketGoals: { home: 0.5 + 0.5 * m.homeScore, away: 0.5 + 0.5 * m.awayScore } } : m));

  it('is on for soccer, moves the forecasts, and is ignored at 0', () => {
    expect(settings.goals!.marketBlend).toBe(0.4);
    const history = priced(soccerHistory());
    const plain = runDc(soccerHistory());
    const blended = runDc(history);
    const unblended = runDc(history, off);
    let moved = 0;
    for (const [id, f] of blended) {
      if (Math.abs(f.home - plain.get(id)!.home) > 1e-6) moved++;
      expect(unblended.get(id)).toEqual(plain.get(id));
    }
    expect(moved).toBe(blended.size);
  });

  it('a match\'s own price, and any price dated on or after a day, change no forecast before it', () => {
    const history = priced(soccerHistory());
    const before = runDc(history);
    const day = history[Math.floor(history.length * 0.85)]!.date;
    const moved = history.map((m) => (m.date >= day && m.marketGoals ? { ...m, marketGoals: { home: 3, away: 0.2 } } : m));
    const again = runDc(moved);
    let later = 0;
    for (const m of history) {
      if (!before.has(m.id)) continue;
      if (m.date <= day) expect(again.get(m.id)).toEqual(before.get(m.id));
      else if (JSON.stringify(again.get(m.id)) !== JSON.stringify(before.get(m.id))) later++;
    }
    expect(later).toBeGreaterThan(0);
  });
});
