// The lineup optimiser against hand-solved Kelly cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimiseLineup, type LineupGroup, type LineupOptions } from '../../src/models/lineup.js';

const loose: LineupOptions = { size: 10, maxTotalStake: 1, maxStakePerMatch: 1, maxBetsPerMatch: 5, kellyMultiplier: 1 };

/** One match, one binary bet at decimal odds o won with probability p. */
function single(key: string, p: number, o: number, confidence = 60, risk = 0.3): LineupGroup {
  return { key, sport: 'soccer', legs: [{ id: `${key}-bet`, confidence, risk }], scenarios: [{ p, returns: [o - 1] }, { p: 1 - p, returns: [-1] }] };
}

describe('optimiseLineup', () => {
  it('one bet: the Kelly fraction (p·o − 1)/(o − 1)', () => {
    const r = optimiseLineup([single('m1', 0.6, 2)], loose);
    expect(r.legs).toHaveLength(1);
    expect(r.legs[0]!.stake).toBeCloseTo(0.2, 5);
    // E[log W] = 0.6 log 1.2 + 0.4 log 0.8
    expect(r.expectedLogGrowth).toBeCloseTo(0.6 * Math.log(1.2) + 0.4 * Math.log(0.8), 8);
  });

  it('two independent bets: the simultaneous optimum, smaller than each alone', () => {
    // Symmetric: maximise .36 log(1+2f) + .16 log(1−2f) → f = 0.4 / 2.08.
    const r = optimiseLineup([single('m1', 0.6, 2), single('m2', 0.6, 2)], loose);
    expect(r.legs.map((l) => l.id)).toEqual(['m1-bet', 'm2-bet']);
    for (const l of r.legs) expect(l.stake).toBeCloseTo(0.4 / 2.08, 4);
    expect(r.method).toBe('exact');
    expect(r.diversificationScore).toBeCloseTo(0.5, 6);
  });

  it('mutually exclusive outcomes of one match: the closed form f_i = p_i − R/o_i', () => {
    // p = (.5, .3, .2) at odds (2.3, 3.6, 3.0): bet home and draw, R = .2 / (1 − 1/2.3 − 1/3.6).
    const group: LineupGroup = {
      key: 'm1',
      sport: 'soccer',
      legs: [
        { id: 'home', confidence: 70, risk: 0.3 },
        { id: 'draw', confidence: 65, risk: 0.4 },
        { id: 'away', confidence: 20, risk: 0.6 },
      ],
      scenarios: [
        { p: 0.5, returns: [1.3, -1, -1] },
        { p: 0.3, returns: [-1, 2.6, -1] },
        { p: 0.2, returns: [-1, -1, 2.0] },
      ],
    };
    const R = 0.2 / (1 - 1 / 2.3 - 1 / 3.6);
    const r = optimiseLineup([group], loose);
    const stake = Object.fromEntries(r.legs.map((l) => [l.id, l.stake]));
    expect(Object.keys(stake).sort()).toEqual(['draw', 'home']);
    expect(stake.home).toBeCloseTo(0.5 - R / 2.3, 4);
    expect(stake.draw).toBeCloseTo(0.3 - R / 3.6, 4);
  });

  it('the total-stake cap binds: stakes sum to the cap, split by symmetry', () => {
    const r = optimiseLineup([single('m1', 0.6, 2), single('m2', 0.6, 2)], { ...loose, maxTotalStake: 0.2 });
    expect(r.totalStake).toBeCloseTo(0.2, 6);
    for (const l of r.legs) expect(l.stake).toBeCloseTo(0.1, 4);
  });

  it('the per-match cap binds and fractional Kelly scales the full-Kelly stakes', () => {
    const r = optimiseLineup([single('m1', 0.6, 2)], { ...loose, maxStakePerMatch: 0.05, kellyMultiplier: 0.5 });
    expect(r.legs[0]!.fullKellyStake).toBeCloseTo(0.05, 6);
    expect(r.legs[0]!.stake).toBeCloseTo(0.025, 6);
  });

  it('a negative-EV bet gets no stake; the size and bets-per-match caps hold', () => {
    expect(optimiseLineup([single('m1', 0.4, 2)], loose).legs).toHaveLength(0);
    const many = Array.from({ length: 6 }, (_, i) => single(`m${i}`, 0.55 + i * 0.01, 2));
    const r = optimiseLineup(many, { ...loose, size: 3 });
    expect(r.legs).toHaveLength(3);
    // The three best edges are picked.
    expect(r.legs.map((l) => l.id).sort()).toEqual(['m3-bet', 'm4-bet', 'm5-bet']);
    const perSport = optimiseLineup(many, { ...loose, maxBetsPerSport: 2 });
    expect(perSport.legs).toHaveLength(2);
  });

  it('is deterministic and switches to seeded sampling past the exact limit', () => {
    const many = Array.from({ length: 8 }, (_, i) => single(`m${i}`, 0.56 + (i % 3) * 0.01, 2));
    const a = optimiseLineup(many, { ...loose, exactLimit: 16, samples: 2000 });
    const b = optimiseLineup([...many].reverse(), { ...loose, exactLimit: 16, samples: 2000 });
    expect(a.method).toBe('sampled');
    expect(a.monteCarloError).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('property: stakes are non-negative, caps hold, growth is at least that of no bet', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: fc.double({ min: 0.05, max: 0.95, noNaN: true }), o: fc.double({ min: 1.05, max: 8, noNaN: true }) }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (bets, cap) => {
          const groups = bets.map((b, i) => single(`m${i}`, b.p, b.o));
          const r = optimiseLineup(groups, { ...loose, maxTotalStake: cap, maxStakePerMatch: cap });
          for (const l of r.legs) expect(l.stake).toBeGreaterThanOrEqual(0);
          expect(r.totalStake).toBeLessThanOrEqual(cap + 1e-9);
          expect(r.expectedLogGrowth).toBeGreaterThanOrEqual(-1e-12);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('refuses nonsense options', () => {
    expect(() => optimiseLineup([], { ...loose, size: 0 })).toThrow(RangeError);
    expect(() => optimiseLineup([], { ...loose, kellyMultiplier: 0 })).toThrow(RangeError);
    expect(() => optimiseLineup([{ key: 'x', sport: 's', legs: [{ id: 'a', confidence: 1, risk: 0 }], scenarios: [{ p: 1, returns: [1, 2] }] }], loose)).toThrow(RangeError);
  });
});
