import { describe, expect, it } from 'vitest';
import {
  accuracy,
  brierScore,
  calibration,
  calibrationInterval,
  type Forecasts,
  logLoss,
  meanAbsoluteError,
  pairedBootstrap,
  rankedProbabilityScore,
  rpsPerItem,
} from '../../src/models/metrics.js';

// Two H/D/A forecasts (class 0 home, 1 draw, 2 away):
//   item 1: (0.5, 0.3, 0.2), home won;  item 2: (0.2, 0.3, 0.5), draw.
const F: Forecasts = { classes: 3, probabilities: Float64Array.from([0.5, 0.3, 0.2, 0.2, 0.3, 0.5]), outcomes: Uint8Array.of(0, 1) };

describe('scores against hand-computed values', () => {
  it('log loss = −(ln 0.5 + ln 0.3) / 2', () => {
    expect(logLoss(F)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.3)) / 2, 14);
  });

  it('Brier = mean of Σ (p − o)²: item 1 0.25+0.09+0.04 = 0.38, item 2 0.04+0.49+0.25 = 0.78', () => {
    expect(brierScore(F)).toBeCloseTo((0.38 + 0.78) / 2, 14);
  });

  it('RPS: item 1 ((0.5−1)² + (0.8−1)²)/2 = 0.145; item 2 ((0.2−0)² + (0.5−1)²)/2 = 0.145', () => {
    expect(Array.from(rpsPerItem(F))).toEqual([expect.closeTo(0.145, 14), expect.closeTo(0.145, 14)]);
    expect(rankedProbabilityScore(F)).toBeCloseTo(0.145, 14);
  });

  it('RPS of sharper and flatter forecasts of a home win, by hand (Constantinou & Fenton 2012 definition)', () => {
    // Home win observed: (1,0,0) → 0; (0.9,0.1,0) → 0.005; (0.8,0.1,0.1) → 0.025; (0.5,0.25,0.25) → 0.15625.
    const f: Forecasts = {
      classes: 3,
      probabilities: Float64Array.from([1, 0, 0, 0.9, 0.1, 0, 0.8, 0.1, 0.1, 0.5, 0.25, 0.25]),
      outcomes: Uint8Array.of(0, 0, 0, 0),
    };
    const r = rpsPerItem(f);
    [0, 0.005, 0.025, 0.15625].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 14));
  });

  it('accuracy takes the most probable class', () => {
    expect(accuracy(F)).toBe(0.5); // item 1 right (home), item 2 wrong (away favoured)
  });

  it('MAE', () => {
    expect(meanAbsoluteError([3, -2, 7.5], [1, 1, 7.5])).toBeCloseTo(5 / 3, 14);
    expect(() => meanAbsoluteError([1], [1, 2])).toThrow(RangeError);
  });

  it('floors a zero probability on the outcome so log loss stays finite', () => {
    const f: Forecasts = { classes: 2, probabilities: Float64Array.from([1, 0]), outcomes: Uint8Array.of(1) };
    expect(logLoss(f)).toBeCloseTo(-Math.log(1e-15), 10);
  });

  it('rejects outcomes outside the classes and mis-sized inputs', () => {
    expect(() => logLoss({ classes: 2, probabilities: Float64Array.from([0.5, 0.5]), outcomes: Uint8Array.of(2) })).toThrow(RangeError);
    expect(() => brierScore({ classes: 3, probabilities: Float64Array.from([0.5, 0.5]), outcomes: Uint8Array.of(0) })).toThrow(RangeError);
  });
});

describe('calibration', () => {
  it('computes per-class ECE from reliability bins by hand', () => {
    // Binary: four forecasts of 0.15 (one hit) and two of 0.85 (both hit).
    // Class 1 bins: [0.1,0.2): mean 0.15, freq 0.25, n 4; [0.8,0.9): mean 0.85, freq 1, n 2.
    // ECE = 4/6 · 0.10 + 2/6 · 0.15 = 0.116666…
    const f: Forecasts = {
      classes: 2,
      probabilities: Float64Array.from([0.85, 0.15, 0.85, 0.15, 0.85, 0.15, 0.85, 0.15, 0.15, 0.85, 0.15, 0.85]),
      outcomes: Uint8Array.of(1, 0, 0, 0, 1, 1),
    };
    const [c0, c1] = calibration(f, 10);
    expect(c1!.ece).toBeCloseTo((4 / 6) * 0.1 + (2 / 6) * 0.15, 12);
    const bin = c1!.bins[1]!;
    expect(bin).toMatchObject({ lower: 0.1, count: 4 });
    expect(bin.meanPredicted).toBeCloseTo(0.15, 12);
    expect(bin.observedFrequency).toBeCloseTo(0.25, 12);
    // One-vs-rest for class 0 is the mirror image with the same error.
    expect(c0!.ece).toBeCloseTo(c1!.ece, 12);
    expect(c1!.bins[9]!.count).toBe(0);
  });

  it('puts p = 1 in the last bin', () => {
    const f: Forecasts = { classes: 2, probabilities: Float64Array.from([0, 1]), outcomes: Uint8Array.of(1) };
    expect(calibration(f, 5)[1]!.bins[4]!.count).toBe(1);
  });
});

describe('paired bootstrap', () => {
  const a = Float64Array.from({ length: 400 }, (_, i) => 0.6 + 0.1 * Math.sin(i));
  const b = Float64Array.from(a, (v, i) => v + 0.02 + 0.05 * Math.cos(3 * i));

  it('centres on the mean difference and is reproducible from its seed', () => {
    const r1 = pairedBootstrap(a, b, { seed: 7, resamples: 1000 });
    const r2 = pairedBootstrap(a, b, { seed: 7, resamples: 1000 });
    expect(r1).toEqual(r2);
    let d = 0;
    for (let i = 0; i < a.length; i++) d += a[i]! - b[i]!;
    expect(r1.meanDifference).toBeCloseTo(d / a.length, 14);
    expect(r1.lower).toBeLessThan(r1.meanDifference);
    expect(r1.upper).toBeGreaterThan(r1.meanDifference);
    // a is better (lower) by ≈ 0.02 with per-item noise sd ≈ 0.035: the 95% interval excludes 0.
    expect(r1.upper).toBeLessThan(0);
    expect(r1.shareALower).toBe(1);
    // Standard error ≈ sd / √n = 0.0354 / 20.
    expect(r1.standardError).toBeGreaterThan(0.0012);
    expect(r1.standardError).toBeLessThan(0.0024);
    expect(pairedBootstrap(a, b, { seed: 8, resamples: 1000 }).lower).not.toBe(r1.lower);
  });

  it('gives a zero-width interval when the forecasters agree item by item', () => {
    const r = pairedBootstrap(a, a, { resamples: 200 });
    expect(r.lower).toBe(0);
    expect(r.upper).toBe(0);
  });
});

describe('calibrationInterval: ECE against the noise a calibrated forecaster would show', () => {
  // 600 three-way forecasts drawn at random; outcomes drawn from them (calibrated by
  // construction), or from a flattened version (the forecasts are overconfident).
  function simulate(temper: number, seed: number): Forecasts {
    let x = seed;
    const u = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 600;
    const probabilities = new Float64Array(n * 3);
    const outcomes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = 0.2 + 0.6 * u();
      const d = (1 - a) * (0.3 + 0.2 * u());
      const p = [a, d, 1 - a - d];
      probabilities.set(p, i * 3);
      const q = p.map((v) => Math.pow(v, temper));
      const z = q[0]! + q[1]! + q[2]!;
      const r = u() * z;
      outcomes[i] = r < q[0]! ? 0 : r < q[0]! + q[1]! ? 1 : 2;
    }
    return { classes: 3, probabilities, outcomes };
  }

  it('a calibrated forecaster sits inside the band; an overconfident one above it', () => {
    const fair = calibrationInterval(simulate(1, 7), { resamples: 400, seed: 1 });
    expect(fair).toHaveLength(3);
    for (const c of fair) {
      expect(c.ece).toBeCloseTo(calibration(simulate(1, 7), 10)[c.classIndex]!.ece, 12);
      expect(c.null_mean).toBeGreaterThan(0);
      expect(c.null_upper).toBeGreaterThan(c.null_mean);
      expect(c.upper).toBeGreaterThan(c.lower);
    }
    expect(fair[0]!.ece).toBeLessThan(fair[0]!.null_upper);
    // Outcomes from p^0.3 (much flatter than the stated p): home forecasts are far too sharp.
    const sharp = calibrationInterval(simulate(0.3, 7), { resamples: 400, seed: 1 });
    expect(sharp[0]!.ece).toBeGreaterThan(sharp[0]!.null_upper);
    expect(sharp[0]!.lower).toBeGreaterThan(sharp[0]!.null_upper);
  });

  it('is reproducible for a seed and empty-safe', () => {
    expect(calibrationInterval(simulate(1, 3), { resamples: 50, seed: 9 })).toEqual(calibrationInterval(simulate(1, 3), { resamples: 50, seed: 9 }));
    const empty = calibrationInterval({ classes: 3, probabilities: new Float64Array(0), outcomes: new Uint8Array(0) });
    expect(empty.every((c) => Number.isNaN(c.ece))).toBe(true);
  });
});
