// The Gamma–Poisson (negative binomial) arithmetic behind the player-prop models: the
// log-gamma function (Lanczos 1964, g = 7, n = 9 coefficients as in Press et al.,
// Numerical Recipes 3rd ed. §6.1), the regularised lower incomplete gamma P(a, x) (series
// for x < a + 1, Lentz continued fraction otherwise; NR §6.2), Gamma quantiles by bisection
// on P, and the closed forms of the negative binomial predictive: if λ ~ Gamma(shape a,
// rate b) and Y | λ ~ Poisson(λ·t), then P(Y = 0) = (b / (b + t))^a.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaP needs a > 0, got ${a}`);
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix) * h);
}

/** The q-quantile of Gamma(shape, rate), by bisection on the CDF (60 halvings). */
export function gammaQuantile(q: number, shape: number, rate: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${q}`);
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  let lo = 0;
  let hi = Math.max(1, shape) * 2;
  while (gammaP(shape, hi) < q) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(shape, mid) < q) lo = mid;
    else hi = mid;
  }
  return (0.5 * (lo + hi)) / rate;
}

/** Posterior over a per-90 rate: Gamma(shape, rate) with rate in "90-minute units". */
export interface RatePosterior {
  shape: number;
  rate: number;
}

/** P(Y = 0) when Y | λ ~ Poisson(λ·t), λ ~ Gamma(shape, rate): (b / (b + t))^a. */
export function negBinZero(post: RatePosterior, exposure: number): number {
  if (exposure <= 0) return 1;
  return Math.exp(post.shape * Math.log(post.rate / (post.rate + exposure)));
}

/** P(Y = k) of the negative binomial predictive (k ≥ 0). */
export function negBinPmf(post: RatePosterior, exposure: number, k: number): number {
  if (k < 0) return 0;
  if (exposure <= 0) return k === 0 ? 1 : 0;
  const a = post.shape;
  const p = exposure / (post.rate + exposure);
  const logC = logGamma(a + k) - logGamma(a) - logGamma(k + 1);
  return Math.exp(logC + a * Math.log(1 - p) + k * Math.log(p));
}

/** P(Y > line) for a half line such as 2.5 under the negative binomial predictive. */
export function negBinOver(post: RatePosterior, exposure: number, line: number): number {
  let cdf = 0;
  for (let k = 0; k <= Math.floor(line); k++) cdf += negBinPmf(post, exposure, k);
  return Math.max(0, 1 - cdf);
}
