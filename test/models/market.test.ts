import { describe, expect, it } from 'vitest';
import { fairOdds, MARGIN_METHODS, overround, removeMargin } from '../../src/models/market.js';

function expectProbabilities(actual: Float64Array, expected: number[], digits: number): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual[i], `outcome ${i}`).toBeCloseTo(v, digits));
}

describe("Shin's method against published worked examples", () => {
  it('reproduces the `shin` package example (odds 2.6, 2.4, 4.3) including z', () => {
    // Published in the README of github.com/mberk/shin (Jullien & Salanié iteration):
    // probabilities 0.37299406033208965, 0.4047794109200184, 0.2222265287474275; z = 0.01694251276407055.
    const r = removeMargin([2.6, 2.4, 4.3], 'shin');
    expectProbabilities(r.probabilities, [0.37299406033208965, 0.4047794109200184, 0.2222265287474275], 9);
    expect(r.parameter).toBeCloseTo(0.01694251276407055, 9);
  });

  it('reproduces the CRAN `implied` package README (three football matches)', () => {
    // implied_probabilities(my_odds, method = 'shin'): probabilities and zvalues as printed (7 digits).
    const cases: [number[], number[], number][] = [
      [[4.2, 3.7, 1.95], [0.2315716, 0.2635742, 0.5048542], 0.01061048],
      [[2.45, 3.7, 2.9], [0.4000221, 0.2629271, 0.3370508], 0.01163552],
      [[2.05, 3.2, 3.8], [0.4645882, 0.2919788, 0.2434331], 0.03182353],
    ];
    for (const [odds, probs, z] of cases) {
      const r = removeMargin(odds, 'shin');
      // The package's iteration stops at a looser tolerance than our root solve: agree to 1e-5.
      r.probabilities.forEach((p, i) => expect(Math.abs(p - probs[i]!)).toBeLessThan(1e-5));
      expect(Math.abs(r.parameter! - z)).toBeLessThan(2e-5);
    }
  });

  it('for two outcomes equals the additive method', () => {
    const shin = removeMargin([1.8, 2.1], 'shin').probabilities;
    const additive = removeMargin([1.8, 2.1], 'additive').probabilities;
    expectProbabilities(shin, Array.from(additive), 10);
  });
});

describe('the other de-margining methods against the `implied` README', () => {
  const odds = [4.2, 3.7, 1.95];

  it('multiplicative (basic) and the overround', () => {
    const r = removeMargin(odds, 'multiplicative');
    expectProbabilities(r.probabilities, [0.2331556, 0.2646631, 0.5021813], 7);
    expect(r.overround).toBeCloseTo(0.02118602, 8);
    expect(overround(odds)).toBeCloseTo(0.02118602, 8);
  });

  it('odds ratio: probabilities and c = 1.034449', () => {
    const r = removeMargin(odds, 'odds-ratio');
    r.probabilities.forEach((p, i) => expect(Math.abs(p - [0.2320048, 0.2636415, 0.5043537][i]!)).toBeLessThan(1e-5));
    expect(Math.abs(r.parameter! - 1.034449)).toBeLessThan(2e-5);
  });

  it('power: probabilities and exponent 1/n with n = 0.9797664', () => {
    const r = removeMargin(odds, 'power');
    r.probabilities.forEach((p, i) => expect(Math.abs(p - [0.2311414, 0.2630644, 0.5057942][i]!)).toBeLessThan(1e-5));
    expect(Math.abs(1 / r.parameter! - 0.9797664)).toBeLessThan(2e-5);
  });

  it('additive subtracts the same amount from every outcome', () => {
    const r = removeMargin(odds, 'additive');
    const shift = 0.02118602 / 3;
    expectProbabilities(r.probabilities, [1 / 4.2 - shift, 1 / 3.7 - shift, 1 / 1.95 - shift], 7);
  });
});

describe('removeMargin invariants', () => {
  it('every method returns a distribution that favours the favourite', () => {
    for (const method of MARGIN_METHODS) {
      for (const odds of [[1.5, 4.0, 7.0], [2.6, 2.4, 4.3], [1.91, 1.91], [1.05, 12, 30]]) {
        const p = removeMargin(odds, method).probabilities;
        expect(p.reduce((a, b) => a + b, 0), method).toBeCloseTo(1, 12);
        for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
        const fav = odds.indexOf(Math.min(...odds));
        expect(p[fav]).toBe(Math.max(...p));
      }
    }
  });

  it('Shin, power and odds-ratio shade longshots more than multiplicative', () => {
    const odds = [1.3, 5.5, 12];
    const basic = removeMargin(odds, 'multiplicative').probabilities;
    for (const method of ['shin', 'power', 'odds-ratio'] as const) {
      const p = removeMargin(odds, method).probabilities;
      expect(p[2], method).toBeLessThan(basic[2]!);
      expect(p[0], method).toBeGreaterThan(basic[0]!);
    }
  });

  it('additive never returns a negative probability for an extreme longshot', () => {
    // 1/1.1 + 1/5 + 1/9 + 1/60 = 1.237: an equal shift of 0.059 would push the 60.0 shot
    // (0.0167) below zero, so it is set to 0 and the others share the whole margin.
    const p = removeMargin([1.1, 5, 9, 60], 'additive').probabilities;
    expect(p[3]).toBe(0);
    const shift = (1 / 1.1 + 1 / 5 + 1 / 9 - 1) / 3;
    expect(p[0]).toBeCloseTo(1 / 1.1 - shift, 12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('a book without overround is only normalised', () => {
    const r = removeMargin([2, 4, 4], 'shin');
    expectProbabilities(r.probabilities, [0.5, 0.25, 0.25], 14);
    expect(r.parameter).toBe(0);
    expect(Array.from(fairOdds(r.probabilities))).toEqual([2, 4, 4]);
  });

  it('rejects odds that are not decimal odds above 1', () => {
    expect(() => removeMargin([1, 3], 'shin')).toThrow(RangeError);
    expect(() => removeMargin([2], 'power')).toThrow(/two outcomes/);
  });
});
