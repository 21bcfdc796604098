// Settling a value-betting strategy: hand-made sequences.
import { describe, expect, it } from 'vitest';
import { settleBacktest } from '../../src/models/backtest.js';

describe('settleBacktest', () => {
  it('stakes a fraction of the bankroll at the start of each day and settles the day together', () => {
    const r = settleBacktest(
      [
        { date: '2020-01-02', bets: [{ stakeFraction: 0.1, odds: 2, won: false, closingOdds: 2.2 }] },
        { date: '2020-01-01', bets: [{ stakeFraction: 0.1, odds: 3, won: true, closingOdds: 2.5 }, { stakeFraction: 0.1, odds: 2, won: false, closingOdds: null }] },
      ],
      { bankroll: 100, resamples: 200 },
    );
    // Day 1 (sorted first): stakes 10 + 10 → +20 − 10 = +10 → 110. Day 2: stake 11 lost → 99.
    expect(r.kelly.final).toBeCloseTo(99, 10);
    expect(r.kelly.turnover).toBeCloseTo(31, 10);
    expect(r.kelly.profit).toBeCloseTo(-1, 10);
    expect(r.kelly.roi).toBeCloseTo(-1 / 31, 10);
    expect(r.kelly.maxDrawdown).toBeCloseTo(11 / 110, 10);
    // Flat: +2 −1 −1 = 0 over 3 units; drawdown 1 unit from the peak of +2... then 0.
    expect(r.flat).toMatchObject({ bets: 3, turnover: 3, profit: 0, roi: 0 });
    expect(r.flat.maxDrawdown).toBe(1);
    expect(r.days).toBe(2);
    // Closing-line value over the two bets with a closing price: 3 > 2.5 beat it, 2 < 2.2 did not.
    expect(r.clv.bets).toBe(2);
    expect(r.clv.beatClosing).toBe(0.5);
    expect(r.clv.meanLogRatio).toBeCloseTo((Math.log(3 / 2.5) + Math.log(2 / 2.2)) / 2, 12);
  });

  it('caps a day’s total stake, and its interval brackets the ROI', () => {
    const days = Array.from({ length: 40 }, (_, i) => ({ date: `2020-02-${String(i + 1).padStart(2, '0')}`, bets: [{ stakeFraction: 0.4, odds: 2, won: i % 2 === 0, closingOdds: null }, { stakeFraction: 0.4, odds: 2, won: i % 3 === 0, closingOdds: null }] }));
    const r = settleBacktest(days, { maxDayStake: 0.5, resamples: 500 });
    expect(r.kelly.turnover).toBeGreaterThan(0);
    const [lo, hi] = r.flat.roiInterval;
    expect(lo).toBeLessThanOrEqual(r.flat.roi);
    expect(hi).toBeGreaterThanOrEqual(r.flat.roi);
    // Each day stakes at most half the bankroll, so one day can lose at most half.
    const one = settleBacktest([{ date: 'd', bets: [{ stakeFraction: 0.4, odds: 2, won: false, closingOdds: null }, { stakeFraction: 0.4, odds: 2, won: false, closingOdds: null }] }], { maxDayStake: 0.5 });
    expect(one.kelly.final).toBeCloseTo(0.5, 12);
  });

  it('refuses prices that are not decimal odds', () => {
    expect(() => settleBacktest([{ date: 'd', bets: [{ stakeFraction: 0.1, odds: 1, won: true, closingOdds: null }] }])).toThrow(RangeError);
  });
});
