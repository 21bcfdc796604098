// Numerical building blocks shared by the models: stable log-sum-exp and softmax, the
// logistic function, log-factorials, Poisson probability vectors and the standard normal
// CDF. Reference for the normal CDF: Hart (1968) algorithm 5666 as given by G. West,
// "Better approximations to cumulative normal functions" (Wilmott, 2005), accurate to
// double precision (|error| < 1e-14) over the whole real line.

/** log(Σ exp(x_i)) without overflow or underflow; -Infinity for an empty input. */
export function logSumExp(x: ArrayLike<number>, from = 0, to = x.length): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (x[i]! > max) max = x[i]!;
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(x[i]! - max);
  return max + Math.log(s);
}

/** Softmax of `logits` into `out` (same length), stable for large logits. */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  const lse = logSumExp(logits);
  for (let i = 0; i < logits.length; i++) out[i] = Math.exp(logits[i]! - lse);
  return out;
}

/** 1 / (1 + e^-x), written so that neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow. */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

const LOG_FACTORIAL_CACHE = (() => {
  const t = new Float64Array(256);
  for (let k = 1; k < t.length; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();

/** log(k!) for a non-negative integer k (table up to 255, Stirling series beyond). */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_CACHE.length) return LOG_FACTORIAL_CACHE[k]!;
  const n = k + 1; // lgamma(n) by Stirling with three correction terms: error < 1e-15 here
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n ** 3) + 1 / (1260 * n ** 5);
}

/**
 * P(X = k) for k = 0..maxK of a Poisson(lambda), by the recurrence p_k = p_{k-1} λ / k,
 * started in log space so a large λ cannot underflow the first term to zero.
 */
export function poissonPmf(lambda: number, maxK: number, out = new Float64Array(maxK + 1)): Float64Array {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${lambda}`);
  if (lambda === 0) {
    out.fill(0);
    out[0] = 1;
    return out;
  }
  // Start from the mode in log space and recurse outwards: stable for any λ.
  const mode = Math.min(maxK, Math.floor(lambda));
  const logMode = mode * Math.log(lambda) - lambda - logFactorial(mode);
  out[mode] = Math.exp(logMode);
  for (let k = mode + 1; k <= maxK; k++) out[k] = (out[k - 1]! * lambda) / k;
  for (let k = mode - 1; k >= 0; k--) out[k] = (out[k + 1]! * (k + 1)) / lambda;
  return out;
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF Φ(x) to double precision (Hart 5666 / West 2005). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  let tail: number; // P(Z > |x|)
  if (z > 37) {
    tail = 0;
  } else {
    const e = Math.exp(-0.5 * z * z);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      tail = (e * num) / den;
    } else {
      // Continued fraction for the far tail.
      let b = z + 0.65;
      b = z + 4 / b;
      b = z + 3 / b;
      b = z + 2 / b;
      b = z + 1 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

/** Arithmetic mean of a typed or plain array. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}
