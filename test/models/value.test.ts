// Pricing one bet: hand-computed values.
import { describe, expect, it } from 'vitest';
import { expectedReturn, kellyForSettlement, priceBet, riskLevelOf, winEquivalent } from '../../src/models/value.js';

const binary = (p: number) => ({ win: p, halfWin: 0, push: 0, halfLoss: 0, loss: 1 - p });

describe('priceBet', () => {
  it('a plain bet: EV p·o − 1, Kelly (p·o − 1)/(o − 1), edge over the de-margined price', () => {
    const b = priceBet(binary(0.55), [1.9, 1.9], 0, { kellyMultiplier: 0.25, maxStake: 1, method: 'multiplicative' });
    expect(b.marketProbability).toBeCloseTo(0.5, 12);
    expect(b.modelProbability).toBeCloseTo(0.55, 12);
    expect(b.edge).toBeCloseTo(0.05, 12);
    expect(b.expectedValue).toBeCloseTo(0.55 * 1.9 - 1, 12);
    expect(b.kellyFull).toBeCloseTo((0.55 * 1.9 - 1) / 0.9, 8);
    expect(b.kellyFraction).toBeCloseTo((0.25 * (0.55 * 1.9 - 1)) / 0.9, 8);
    expect(b.overround).toBeCloseTo(2 / 1.9 - 1, 12);
    // σ = 0.04·2·√(.55·.45); confidence = Φ(0.05/σ) ≈ Φ(1.2563) ≈ 0.8955
    expect(b.mlConfidence).toBeCloseTo(89.55, 1);
    expect(b.returnSd).toBeCloseTo(1.9 * Math.sqrt(0.55 * 0.45), 10);
  });

  it('no edge: no stake, confidence 50 or below', () => {
    const b = priceBet(binary(0.45), [2, 2], 0, { method: 'multiplicative' });
    expect(b.kellyFull).toBe(0);
    expect(b.kellyFraction).toBe(0);
    expect(b.mlConfidence).toBeLessThan(50);
  });

  it('the stake cap binds', () => {
    const b = priceBet(binary(0.7), [2, 2], 0, { kellyMultiplier: 1, maxStake: 0.05 });
    expect(b.kellyFull).toBeCloseTo(0.4, 8);
    expect(b.kellyFraction).toBe(0.05);
  });

  it('a whole line that can push: EV counts the refund, q is the win share of decided bets', () => {
    const s = { win: 0.45, halfWin: 0, push: 0.1, halfLoss: 0, loss: 0.45 };
    expect(expectedReturn(s, 2.1)).toBeCloseTo(0.45 * 1.1 - 0.45, 12);
    expect(winEquivalent(s)).toBeCloseTo(0.5, 12);
    // Kelly conditional on a decision: (0.5·2.1 − 1)/1.1
    expect(kellyForSettlement(s, 2.1)).toBeCloseTo((0.5 * 2.1 - 1) / 1.1, 6);
  });

  it('a quarter line: half-wins and half-losses settle at half the stake', () => {
    const s = { win: 0.4, halfWin: 0.2, push: 0, halfLoss: 0.1, loss: 0.3 };
    expect(expectedReturn(s, 2)).toBeCloseTo(0.4 + 0.1 - 0.05 - 0.3, 12);
  });

  it('refuses prices that are not decimal odds', () => {
    expect(() => priceBet(binary(0.5), [1, 2], 0)).toThrow(RangeError);
    expect(() => priceBet(binary(0.5), [2], 0)).toThrow(RangeError);
  });

  it('risk levels by threshold', () => {
    expect([riskLevelOf(0.1), riskLevelOf(0.4), riskLevelOf(0.7)]).toEqual(['LOW', 'MEDIUM', 'HIGH']);
  });
});
