import { describe, expect, it } from 'vitest';
import {
  discretisedNormal,
  fitMarginModel,
  type PointsData,
  predictMargin,
  spreadSettlement,
  totalSettlement,
} from '../../src/models/margin.js';
import { seededRandom } from '../../src/models/random.js';
import { simulatePointsLeague } from '../../src/models/simulate-league.js';
import { normalCdf } from '../../src/models/special.js';

const TEAMS = 30;
const rnd = seededRandom(8);
const offence = Float64Array.from({ length: TEAMS }, () => 3 * rnd.normal());
const defence = Float64Array.from({ length: TEAMS }, () => 3 * rnd.normal());
for (const v of [offence, defence]) {
  const m = v.reduce((a, b) => a + b, 0) / TEAMS;
  for (let i = 0; i < TEAMS; i++) v[i] = v[i]! - m;
}
// NBA-like: 105 points per team, 3-point home edge, 12-point sd per team score.
const TRUTH = { offence, defence, meanPoints: 105, homeAdvantage: 3, pointsSd: 12 };
const DATA = simulatePointsLeague(TRUTH, { seasons: 4, seed: 5 });
const FIT = fitMarginModel(DATA, { teams: TEAMS, xi: 0, ridge: 0.5 });

describe('fitMarginModel', () => {
  it('recovers offence, defence, home advantage, scoring level and residual sd', () => {
    const { model } = FIT;
    let worst = 0;
    let ss = 0;
    for (let t = 0; t < TEAMS; t++) {
      for (const d of [model.offence[t]! - offence[t]!, model.defence[t]! - defence[t]!]) {
        worst = Math.max(worst, Math.abs(d));
        ss += d * d;
      }
    }
    // Standard error of one rating ≈ 12 / √(2 · 116 games) ≈ 0.8 points.
    expect(Math.sqrt(ss / (2 * TEAMS))).toBeLessThan(1.2);
    expect(worst).toBeLessThan(3);
    expect(Math.abs(model.homeAdvantage - 3)).toBeLessThan(1);
    expect(Math.abs(model.meanPoints - 105)).toBeLessThan(1);
    // Margin = difference of two team scores: sd ≈ √2 · 12 ≈ 16.97.
    expect(Math.abs(model.marginSd - Math.SQRT2 * 12)).toBeLessThan(0.8);
    expect(Math.abs(model.totalSd - Math.SQRT2 * 12)).toBeLessThan(0.8);
    expect(FIT.diagnostics.effectiveParameters).toBeGreaterThan(55);
    expect(FIT.diagnostics.effectiveParameters).toBeLessThan(62);
  });

  it('centres the ratings through the unpenalised intercept', () => {
    expect(Math.abs(FIT.model.offence.reduce((a, b) => a + b, 0))).toBeLessThan(1e-8);
    expect(Math.abs(FIT.model.defence.reduce((a, b) => a + b, 0))).toBeLessThan(1e-8);
  });

  it('produces calibrated win probabilities on a fresh season from the same league', () => {
    const next = simulatePointsLeague(TRUTH, { seasons: 1, seed: 99 });
    let predicted = 0;
    let observed = 0;
    let sqErr = 0;
    for (let k = 0; k < next.home.length; k++) {
      const p = predictMargin(FIT.model, next.home[k]!, next.away[k]!);
      predicted += p.homeWin;
      observed += next.homePoints[k]! > next.awayPoints[k]! ? 1 : 0;
      sqErr += (p.expectedMargin - (next.homePoints[k]! - next.awayPoints[k]!)) ** 2;
    }
    expect(Math.abs(predicted - observed) / next.home.length).toBeLessThan(0.03);
    // Out-of-sample margin RMSE close to the predictive sd.
    expect(Math.abs(Math.sqrt(sqErr / next.home.length) - FIT.model.marginSd)).toBeLessThan(1);
  });

  it('tracks a change of strength when time decay is on', () => {
    // Team 0 gains 10 points of offence for the most recent 60 days.
    const shifted: PointsData = { ...DATA, homePoints: Float64Array.from(DATA.homePoints), ageDays: DATA.ageDays };
    for (let k = 0; k < DATA.home.length; k++) {
      if (DATA.ageDays![k]! < 60 && DATA.home[k] === 0) shifted.homePoints[k] = shifted.homePoints[k]! + 10;
    }
    const flat = fitMarginModel(shifted, { teams: TEAMS, xi: 0, ridge: 0.5 });
    const decayed = fitMarginModel(shifted, { teams: TEAMS, xi: 0.02, ridge: 0.5 });
    expect(decayed.model.offence[0]! - offence[0]!).toBeGreaterThan(flat.model.offence[0]! - offence[0]! + 1.5);
  });

  it('refuses to estimate a residual sd from too few games', () => {
    const tiny: PointsData = { home: Int32Array.of(0, 1), away: Int32Array.of(1, 0), homePoints: Float64Array.of(100, 90), awayPoints: Float64Array.of(95, 99) };
    expect(() => fitMarginModel(tiny, { teams: 2, ridge: 1 })).toThrow(/too few games/);
  });
});

describe('margin predictions and line settlement', () => {
  const model = { ...FIT.model, offence: new Float64Array(TEAMS), defence: new Float64Array(TEAMS) };

  it('two equal teams at a neutral venue are a coin flip; at home the favourite gets the edge', () => {
    const neutral = predictMargin(model, 0, 1, true);
    expect(neutral.homeWin).toBeCloseTo(0.5, 12);
    expect(neutral.expectedMargin).toBe(0);
    const home = predictMargin(model, 0, 1);
    expect(home.spread).toBeCloseTo(-model.homeAdvantage, 12);
    // P(win) = P(M ≥ 1) + ½ P(M = 0) under the discretised normal.
    const m = model.homeAdvantage;
    const s = model.marginSd;
    const expected = 1 - normalCdf((0.5 - m) / s) + 0.5 * (normalCdf((0.5 - m) / s) - normalCdf((-0.5 - m) / s));
    expect(home.homeWin).toBeCloseTo(expected, 12);
  });

  it('whole-number spreads push with the probability of landing exactly on the number', () => {
    const pred = { ...predictMargin(model, 0, 1), expectedMargin: 3.2 };
    const s = pred.marginSd;
    const home = spreadSettlement(pred, -3).home;
    expect(home.push).toBeCloseTo(normalCdf((3.5 - 3.2) / s) - normalCdf((2.5 - 3.2) / s), 12);
    expect(home.win).toBeCloseTo(1 - normalCdf((3.5 - 3.2) / s), 9);
    expect(home.win + home.push + home.loss).toBeCloseTo(1, 12);
    const half = spreadSettlement(pred, -3.5);
    expect(half.home.push).toBe(0);
    expect(half.home.win).toBeCloseTo(home.win, 12);
    expect(half.away.win).toBeCloseTo(1 - home.win, 12);
  });

  it('totals settle over/under at any line', () => {
    const pred = { ...predictMargin(model, 0, 1), expectedTotal: 215.5 };
    const t = totalSettlement(pred, 215.5);
    expect(t.over.win).toBeCloseTo(0.5, 9);
    expect(t.over.fairPrice).toBeCloseTo(2, 8);
    const whole = totalSettlement(pred, 216);
    expect(whole.over.push).toBeGreaterThan(0.02);
    expect(whole.over.win).toBeCloseTo(whole.under.loss, 12);
  });

  it('discretisedNormal is a distribution with the right mean', () => {
    const d = discretisedNormal(7.3, 13.5);
    let total = 0;
    let mean = 0;
    for (let i = 0; i < d.p.length; i++) {
      total += d.p[i]!;
      mean += (d.min + i) * d.p[i]!;
    }
    expect(total).toBeCloseTo(1, 14);
    expect(mean).toBeCloseTo(7.3, 6);
  });
});

describe('game covariates (schedule features)', () => {
  // A simulated league where a team on a back-to-back loses K points of margin: the
  // covariate is b2b(home) − b2b(away), so the true effect on the margin is −K per unit.
  const K = 2.5;
  const league = simulatePointsLeague(TRUTH, { seasons: 8, seed: 21 });
  const flags = seededRandom(77);
  const n = league.home.length;
  const z = new Float64Array(n);
  const homePoints = Float64Array.from(league.homePoints);
  const awayPoints = Float64Array.from(league.awayPoints);
  for (let g = 0; g < n; g++) {
    const b2bHome = flags.uniform() < 0.2 ? 1 : 0;
    const b2bAway = flags.uniform() < 0.25 ? 1 : 0;
    z[g] = b2bHome - b2bAway;
    homePoints[g] = homePoints[g]! - (K / 2) * z[g]!;
    awayPoints[g] = awayPoints[g]! + (K / 2) * z[g]!;
  }
  const data: PointsData = { ...league, homePoints, awayPoints, covariates: z, covariateCount: 1 };

  it('recover the back-to-back effect, jointly and in two stages', () => {
    // About 2,800 games with z ≠ 0 and a margin sd of 17: standard error ≈ 0.35 points.
    const joint = fitMarginModel(data, { teams: TEAMS, xi: 0, ridge: 0.5 });
    expect(joint.model.covariateEffects).toHaveLength(1);
    expect(Math.abs(joint.model.covariateEffects[0]! + K)).toBeLessThan(1);
    const twoStage = fitMarginModel(data, { teams: TEAMS, xi: 0.01, ridge: 0.5, covariateXi: 0 });
    expect(Math.abs(twoStage.model.covariateEffects[0]! + K)).toBeLessThan(1);
    // The home edge is still recovered next to it.
    expect(Math.abs(joint.model.homeAdvantage - 3)).toBeLessThan(1);
  });

  it('shift the predicted margin by the fitted effect, half on each side', () => {
    const { model } = fitMarginModel(data, { teams: TEAMS, xi: 0, ridge: 0.5 });
    const rested = predictMargin(model, 3, 4);
    const tired = predictMargin(model, 3, 4, false, [1]);
    expect(tired.expectedMargin - rested.expectedMargin).toBeCloseTo(model.covariateEffects[0]!, 10);
    expect(tired.expectedHome - rested.expectedHome).toBeCloseTo(model.covariateEffects[0]! / 2, 10);
    expect(tired.expectedTotal).toBeCloseTo(rested.expectedTotal, 10);
    expect(tired.homeWin).toBeLessThan(rested.homeWin);
  });

  it('a covariate that never varies gets no effect, and the ratings are those of the plain fit', () => {
    const plain = fitMarginModel(league, { teams: TEAMS, xi: 0.005, ridge: 2 });
    const zero = fitMarginModel({ ...league, covariates: new Float64Array(n), covariateCount: 1 }, { teams: TEAMS, xi: 0.005, ridge: 2, covariateXi: 0 });
    expect(zero.model.covariateEffects[0]).toBe(0);
    for (let t = 0; t < TEAMS; t++) expect(zero.model.offence[t]).toBeCloseTo(plain.model.offence[t]!, 9);
    expect(zero.model.marginSd).toBeCloseTo(plain.model.marginSd, 9);
  });

  it('reject covariates of the wrong length', () => {
    expect(() => fitMarginModel({ ...league, covariates: new Float64Array(3), covariateCount: 1 }, { teams: TEAMS })).toThrow(RangeError);
  });
});

describe('market rows (closing lines of earlier games)', () => {
  // A short, noisy history: two meetings per pair, the last few weeks. The lines are the
  // scores the true ratings imply (a sharp market's closing line), one per result.
  const league = simulatePointsLeague(TRUTH, { seasons: 1, seed: 31, meetings: 2 });
  const n = league.home.length;
  const withLines = (weight: number): PointsData => {
    const rows = 2 * n;
    const out: PointsData = {
      home: new Int32Array(rows),
      away: new Int32Array(rows),
      homePoints: new Float64Array(rows),
      awayPoints: new Float64Array(rows),
      ageDays: new Float64Array(rows),
      rowWeight: new Float64Array(rows),
      market: new Uint8Array(rows),
    };
    for (let g = 0; g < n; g++) {
      for (const r of [g, n + g]) {
        out.home[r] = league.home[g]!;
        out.away[r] = league.away[g]!;
        out.ageDays![r] = league.ageDays![g]!;
      }
      out.homePoints[g] = league.homePoints[g]!;
      out.awayPoints[g] = league.awayPoints[g]!;
      out.rowWeight![g] = 1;
      const h = league.home[g]!;
      const a = league.away[g]!;
      out.homePoints[n + g] = TRUTH.meanPoints + TRUTH.homeAdvantage / 2 + offence[h]! - defence[a]!;
      out.awayPoints[n + g] = TRUTH.meanPoints - TRUTH.homeAdvantage / 2 + offence[a]! - defence[h]!;
      out.rowWeight![n + g] = weight;
      out.market![n + g] = 1;
    }
    return out;
  };
  const truthMargin = (h: number, a: number) => TRUTH.homeAdvantage + offence[h]! - defence[a]! - (offence[a]! - defence[h]!);
  const marginError = (fit: ReturnType<typeof fitMarginModel>) => {
    let s = 0;
    let k = 0;
    for (let h = 0; h < TEAMS; h++) {
      for (let a = 0; a < TEAMS; a++) {
        if (h === a) continue;
        s += (predictMargin(fit.model, h, a).expectedMargin - truthMargin(h, a)) ** 2;
        k++;
      }
    }
    return Math.sqrt(s / k);
  };

  it('pull the ratings toward the lines: with weight, the expected margins are closer to the truth than from results alone', () => {
    const results = fitMarginModel(league, { teams: TEAMS, xi: 0, ridge: 2 });
    const lined = fitMarginModel(withLines(5), { teams: TEAMS, xi: 0, ridge: 2 });
    expect(marginError(lined)).toBeLessThan(marginError(results) / 2);
    expect(marginError(lined)).toBeLessThan(1.5);
  });

  it('are left out of the residual sd and the game count; at weight 0 the fit is the results-only fit', () => {
    const results = fitMarginModel(league, { teams: TEAMS, xi: 0.01, ridge: 2 });
    const zero = fitMarginModel(withLines(0), { teams: TEAMS, xi: 0.01, ridge: 2 });
    expect(zero.diagnostics).toMatchObject({ games: n, marketRows: n });
    expect(results.diagnostics).toMatchObject({ games: n, marketRows: 0 });
    for (let t = 0; t < TEAMS; t++) expect(zero.model.offence[t]).toBeCloseTo(results.model.offence[t]!, 9);
    expect(zero.model.marginSd).toBeCloseTo(results.model.marginSd, 9);
    // With weight the sd still measures how results scatter (about √2 × 12 ≈ 17 around the truth),
    // not how closely the fit follows the lines.
    const lined = fitMarginModel(withLines(5), { teams: TEAMS, xi: 0.01, ridge: 2 });
    expect(lined.model.marginSd).toBeGreaterThan(14);
    expect(lined.model.marginSd).toBeLessThan(20);
  });

  it('reject weights of the wrong length or below zero', () => {
    const data = withLines(1);
    expect(() => fitMarginModel({ ...data, rowWeight: new Float64Array(3) }, { teams: TEAMS })).toThrow(RangeError);
    const negative = Float64Array.from(data.rowWeight!);
    negative[0] = -1;
    expect(() => fitMarginModel({ ...data, rowWeight: negative }, { teams: TEAMS })).toThrow(/rowWeight/);
  });
});
