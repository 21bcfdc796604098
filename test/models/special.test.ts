import { describe, expect, it } from 'vitest';
import { log1pExp, logFactorial, logSumExp, normalCdf, poissonPmf, sigmoid, softmaxInto } from '../../src/models/special.js';

describe('numerical building blocks', () => {
  it('normalCdf matches tabulated values to double precision', () => {
    // Reference values of Φ computed with 30-digit arithmetic.
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 15);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 15);
    expect(normalCdf(2.5)).toBeCloseTo(0.993790334674223, 14);
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 6); // relative accuracy in the far tail
    expect(normalCdf(40)).toBe(1);
  });

  it('logSumExp and softmax do not overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logSumExp([])).toBe(-Infinity);
    const p = softmaxInto([1000, 1000 + Math.log(3)], new Float64Array(2));
    expect(p[0]).toBeCloseTo(0.25, 12); // 1000 + log 3 itself carries ~1e-13 rounding
    expect(p[1]).toBeCloseTo(0.75, 12);
  });

  it('sigmoid and log1pExp are stable at the extremes', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(-800)).toBe(0);
    expect(log1pExp(0)).toBeCloseTo(Math.LN2, 15);
  });

  it('logFactorial is exact in the table and accurate beyond it', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 13);
    // log(300!) = 1414.905849945...
    expect(logFactorial(300)).toBeCloseTo(1414.9058499450678, 9);
    let direct = 0;
    for (let k = 2; k <= 256; k++) direct += Math.log(k);
    expect(logFactorial(256)).toBeCloseTo(direct, 9);
  });

  it('poissonPmf gives exact probabilities and survives large means', () => {
    const p = poissonPmf(2.5, 4);
    expect(p[0]).toBeCloseTo(Math.exp(-2.5), 15);
    expect(p[3]).toBeCloseTo((Math.exp(-2.5) * 2.5 ** 3) / 6, 15);
    const big = poissonPmf(900, 1200);
    expect(big.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(poissonPmf(0, 3)).toEqual(Float64Array.from([1, 0, 0, 0]));
    expect(() => poissonPmf(-1, 3)).toThrow(RangeError);
  });
});
