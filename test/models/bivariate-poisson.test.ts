import { describe, expect, it } from 'vitest';
import {
  bivariatePoissonMatrix,
  bivariatePoissonObjective,
  bivariatePoissonScoreMatrix,
  bivariateSeries,
  fitBivariatePoisson,
} from '../../src/models/bivariate-poisson.js';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import { layout, matchWeights } from '../../src/models/goals-data.js';
import { at, expectedGoals } from '../../src/models/markets.js';
import { gradientCheck } from '../../src/models/optimize.js';
import { seededRandom } from '../../src/models/random.js';
import { randomStrengths, simulateScoreLeague } from '../../src/models/simulate-league.js';

const TEAMS = 18;
const S = randomStrengths(TEAMS, 0.25, seededRandom(21));
const TRUTH = { intercept: 0.05, homeAdvantage: 0.3, lambda3: 0.15 };
const rate1 = (h: number, a: number) => Math.exp(TRUTH.intercept + TRUTH.homeAdvantage + S.attack[h]! - S.defence[a]!);
const rate2 = (h: number, a: number) => Math.exp(TRUTH.intercept + S.attack[a]! - S.defence[h]!);
const LEAGUE = simulateScoreLeague(TEAMS, (h, a) => bivariatePoissonMatrix(rate1(h, a), rate2(h, a), TRUTH.lambda3, 15), {
  seasons: 12,
  seed: 77,
});

describe('bivariate Poisson probabilities', () => {
  it('match the closed form on small scores', () => {
    const [l1, l2, l3] = [1.3, 0.9, 0.2];
    const m = bivariatePoissonMatrix(l1, l2, l3, 25); // truncation mass < 1e-20
    const e = Math.exp(-(l1 + l2 + l3));
    expect(at(m, 0, 0)).toBeCloseTo(e, 12);
    expect(at(m, 1, 0)).toBeCloseTo(e * l1, 12);
    // P(1,1) = e^−Λ (λ1 λ2 + λ3): both goals independent, or one shared goal.
    expect(at(m, 1, 1)).toBeCloseTo(e * (l1 * l2 + l3), 12);
    // P(2,1) = e^−Λ (λ1² λ2 / 2 + λ1 λ3).
    expect(at(m, 2, 1)).toBeCloseTo(e * ((l1 * l1 * l2) / 2 + l1 * l3), 12);
    // Marginal means are λ1 + λ3 and λ2 + λ3.
    const xg = expectedGoals(m);
    expect(xg.home).toBeCloseTo(l1 + l3, 9);
    expect(xg.away).toBeCloseTo(l2 + l3, 9);
  });

  it('reduce to independent Poisson (Dixon-Coles with ρ = 0) when λ3 = 0', () => {
    const a = bivariatePoissonMatrix(1.4, 1.1, 0, 10);
    const b = dixonColesMatrix(1.4, 1.1, 0, 10);
    for (let i = 0; i < a.p.length; i++) expect(a.p[i]).toBeCloseTo(b.p[i]!, 14);
  });

  it('bivariateSeries returns log S and E[k] of the shared component', () => {
    // x = y = 1: S = 1 + r, E[k] = r / (1 + r).
    const r = 0.3;
    const s = bivariateSeries(1, 1, r);
    expect(s.logS).toBeCloseTo(Math.log(1 + r), 14);
    expect(s.meanK).toBeCloseTo(r / (1 + r), 14);
  });
});

describe('fitBivariatePoisson', () => {
  it('has an analytic gradient that matches finite differences', () => {
    const f = bivariatePoissonObjective(LEAGUE, matchWeights(LEAGUE, 0), TEAMS);
    const x = new Float64Array(layout(TEAMS).size);
    const r = seededRandom(4);
    for (let i = 0; i < x.length; i++) x[i] = 0.2 * r.normal();
    x[layout(TEAMS).extra] = Math.log(0.2);
    expect(gradientCheck(f, x, 1e-5)).toBeLessThan(1e-6);
  });

  it('recovers the simulated strengths, home advantage and λ3', () => {
    const { model, diagnostics } = fitBivariatePoisson(LEAGUE, { teams: TEAMS, xi: 0, priorPrecision: 0 });
    expect(diagnostics.converged).toBe(true);
    let ss = 0;
    for (let t = 0; t < TEAMS; t++) ss += (model.attack[t]! - S.attack[t]!) ** 2 + (model.defence[t]! - S.defence[t]!) ** 2;
    expect(Math.sqrt(ss / (2 * TEAMS))).toBeLessThan(0.1);
    expect(Math.abs(model.homeAdvantage - TRUTH.homeAdvantage)).toBeLessThan(0.06);
    expect(Math.abs(model.lambda3 - TRUTH.lambda3)).toBeLessThan(0.07);
    const m = bivariatePoissonScoreMatrix(model, 0, 1);
    expect(m.p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});
