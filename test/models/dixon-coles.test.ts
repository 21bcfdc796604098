import { describe, expect, it } from 'vitest';
import {
  dixonColesNegLogLikelihood,
  dixonColesRates,
  dixonColesScoreMatrix,
  fitDixonColes,
} from '../../src/models/dixon-coles.js';
import { type GoalsData, layout, matchWeights, shotsBlendedTargets } from '../../src/models/goals-data.js';
import { expectedGoals } from '../../src/models/markets.js';
import { gradientCheck } from '../../src/models/optimize.js';
import { seededRandom } from '../../src/models/random.js';
import { randomStrengths, simulateDixonColesLeague } from '../../src/models/simulate-league.js';

const TEAMS = 20;
const strengths = randomStrengths(TEAMS, 0.3, seededRandom(3));
const TRUTH = { ...strengths, intercept: 0.1, homeAdvantage: 0.25, rho: -0.13 };
// Ten seasons of a 20-team league: 3,800 matches drawn from the true model.
const LEAGUE = simulateDixonColesLeague(TRUTH, { seasons: 10, seed: 103 });

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

describe('Dixon-Coles likelihood', () => {
  it('has an analytic gradient that matches finite differences (incl. ρ and neutral games)', () => {
    const data: GoalsData = { ...LEAGUE, neutral: Uint8Array.from(LEAGUE.home, (_, k) => (k % 7 === 0 ? 1 : 0)) };
    const w = matchWeights({ ...data, ageDays: Float64Array.from(LEAGUE.day, (d) => 3500 - d) }, 0.002);
    const f = dixonColesNegLogLikelihood(data, w, TEAMS);
    const x = new Float64Array(layout(TEAMS).size);
    const r = seededRandom(9);
    for (let i = 0; i < x.length; i++) x[i] = 0.2 * r.normal();
    x[layout(TEAMS).extra] = -0.08;
    expect(gradientCheck(f, x, 1e-5)).toBeLessThan(1e-6);
  });

  it('treats an infeasible ρ as outside the domain', () => {
    const f = dixonColesNegLogLikelihood(LEAGUE, matchWeights(LEAGUE, 0), TEAMS);
    const x = new Float64Array(layout(TEAMS).size);
    x[layout(TEAMS).extra] = 1.5;
    expect(f(x, new Float64Array(x.length))).toBe(Infinity);
  });
});

describe('fitDixonColes', () => {
  const fit = fitDixonColes(LEAGUE, { teams: TEAMS, xi: 0, priorPrecision: 0 });

  it('recovers the simulated attack, defence, home advantage and ρ', () => {
    const { model, diagnostics } = fit;
    expect(diagnostics.converged).toBe(true);
    expect(diagnostics.gradientNorm).toBeLessThan(1e-6);
    expect(diagnostics.matches).toBe(3800);
    let worst = 0;
    let ss = 0;
    for (let t = 0; t < TEAMS; t++) {
      for (const d of [model.attack[t]! - TRUTH.attack[t]!, model.defence[t]! - TRUTH.defence[t]!]) {
        worst = Math.max(worst, Math.abs(d));
        ss += d * d;
      }
    }
    // Standard error of one team's strength here is ≈ 0.065; 40 of them.
    expect(Math.sqrt(ss / (2 * TEAMS))).toBeLessThan(0.08);
    expect(worst).toBeLessThan(0.25);
    expect(model.homeAdvantage).toBeCloseTo(TRUTH.homeAdvantage, 1);
    expect(Math.abs(model.intercept - TRUTH.intercept)).toBeLessThan(0.05);
    expect(Math.abs(model.rho - TRUTH.rho)).toBeLessThan(0.08);
  });

  it('keeps Σ attack = Σ defence = 0 exactly', () => {
    expect(Math.abs(sum(fit.model.attack))).toBeLessThan(1e-12);
    expect(Math.abs(sum(fit.model.defence))).toBeLessThan(1e-12);
  });

  it('is deterministic and reports a log-likelihood consistent with the data', () => {
    const again = fitDixonColes(LEAGUE, { teams: TEAMS, xi: 0, priorPrecision: 0 });
    expect(Array.from(again.model.attack)).toEqual(Array.from(fit.model.attack));
    // Average log-likelihood per match of a soccer score model is around −2.8 to −3.0.
    const perMatch = fit.diagnostics.logLikelihood / 3800;
    expect(perMatch).toBeGreaterThan(-3.2);
    expect(perMatch).toBeLessThan(-2.6);
    expect(fit.diagnostics.penalisedLogLikelihood).toBe(fit.diagnostics.logLikelihood); // no prior
  });

  it('gives score matrices whose expected goals match the fitted rates', () => {
    const rates = dixonColesRates(fit.model, 0, 1);
    const m = dixonColesScoreMatrix(fit.model, 0, 1, { maxGoals: 12 });
    const xg = expectedGoals(m);
    // τ moves a little mass between 0-0/1-1 and 1-0/0-1, which shifts the means by O(ρλμ).
    expect(xg.home).toBeCloseTo(rates.home, 1);
    expect(xg.away).toBeCloseTo(rates.away, 1);
    expect(sum(m.p)).toBeCloseTo(1, 12);
    const neutral = dixonColesRates(fit.model, 0, 1, true);
    expect(rates.home / neutral.home).toBeCloseTo(Math.exp(fit.model.homeAdvantage), 12);
  });
});

describe('shrinkage and time decay', () => {
  // Only the last season, with team 19 promoted: it appears in its first five matches only.
  const lastSeason = (k: number) => k >= 3420;
  const keep: number[] = [];
  const seen = new Map<number, number>();
  for (let k = 0; k < LEAGUE.home.length; k++) {
    if (!lastSeason(k)) continue;
    const h = LEAGUE.home[k]!;
    const a = LEAGUE.away[k]!;
    if (h === 19 || a === 19) {
      const c = seen.get(19) ?? 0;
      if (c >= 5) continue;
      seen.set(19, c + 1);
    }
    keep.push(k);
  }
  const pick = <T extends Int32Array | Float64Array>(arr: T) => arr.filter((_, k) => keep.includes(k)) as T;
  const season: GoalsData = { home: pick(LEAGUE.home), away: pick(LEAGUE.away), homeGoals: pick(LEAGUE.homeGoals), awayGoals: pick(LEAGUE.awayGoals) };
  const promoted = Array.from({ length: TEAMS }, (_, t) => t === 19);

  it('a promoted team with no matches sits at the promoted-team prior', () => {
    const none = season.home.map((_, k) => k).filter((k) => season.home[k] !== 19 && season.away[k] !== 19);
    const data: GoalsData = {
      home: season.home.filter((_, k) => none.includes(k)),
      away: season.away.filter((_, k) => none.includes(k)),
      homeGoals: season.homeGoals.filter((_, k) => none.includes(k)),
      awayGoals: season.awayGoals.filter((_, k) => none.includes(k)),
    };
    const fit = fitDixonColes(data, { teams: TEAMS, xi: 0, promoted, promotedPrior: { attack: -0.3, defence: -0.25 } });
    expect(fit.diagnostics.converged).toBe(true);
    // With Σ attack = 0 the Lagrange condition gives τ(a₁₉ − a₀) = τ·mean(others): the team
    // sits exactly at its prior relative to the average of the others.
    const othersA = (sum(fit.model.attack) - fit.model.attack[19]!) / 19;
    const othersD = (sum(fit.model.defence) - fit.model.defence[19]!) / 19;
    expect(fit.model.attack[19]! - othersA).toBeCloseTo(-0.3, 4); // to the optimiser tolerance
    expect(fit.model.defence[19]! - othersD).toBeCloseTo(-0.25, 4);
  });

  it('a promoted team with five matches is pulled towards its prior, more so with a stronger prior', () => {
    const weak = fitDixonColes(season, { teams: TEAMS, xi: 0, priorPrecision: 0.01, promoted });
    const strong = fitDixonColes(season, { teams: TEAMS, xi: 0, priorPrecision: 20, promoted, promotedPrior: { attack: -0.4, defence: -0.4 } });
    expect(strong.diagnostics.converged).toBe(true);
    expect(Math.abs(strong.model.attack[19]! + 0.4)).toBeLessThan(Math.abs(weak.model.attack[19]! + 0.4));
    expect(Math.abs(strong.model.defence[19]! + 0.4)).toBeLessThan(Math.abs(weak.model.defence[19]! + 0.4));
  });

  it('time decay lets recent form dominate', () => {
    // Team 0 scores 0 in its old matches and 4 in its recent ones.
    const n = 400;
    const home = new Int32Array(n);
    const away = new Int32Array(n);
    const hg = new Int32Array(n);
    const ag = new Int32Array(n);
    const age = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      home[k] = k % 4;
      away[k] = ((k % 4) + 1 + (Math.floor(k / 4) % 3)) % 4; // offset 1..3: never the home team
      const recent = k >= n / 2;
      age[k] = recent ? (n - k) * 2 : 2000 + (n - k) * 2;
      hg[k] = home[k] === 0 ? (recent ? 4 : 0) : 1;
      ag[k] = away[k] === 0 ? (recent ? 4 : 0) : 1;
    }
    const data: GoalsData = { home, away, homeGoals: hg, awayGoals: ag, ageDays: age };
    const flat = fitDixonColes(data, { teams: 4, xi: 0 });
    const decayed = fitDixonColes(data, { teams: 4, xi: 0.005 });
    expect(decayed.model.attack[0]!).toBeGreaterThan(flat.model.attack[0]! + 0.3);
    expect(decayed.diagnostics.effectiveMatches).toBeLessThan(flat.diagnostics.effectiveMatches);
  });

  it('rejects look-ahead ages and bad indices', () => {
    const bad: GoalsData = { home: Int32Array.of(0), away: Int32Array.of(1), homeGoals: Int32Array.of(1), awayGoals: Int32Array.of(0), ageDays: Float64Array.of(-1) };
    expect(() => fitDixonColes(bad, { teams: 2 })).toThrow(/look-ahead/);
    expect(() => fitDixonColes({ ...bad, ageDays: undefined, away: Int32Array.of(0) }, { teams: 2 })).toThrow(/bad team indices/);
  });
});

describe('shotsBlendedTargets', () => {
  it('gives the goals back at blend 0 and blends with conversion × shots on target otherwise', () => {
    const goals = [2, 0, 1, 3];
    const sot = [6, 2, Number.NaN, 4];
    const w = [1, 1, 1, 0.5];
    const zero = shotsBlendedTargets(goals, sot, w, 0);
    expect(Array.from(zero.target)).toEqual(goals);
    // Conversion over matches with shots, weighted: (2 + 0 + 0.5·3) / (6 + 2 + 0.5·4) = 3.5 / 10.
    const { target, conversion } = shotsBlendedTargets(goals, sot, w, 0.5);
    expect(conversion).toBeCloseTo(0.35, 12);
    expect(target[0]).toBeCloseTo(0.5 * 2 + 0.5 * 0.35 * 6, 12);
    expect(target[1]).toBeCloseTo(0.5 * 0.35 * 2, 12);
    expect(target[2]).toBe(1); // no shot count: the goals stand
    // The weighted totals are kept: blending moves goals between matches, not in or out of the league.
    const total = (x: ArrayLike<number>) => [0, 1, 3].reduce((s, k) => s + w[k]! * x[k]!, 0);
    expect(total(target)).toBeCloseTo(total(goals), 12);
  });

  it('leaves the goals alone when no match has shots, and rejects a bad blend or ragged input', () => {
    const none = shotsBlendedTargets([1, 2], [Number.NaN, Number.NaN], [1, 1], 0.3);
    expect(none.conversion).toBeNull();
    expect(Array.from(none.target)).toEqual([1, 2]);
    expect(() => shotsBlendedTargets([1], [3], [1], 1.5)).toThrow(/\[0, 1\]/);
    expect(() => shotsBlendedTargets([1], [3], [1], Number.NaN)).toThrow(/\[0, 1\]/);
    expect(() => shotsBlendedTargets([1, 2], [3], [1, 1], 0.2)).toThrow(/one entry per match/);
  });
});

describe('Dixon-Coles fitted to blended targets', () => {
  it('has a matching gradient with real-valued targets, and targets equal to the goals change nothing', () => {
    const r = seededRandom(21);
    const homeTarget = Float64Array.from(LEAGUE.homeGoals, (g) => Math.max(0, g + 0.5 * r.normal()));
    const awayTarget = Float64Array.from(LEAGUE.awayGoals, (g) => Math.max(0, g + 0.5 * r.normal()));
    const f = dixonColesNegLogLikelihood({ ...LEAGUE, homeTarget, awayTarget }, matchWeights(LEAGUE, 0), TEAMS);
    const x = new Float64Array(layout(TEAMS).size);
    for (let i = 0; i < x.length; i++) x[i] = 0.2 * r.normal();
    x[layout(TEAMS).extra] = -0.05;
    expect(gradientCheck(f, x, 1e-5)).toBeLessThan(1e-6);

    const plain = fitDixonColes(LEAGUE, { teams: TEAMS, xi: 0, priorPrecision: 0 });
    const same = fitDixonColes(
      { ...LEAGUE, homeTarget: Float64Array.from(LEAGUE.homeGoals), awayTarget: Float64Array.from(LEAGUE.awayGoals) },
      { teams: TEAMS, xi: 0, priorPrecision: 0 },
    );
    expect(Array.from(same.model.attack)).toEqual(Array.from(plain.model.attack));
    expect(same.model.rho).toBe(plain.model.rho);
  });

  it('recovers team strengths better from a less noisy target than from the goals alone', () => {
    // One season: the goals are noisy. A target that carries the true scoring rates half-way
    // (as shots on target carry real information about chances) must bring the fit closer to the truth.
    const season = simulateDixonColesLeague(TRUTH, { seasons: 1, seed: 7 });
    const truthRates = (k: number) => dixonColesRates({ ...TRUTH, teams: TEAMS, xi: 0 }, season.home[k]!, season.away[k]!);
    const homeTarget = Float64Array.from(season.homeGoals, (g, k) => 0.5 * g + 0.5 * truthRates(k).home);
    const awayTarget = Float64Array.from(season.awayGoals, (g, k) => 0.5 * g + 0.5 * truthRates(k).away);
    const rmse = (m: { attack: Float64Array; defence: Float64Array }) => {
      let ss = 0;
      for (let t = 0; t < TEAMS; t++) ss += (m.attack[t]! - TRUTH.attack[t]!) ** 2 + (m.defence[t]! - TRUTH.defence[t]!) ** 2;
      return Math.sqrt(ss / (2 * TEAMS));
    };
    const goalsOnly = fitDixonColes(season, { teams: TEAMS, xi: 0, priorPrecision: 0 });
    const blended = fitDixonColes({ ...season, homeTarget, awayTarget }, { teams: TEAMS, xi: 0, priorPrecision: 0 });
    expect(blended.diagnostics.converged).toBe(true);
    expect(rmse(blended.model)).toBeLessThan(0.8 * rmse(goalsOnly.model));
  });

  it('rejects a negative or missing target value', () => {
    const bad = { ...LEAGUE, homeTarget: Float64Array.from(LEAGUE.homeGoals, (g, k) => (k === 5 ? -1 : g)) };
    expect(() => fitDixonColes(bad, { teams: TEAMS })).toThrow(/match 5: homeTarget/);
    const short = { ...LEAGUE, awayTarget: new Float64Array(3) };
    expect(() => fitDixonColes(short, { teams: TEAMS })).toThrow(/awayTarget has 3 entries/);
  });
});
