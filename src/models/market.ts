// Bookmaker odds → probabilities with the bookmaker's margin removed. With π_i = 1/odds_i
// and booksum Σπ = 1 + overround, the methods are:
//   multiplicative  p_i = π_i / Σπ ("basic normalisation")
//   additive        p_i = π_i − (Σπ − 1)/n (outcomes pushed below 0 are set to 0 and the
//                   rest re-solved, so probabilities stay valid)
//   power           p_i = π_i^k with k such that Σ p = 1 (Buchdahl's "logarithmic" method)
//   shin            p_i = (√(z² + 4(1−z) π_i²/Σπ) − z) / (2(1−z)), z the insider share
//                   (Shin 1992, 1993; the Jullien & Salanié 1994 formulation)
//   odds-ratio      p_i = π_i / (c + π_i − c π_i), c the odds ratio (Cheung 2015)
// The free parameter of the last three is found by Brent's method so Σ p = 1 exactly.
// References: H. S. Shin (1993), "Measuring the incidence of insider trading in a market
// for state-contingent claims", Economic Journal 103; E. Štrumbelj (2014), "On determining
// probability forecasts from betting odds", Int. J. Forecasting 30; J. Buchdahl, "Using the
// wisdom of the crowd to find value in a football match betting market"; the CRAN package
// `implied` (J. C. Lindstrøm), whose documented examples the tests reproduce.
// Assumption: a book with no overround (Σπ ≤ 1) has no margin to remove; every method then
// falls back to plain normalisation and reports its parameter at the no-margin value.
import { findRoot } from './optimize-scalar.js';

export const MARGIN_METHODS = ['multiplicative', 'additive', 'power', 'shin', 'odds-ratio'] as const;
export type MarginMethod = (typeof MARGIN_METHODS)[number];

export interface DemarginedOdds {
  method: MarginMethod;
  probabilities: Float64Array;
  /** Σ 1/odds − 1 (0.05 = a 5% book). */
  overround: number;
  /** Shin's z, the power k, the odds ratio c; null for multiplicative and additive. */
  parameter: number | null;
}

export function inverseOdds(odds: ArrayLike<number>): Float64Array {
  if (odds.length < 2) throw new RangeError('a market needs at least two outcomes');
  const pi = new Float64Array(odds.length);
  for (let i = 0; i < odds.length; i++) {
    const o = odds[i]!;
    if (!(o > 1) || !Number.isFinite(o)) throw new RangeError(`decimal odds must be finite and > 1, got ${o}`);
    pi[i] = 1 / o;
  }
  return pi;
}

export function overround(odds: ArrayLike<number>): number {
  return inverseOdds(odds).reduce((s, v) => s + v, 0) - 1;
}

function sum(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s;
}

function normalised(pi: Float64Array): Float64Array {
  const s = sum(pi);
  return pi.map((v) => v / s);
}

function additive(pi: Float64Array): Float64Array {
  const p = Float64Array.from(pi);
  const active = new Uint8Array(p.length).fill(1);
  for (;;) {
    let count = 0;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      if (active[i]) {
        count++;
        s += pi[i]!;
      }
    }
    const shift = (s - 1) / count;
    let clipped = false;
    for (let i = 0; i < p.length; i++) {
      if (!active[i]) continue;
      p[i] = pi[i]! - shift;
      if (p[i]! < 0) {
        p[i] = 0;
        active[i] = 0;
        clipped = true;
      }
    }
    if (!clipped) return p;
  }
}

export function shinProbabilities(pi: Float64Array, z: number): Float64Array {
  const booksum = sum(pi);
  return pi.map((v) => (Math.sqrt(z * z + (4 * (1 - z) * v * v) / booksum) - z) / (2 * (1 - z)));
}

function oddsRatioProbabilities(pi: Float64Array, c: number): Float64Array {
  return pi.map((v) => v / (c + v - c * v));
}

/** Removes the bookmaker margin from one market's decimal odds. */
export function removeMargin(odds: ArrayLike<number>, method: MarginMethod): DemarginedOdds {
  const pi = inverseOdds(odds);
  const over = sum(pi) - 1;
  if (over <= 1e-12 && method !== 'additive' && method !== 'multiplicative') {
    const none = method === 'shin' ? 0 : 1;
    return { method, probabilities: normalised(pi), overround: over, parameter: none };
  }
  switch (method) {
    case 'multiplicative':
      return { method, probabilities: normalised(pi), overround: over, parameter: null };
    case 'additive':
      return { method, probabilities: additive(pi), overround: over, parameter: null };
    case 'power': {
      const logPi = pi.map(Math.log);
      const k = findRoot((kk) => logPi.reduce((s, l) => s + Math.exp(kk * l), 0) - 1, 1, 100);
      return { method, probabilities: normalised(logPi.map((l) => Math.exp(k * l))), overround: over, parameter: k };
    }
    case 'shin': {
      // Σp(z) − 1 is positive at z = 0 (= √Σπ − 1) and negative as z → 1.
      const z = findRoot((zz) => sum(shinProbabilities(pi, zz)) - 1, 0, 0.999999);
      return { method, probabilities: normalised(shinProbabilities(pi, z)), overround: over, parameter: z };
    }
    case 'odds-ratio': {
      // Solved on log c: Σp is n at c → 0 and falls to 0 as c → ∞.
      const logC = findRoot((lc) => sum(oddsRatioProbabilities(pi, Math.exp(lc))) - 1, 0, 20);
      const c = Math.exp(logC);
      return { method, probabilities: normalised(oddsRatioProbabilities(pi, c)), overround: over, parameter: c };
    }
  }
}

/** Fair decimal odds (1/p) from probabilities. */
export function fairOdds(probabilities: ArrayLike<number>): Float64Array {
  return Float64Array.from(probabilities, (p) => (p > 0 ? 1 / p : Infinity));
}
