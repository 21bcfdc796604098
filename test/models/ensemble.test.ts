import { describe, expect, it } from 'vitest';
import { fitStackedEnsemble, predictStackedEnsemble, predictStackedEnsembleRows, type StackingData } from '../../src/models/ensemble.js';
import { logLoss } from '../../src/models/metrics.js';
import { ensembleGate, marketAlone, rowLoss } from '../../src/modules/predictions/engine/forecast.js';
import { type Random, sampleIndex, seededRandom } from '../../src/models/random.js';

function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** n H/D/A rows: true probabilities, an outcome drawn from them, and derived sources. */
function synthetic(n: number, random: Random, sources: ((truth: number[], random: Random) => number[])[]) {
  const outcomes = new Uint8Array(n);
  const mats = sources.map(() => new Float64Array(n * 3));
  for (let r = 0; r < n; r++) {
    const truth = softmax([random.normal(), -0.3 + 0.3 * random.normal(), random.normal()]);
    outcomes[r] = sampleIndex(random, truth);
    sources.forEach((src, s) => mats[s]!.set(src(truth, random), r * 3));
  }
  return { classes: 3, sources: mats, outcomes } satisfies StackingData;
}

const good = (truth: number[]) => truth;
const noise = (_: number[], random: Random) => softmax([random.normal(), random.normal(), random.normal()]);

describe('stacked ensemble', () => {
  it('puts the weight on the source that is clearly better', () => {
    const train = synthetic(4000, seededRandom(1), [good, noise]);
    const model = fitStackedEnsemble(train);
    expect(model.converged).toBe(true);
    expect(model.trainingRows).toBe(4000);
    expect(model.weights[0]).toBeGreaterThan(0.8);
    expect(model.weights[0]).toBeLessThan(1.2);
    expect(Math.abs(model.weights[1]!)).toBeLessThan(0.1);
  });

  it('does no worse out of sample than the better source alone', () => {
    const train = synthetic(4000, seededRandom(2), [good, noise]);
    const test = synthetic(4000, seededRandom(3), [good, noise]);
    const model = fitStackedEnsemble(train);
    const blended = predictStackedEnsembleRows(model, test.sources);
    const ensembleLoss = logLoss({ classes: 3, probabilities: blended, outcomes: test.outcomes });
    const bestAlone = logLoss({ classes: 3, probabilities: test.sources[0]!, outcomes: test.outcomes });
    expect(ensembleLoss).toBeLessThan(bestAlone + 0.005);
    for (let r = 0; r < 10; r++) expect(blended.subarray(r * 3, r * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('learns an intercept that corrects a source which under-rates draws', () => {
    // The source halves the draw probability and renormalises: the truth is recovered by b_draw = ln 2.
    const biased = (truth: number[]) => {
      const t = [truth[0]!, truth[1]! / 2, truth[2]!];
      const s = t[0]! + t[1]! + t[2]!;
      return t.map((v) => v / s);
    };
    const model = fitStackedEnsemble(synthetic(6000, seededRandom(4), [biased]), { l2: 1e-6 });
    expect(model.weights[0]).toBeCloseTo(1, 1);
    expect(model.intercepts[0]).toBe(0);
    expect(Math.abs(model.intercepts[1]! - Math.LN2)).toBeLessThan(0.12);
    expect(Math.abs(model.intercepts[2]!)).toBeLessThan(0.1);
  });

  it('blends a single item and checks its shape', () => {
    const model = fitStackedEnsemble(synthetic(500, seededRandom(5), [good, good]));
    const p = predictStackedEnsemble(model, [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(p[2]!);
    expect(() => predictStackedEnsemble(model, [[0.5, 0.5]])).toThrow(RangeError);
  });

  describe('with a prior towards one source (the market)', () => {
    // The "market" is the truth seen through noise on the logit scale; the "model" is the truth
    // through more noise. Neither is useless, the market is better.
    const blur = (sd: number) => (truth: number[], random: Random) => softmax(truth.map((p) => Math.log(p) + sd * random.normal()));
    const prior = { mean: [0, 1], precision: 100 };

    it('stays near the prior with few rows and lets the evidence move it with many', () => {
      const few = fitStackedEnsemble(synthetic(60, seededRandom(11), [blur(0.6), blur(0.3)]), { intercepts: false, prior });
      expect(Math.abs(few.weights[0]!)).toBeLessThan(0.25);
      expect(Math.abs(few.weights[1]! - 1)).toBeLessThan(0.25);
      const unshrunk = fitStackedEnsemble(synthetic(60, seededRandom(11), [blur(0.6), blur(0.3)]), { intercepts: false, l2: 1e-6 });
      // Shrinkage pulls the small-sample fit towards the market, compared with the unpenalised one.
      expect(Math.abs(few.weights[1]! - 1)).toBeLessThan(Math.abs(unshrunk.weights[1]! - 1) + 1e-9);
      // With a lot of data a genuinely informative model earns weight (optimal pooling of two
      // independent noisy views gives both a share).
      const many = fitStackedEnsemble(synthetic(20000, seededRandom(12), [blur(0.6), blur(0.3)]), { intercepts: false, prior });
      expect(many.weights[0]!).toBeGreaterThan(0.1);
      expect(many.weights[1]!).toBeGreaterThan(many.weights[0]!);
    });

    it('never blends worse out of sample than the market alone by more than noise, even when the model is useless', () => {
      const train = synthetic(400, seededRandom(13), [noise, blur(0.3)]);
      const test = synthetic(8000, seededRandom(14), [noise, blur(0.3)]);
      const model = fitStackedEnsemble(train, { intercepts: false, prior });
      expect(Math.abs(model.weights[0]!)).toBeLessThan(0.05);
      const blended = logLoss({ classes: 3, probabilities: predictStackedEnsembleRows(model, test.sources), outcomes: test.outcomes });
      const market = logLoss({ classes: 3, probabilities: test.sources[1]!, outcomes: test.outcomes });
      expect(blended).toBeLessThan(market + 0.002);
    });

    it('reports Laplace standard errors that match the spread of the weights across samples', () => {
      const fits = Array.from({ length: 40 }, (_, i) => fitStackedEnsemble(synthetic(1500, seededRandom(100 + i), [blur(0.6), blur(0.3)]), { intercepts: false, prior }));
      for (const s of [0, 1]) {
        const w = fits.map((f) => f.weights[s]!);
        const mean = w.reduce((a, b) => a + b, 0) / w.length;
        const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / (w.length - 1));
        const se = fits.reduce((a, f) => a + f.standardErrors![s]!, 0) / fits.length;
        expect(se / sd).toBeGreaterThan(0.7);
        expect(se / sd).toBeLessThan(1.45);
      }
      // Four times the rows, about half the standard error.
      const small = fitStackedEnsemble(synthetic(1000, seededRandom(7), [blur(0.6), blur(0.3)]), { intercepts: false, prior: { ...prior, precision: 0 } });
      const large = fitStackedEnsemble(synthetic(4000, seededRandom(8), [blur(0.6), blur(0.3)]), { intercepts: false, prior: { ...prior, precision: 0 } });
      expect(large.standardErrors![0]! / small.standardErrors![0]!).toBeGreaterThan(0.4);
      expect(large.standardErrors![0]! / small.standardErrors![0]!).toBeLessThan(0.6);
    });

    it('refuses a prior of the wrong shape', () => {
      expect(() => fitStackedEnsemble(synthetic(50, seededRandom(9), [good, good]), { prior: { mean: [1], precision: 1 } })).toThrow(RangeError);
    });
  });
});

describe('the ensemble gate (falling back to the market)', () => {
  it('opens only when the blend beats the market out of sample by more than one standard error', () => {
    const n = 400;
    const market = Array.from({ length: n }, (_, i) => 0.2 + 0.01 * (i % 7));
    const better = market.map((m, i) => m - 0.01 + 0.002 * ((i * 7919) % 5 - 2));
    const same = market.map((m, i) => m + 0.004 * ((i * 7919) % 5 - 2));
    expect(ensembleGate(better, market, 3)).toMatchObject({ open: true, n, loss: 'rps' });
    expect(ensembleGate(same, market, 3).open).toBe(false);
    expect(ensembleGate(better.slice(0, 299), market.slice(0, 299), 3)).toMatchObject({ open: false, n: 299, diff: null });
    expect(() => ensembleGate(better, market.slice(1), 3)).toThrow(RangeError);
    // RPS of a three-way vector and log loss of a two-way one, by hand.
    expect(rowLoss([0.5, 0.3, 0.2], 0, 3)).toBeCloseTo(((0.5 - 1) ** 2 + (0.8 - 1) ** 2) / 2, 12);
    expect(rowLoss([0.7, 0.3], 1, 2)).toBeCloseTo(-Math.log(0.3), 12);
    const blend = { classes: 3 as const, sources: ['dixon-coles', 'elo', 'market'], weights: [0.1, -0.05, 0.95], intercepts: [0, 0, 0], trainingRows: 500, trainingLogLoss: 1, converged: true };
    expect(marketAlone(blend).weights).toEqual([0, 0, 1]);
    expect(blend.weights).toEqual([0.1, -0.05, 0.95]);
  });
});
