import { describe, expect, it } from 'vitest';
import { gammaP, gammaQuantile, logGamma, negBinOver, negBinPmf, negBinZero } from '../../src/models/props/gamma.js';
import {
  expectedMinutes,
  hierarchicalPosterior,
  independentJoint,
  minutesScenarios,
  opponentFactor,
  posteriorMean,
  propProbability,
} from '../../src/models/props/tier1.js';

describe('Gamma–Poisson arithmetic', () => {
  it('logGamma and the incomplete gamma match known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    // Shape 1 is the exponential distribution: P(1, x) = 1 − e^{−x}.
    expect(gammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(gammaP(1, 0.3)).toBeCloseTo(1 - Math.exp(-0.3), 12);
    // Shape 2: P(2, x) = 1 − e^{−x}(1 + x), on both branches (series and continued fraction).
    expect(gammaP(2, 1)).toBeCloseTo(1 - 2 * Math.exp(-1), 12);
    expect(gammaP(2, 6)).toBeCloseTo(1 - 7 * Math.exp(-6), 12);
  });

  it('gammaQuantile inverts the CDF and divides by the rate', () => {
    expect(gammaQuantile(0.5, 1, 1)).toBeCloseTo(Math.LN2, 10);
    expect(gammaQuantile(0.5, 1, 4)).toBeCloseTo(Math.LN2 / 4, 10);
    const q = gammaQuantile(0.9, 3.7, 2);
    expect(gammaP(3.7, q * 2)).toBeCloseTo(0.9, 10);
  });

  it('negative binomial predictive: hand-computed shape 2, rate 3, one 90', () => {
    const post = { shape: 2, rate: 3 };
    expect(negBinZero(post, 1)).toBeCloseTo(0.5625, 12); // (3/4)²
    expect(negBinPmf(post, 1, 1)).toBeCloseTo(0.28125, 12); // 2·(3/4)²·(1/4)
    expect(negBinOver(post, 1, 1.5)).toBeCloseTo(0.15625, 12);
    let total = 0;
    for (let k = 0; k < 60; k++) total += negBinPmf(post, 1, k);
    expect(total).toBeCloseTo(1, 10);
    expect(negBinZero(post, 0)).toBe(1);
  });
});

describe('tier1 props', () => {
  it('shrinks hierarchically: position → position in team → player', () => {
    const post = hierarchicalPosterior(
      { count: 2, exposure90: 4 },
      { count: 3, exposure90: 10 },
      { count: 20, exposure90: 100 },
      { playerStrength: 10, teamStrength: 30 },
    );
    // m_pos = 0.2; m_pt = (30·0.2 + 3)/(30 + 10) = 0.225; shape = 10·0.225 + 2; rate = 10 + 4.
    expect(post.shape).toBeCloseTo(4.25, 12);
    expect(post.rate).toBeCloseTo(14, 12);
    expect(posteriorMean(post)).toBeCloseTo(4.25 / 14, 12);
  });

  it('a player without history gets his position-in-team rate; a long record dominates', () => {
    const pos = { count: 20, exposure90: 100 };
    const empty = hierarchicalPosterior({ count: 0, exposure90: 0 }, { count: 0, exposure90: 0 }, pos);
    expect(posteriorMean(empty)).toBeCloseTo(0.2, 12);
    const veteran = hierarchicalPosterior({ count: 300, exposure90: 500 }, { count: 0, exposure90: 0 }, pos);
    expect(posteriorMean(veteran)).toBeGreaterThan(0.58);
  });

  it('minutes scenarios come from recent appearances padded with the fallback', () => {
    const s = minutesScenarios([90, 0, 45], 3, 60);
    expect(s).toEqual([
      { minutes: 90, weight: 1 / 3 },
      { minutes: 45, weight: 1 / 3 },
      { minutes: 60, weight: 1 / 3 },
    ]);
    expect(expectedMinutes(s)).toBeCloseTo(65, 12);
    expect(minutesScenarios([90, 90, 90, 90], 3)).toHaveLength(3);
  });

  it('opponent factor is the ratio of expected team goals', () => {
    expect(opponentFactor(1.8, 1.2)).toBeCloseTo(1.5, 12);
    expect(opponentFactor(1.8, 1.2, 0.5)).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(() => opponentFactor(0, 1)).toThrow(RangeError);
  });

  it('anytime probability, uncertainty and interval: hand-computed', () => {
    const p = propProbability({ shape: 2, rate: 3 }, [{ minutes: 90, weight: 1 }]);
    expect(p.probability).toBeCloseTo(0.4375, 12);
    // Var = E[e^{−2λ}] − E[e^{−λ}]² = (3/5)² − (3/4)⁴.
    expect(p.uncertainty).toBeCloseTo(Math.sqrt(0.36 - 0.31640625), 12);
    expect(p.expected).toBeCloseTo(2 / 3, 12);
    // Exponential posterior (shape 1, rate 1): P(λ ≤ q) = 1 − e^{−q} = p(q), so the 90%
    // interval of p is exactly [0.05, 0.95].
    const e = propProbability({ shape: 1, rate: 1 }, [{ minutes: 90, weight: 1 }], { level: 0.9 });
    expect(e.lower).toBeCloseTo(0.05, 8);
    expect(e.upper).toBeCloseTo(0.95, 8);
    expect(e.probability).toBeCloseTo(0.5, 12);
  });

  it('averages over minutes and applies the opponent factor', () => {
    const post = { shape: 2, rate: 3 };
    const mixed = propProbability(post, [
      { minutes: 90, weight: 0.5 },
      { minutes: 45, weight: 0.5 },
    ]);
    expect(mixed.probability).toBeCloseTo(0.5 * 0.4375 + 0.5 * (1 - (3 / 3.5) ** 2), 12);
    const doubled = propProbability(post, [{ minutes: 45, weight: 1 }], { factor: 2 });
    expect(doubled.probability).toBeCloseTo(0.4375, 12);
    const over = propProbability(post, [{ minutes: 90, weight: 1 }], { line: 1.5 });
    expect(over.probability).toBeCloseTo(0.15625, 12);
    expect(over.lower).toBeLessThan(over.probability);
    expect(over.upper).toBeGreaterThan(over.probability);
  });

  it('joint of independent legs is the product', () => {
    expect(independentJoint([0.5, 0.4, 0.25])).toBeCloseTo(0.05, 15);
    expect(independentJoint([])).toBe(1);
    expect(() => independentJoint([1.2])).toThrow(RangeError);
  });
});
