import { describe, expect, it } from 'vitest';
import { edge, expectedValue, fairOdds, fractionalKelly, impliedProbability, kellyFraction } from '../../src/models/staking.js';
import { blend, fitBlend, fitPlatt, IDENTITY_BLEND } from '../../src/models/props/ensemble.js';

describe('staking', () => {
  it('edge, EV and Kelly: hand-computed at p = 0.5, odds 2.2', () => {
    expect(edge(0.5, 2.2)).toBeCloseTo(0.1, 12);
    expect(expectedValue(0.5, 2.2, 10)).toBeCloseTo(1, 12);
    expect(kellyFraction(0.5, 2.2)).toBeCloseTo(0.1 / 1.2, 12);
    expect(fractionalKelly(0.5, 2.2, 0.25)).toBeCloseTo(0.025 / 1.2, 12);
    expect(fractionalKelly(0.9, 10, 1, 0.05)).toBe(0.05);
    expect(impliedProbability(4)).toBe(0.25);
    expect(fairOdds(0.25)).toBe(4);
  });

  it('negative or zero edge stakes nothing', () => {
    expect(edge(0.4, 2.2)).toBeCloseTo(-0.12, 12);
    expect(expectedValue(0.4, 2.2, 5)).toBeCloseTo(-0.6, 12);
    expect(kellyFraction(0.4, 2.2)).toBe(0);
    expect(fractionalKelly(0.4, 2.2, 0.5)).toBe(0);
    expect(kellyFraction(0.5, 2)).toBe(0);
  });

  it('rejects impossible inputs', () => {
    expect(() => edge(1.1, 2)).toThrow(RangeError);
    expect(() => edge(0.5, 1)).toThrow(RangeError);
    expect(() => fractionalKelly(0.5, 2.2, 2)).toThrow(RangeError);
  });
});

describe('props ensemble', () => {
  it('Platt scaling recovers an exactly fitting logistic curve', () => {
    // x = 0: 1 of 2 hits (0.5); x = 1: 3 of 4 (0.75) → a = 0, b = logit(0.75) = ln 3.
    const fit = fitPlatt([0, 0, 1, 1, 1, 1], [1, 0, 1, 1, 1, 0]);
    expect(fit.a).toBeCloseTo(0, 8);
    expect(fit.b).toBeCloseTo(Math.log(3), 8);
  });

  it('the identity blend of equal inputs returns them', () => {
    expect(blend(IDENTITY_BLEND, 0.3, 0.3)).toBeCloseTo(0.3, 10);
  });

  it('weights the informative model', () => {
    const p1: number[] = [];
    const p2: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const hit = i % 4 === 0 ? 1 : 0;
      // tier1 knows the outcome most of the time; tier2 is noise independent of it.
      p1.push(hit ? (i % 8 === 0 ? 0.6 : 0.3) : i % 5 === 0 ? 0.3 : 0.1);
      p2.push(i % 3 === 0 ? 0.6 : 0.1);
      y.push(hit);
    }
    const w = fitBlend(p1, p2, y);
    expect(w.w).toBe(1);
    expect(() => fitBlend([0.1], [], [1])).toThrow(RangeError);
  });
});
