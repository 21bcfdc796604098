// Forecast-quality metrics for probabilistic predictions of categorical outcomes (home/
// draw/away, win/loss, over/under) and point predictions (spreads, totals): log loss, Brier
// score (the original multi-category form, Σ_k (p_k − o_k)², so a binary forecast scores
// twice the one-sided version), ranked probability score for ordered outcomes
// (Epstein 1969; as used for football by Constantinou & Fenton 2012: RPS = 1/(K−1) Σ_k
// (CDF_p(k) − CDF_o(k))²), accuracy, expected calibration error per outcome with
// equal-width reliability bins (Naeini et al. 2015), mean absolute error, and a paired
// bootstrap confidence interval for the mean difference of two forecasters' per-item
// scores (Efron & Tibshirani 1993, percentile interval), seeded for reproducibility.
import { seededRandom } from './random.js';

/** n forecasts over `classes` outcomes: probabilities row-major (n × classes). */
export interface Forecasts {
  classes: number;
  probabilities: Float64Array;
  outcomes: Uint8Array | Int32Array;
}

const LOG_FLOOR = 1e-15;

function rows(f: Forecasts): number {
  const n = f.outcomes.length;
  if (f.probabilities.length !== n * f.classes) throw new RangeError(`expected ${n * f.classes} probabilities, got ${f.probabilities.length}`);
  for (let r = 0; r < n; r++) {
    const o = f.outcomes[r]!;
    if (o < 0 || o >= f.classes) throw new RangeError(`outcome ${o} of row ${r} is not a class index`);
  }
  return n;
}

function meanOf(x: Float64Array): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

/** −log p(outcome) per item (probabilities floored at 1e-15 so a miss is finite). */
export function logLossPerItem(f: Forecasts): Float64Array {
  const n = rows(f);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = -Math.log(Math.max(f.probabilities[r * f.classes + f.outcomes[r]!]!, LOG_FLOOR));
  return out;
}

export function logLoss(f: Forecasts): number {
  return meanOf(logLossPerItem(f));
}

export function brierPerItem(f: Forecasts): Float64Array {
  const n = rows(f);
  const K = f.classes;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const d = f.probabilities[r * K + k]! - (f.outcomes[r] === k ? 1 : 0);
      s += d * d;
    }
    out[r] = s;
  }
  return out;
}

export function brierScore(f: Forecasts): number {
  return meanOf(brierPerItem(f));
}

/** RPS per item; classes must be in their natural order (home, draw, away). */
export function rpsPerItem(f: Forecasts): Float64Array {
  const n = rows(f);
  const K = f.classes;
  if (K < 2) throw new RangeError('RPS needs at least two ordered classes');
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let cp = 0;
    let s = 0;
    for (let k = 0; k < K - 1; k++) {
      cp += f.probabilities[r * K + k]!;
      const co = f.outcomes[r]! <= k ? 1 : 0;
      s += (cp - co) ** 2;
    }
    out[r] = s / (K - 1);
  }
  return out;
}

export function rankedProbabilityScore(f: Forecasts): number {
  return meanOf(rpsPerItem(f));
}

/** Share of items whose most probable class happened (ties go to the lower class index). */
export function accuracy(f: Forecasts): number {
  const n = rows(f);
  const K = f.classes;
  let hits = 0;
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (f.probabilities[r * K + k]! > f.probabilities[r * K + best]!) best = k;
    if (best === f.outcomes[r]) hits++;
  }
  return n === 0 ? NaN : hits / n;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedFrequency: number;
}

export interface ClassCalibration {
  classIndex: number;
  /** Σ_b (n_b / n) |mean predicted − observed frequency|. */
  ece: number;
  bins: ReliabilityBin[];
}

/** One-vs-rest reliability of every class with `bins` equal-width bins on [0, 1]. */
export function calibration(f: Forecasts, bins = 10): ClassCalibration[] {
  const n = rows(f);
  const K = f.classes;
  const result: ClassCalibration[] = [];
  for (let k = 0; k < K; k++) {
    const count = new Float64Array(bins);
    const sumP = new Float64Array(bins);
    const hits = new Float64Array(bins);
    for (let r = 0; r < n; r++) {
      const p = f.probabilities[r * K + k]!;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
      count[b] = count[b]! + 1;
      sumP[b] = sumP[b]! + p;
      if (f.outcomes[r] === k) hits[b] = hits[b]! + 1;
    }
    let ece = 0;
    const out: ReliabilityBin[] = [];
    for (let b = 0; b < bins; b++) {
      const c = count[b]!;
      const meanPredicted = c > 0 ? sumP[b]! / c : NaN;
      const observedFrequency = c > 0 ? hits[b]! / c : NaN;
      if (c > 0) ece += (c / n) * Math.abs(meanPredicted - observedFrequency);
      out.push({ lower: b / bins, upper: (b + 1) / bins, count: c, meanPredicted, observedFrequency });
    }
    result.push({ classIndex: k, ece: n === 0 ? NaN : ece, bins: out });
  }
  return result;
}

export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (predicted.length !== actual.length) throw new RangeError('predicted and actual differ in length');
  if (predicted.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < predicted.length; i++) s += Math.abs(predicted[i]! - actual[i]!);
  return s / predicted.length;
}

export interface BootstrapInterval {
  /** mean(a − b) on the full sample. */
  meanDifference: number;
  lower: number;
  upper: number;
  level: number;
  standardError: number;
  resamples: number;
  /** Share of resamples in which a scored lower (better, for losses) than b. */
  shareALower: number;
}

/**
 * Paired bootstrap of mean(a_i − b_i): items are resampled with replacement, keeping each
 * item's two scores together, and the percentile interval at `level` is reported.
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { resamples?: number; seed?: number; level?: number } = {},
): BootstrapInterval {
  const n = a.length;
  if (n !== b.length || n === 0) throw new RangeError('need two non-empty score lists of equal length');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 20240601);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i]! - b[i]!;
  const means = new Float64Array(resamples);
  let lower = 0;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[random.int(0, n - 1)]!;
    means[r] = s / n;
    if (means[r]! < 0) lower++;
  }
  means.sort();
  const q = (p: number) => {
    // Linear interpolation between order statistics (type 7 quantile).
    const h = (resamples - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(resamples - 1, lo + 1);
    return means[lo]! + (h - lo) * (means[hi]! - means[lo]!);
  };
  const m = meanOf(means);
  let v = 0;
  for (const x of means) v += (x - m) ** 2;
  return {
    meanDifference: meanOf(d),
    lower: q((1 - level) / 2),
    upper: q(1 - (1 - level) / 2),
    level,
    standardError: Math.sqrt(v / Math.max(1, resamples - 1)),
    resamples,
    shareALower: lower / resamples,
  };
}

export interface CalibrationInterval {
  classIndex: number;
  /** ECE on the full sample (as calibration() gives it). */
  ece: number;
  /** Percentile bootstrap interval of the ECE, items resampled with replacement. */
  lower: number;
  upper: number;
  /**
   * The ECE a perfectly calibrated forecaster would show on these very forecasts at this n:
   * the mean and the `level` quantile over outcomes drawn from the forecasts themselves. An
   * observed ECE under `null_upper` is what sampling noise alone produces; above it, evidence
   * of miscalibration.
   */
  null_mean: number;
  null_upper: number;
}

function eceOfClass(p: Float64Array, hit: Uint8Array, index: Int32Array | null, bins: number): number {
  const n = index ? index.length : p.length;
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const hits = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const r = index ? index[i]! : i;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[r]! * bins)));
    count[b]! += 1;
    sumP[b]! += p[r]!;
    hits[b]! += hit[r]!;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(sumP[b]! - hits[b]!) / n;
  return ece;
}

/**
 * Expected calibration error per class with two yardsticks for noise: a bootstrap interval
 * (resampling matches) and the band a calibrated forecaster would produce (outcomes
 * simulated from the forecasts). Seeded, so a report is reproducible.
 */
export function calibrationInterval(f: Forecasts, options: { bins?: number; resamples?: number; seed?: number; level?: number } = {}): CalibrationInterval[] {
  const n = rows(f);
  const K = f.classes;
  const bins = options.bins ?? 10;
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 20240602);
  const quantile = (x: Float64Array, q: number) => {
    const s = Float64Array.from(x).sort();
    const h = (s.length - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
  };
  const out: CalibrationInterval[] = [];
  if (n === 0) return Array.from({ length: K }, (_, k) => ({ classIndex: k, ece: NaN, lower: NaN, upper: NaN, null_mean: NaN, null_upper: NaN }));
  const probs: Float64Array[] = [];
  const hits: Uint8Array[] = [];
  for (let k = 0; k < K; k++) {
    const p = new Float64Array(n);
    const h = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      p[r] = f.probabilities[r * K + k]!;
      h[r] = f.outcomes[r] === k ? 1 : 0;
    }
    probs.push(p);
    hits.push(h);
  }
  const boot = Array.from({ length: K }, () => new Float64Array(resamples));
  const nul = Array.from({ length: K }, () => new Float64Array(resamples));
  const index = new Int32Array(n);
  const simulated = Array.from({ length: K }, () => new Uint8Array(n));
  for (let s = 0; s < resamples; s++) {
    for (let i = 0; i < n; i++) index[i] = random.int(0, n - 1);
    for (let k = 0; k < K; k++) boot[k]![s] = eceOfClass(probs[k]!, hits[k]!, index, bins);
    // One simulated outcome per match, drawn from that match's own forecast.
    for (let r = 0; r < n; r++) {
      const u = random.uniform();
      let acc = 0;
      let drawn = K - 1;
      for (let k = 0; k < K; k++) {
        acc += f.probabilities[r * K + k]!;
        if (u < acc) {
          drawn = k;
          break;
        }
      }
      for (let k = 0; k < K; k++) simulated[k]![r] = k === drawn ? 1 : 0;
    }
    for (let k = 0; k < K; k++) nul[k]![s] = eceOfClass(probs[k]!, simulated[k]!, null, bins);
  }
  for (let k = 0; k < K; k++) {
    out.push({
      classIndex: k,
      ece: eceOfClass(probs[k]!, hits[k]!, null, bins),
      lower: quantile(boot[k]!, (1 - level) / 2),
      upper: quantile(boot[k]!, 1 - (1 - level) / 2),
      null_mean: meanOf(nul[k]!),
      null_upper: quantile(nul[k]!, level),
    });
  }
  return out;
}
