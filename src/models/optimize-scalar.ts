// One-dimensional solvers used by the models: Brent's root finder (R. P. Brent, 1973,
// "Algorithms for Minimization without Derivatives", ch. 4, "zeroin") for calibrating a
// single parameter to a constraint (Shin's z, the power exponent, the odds ratio), and a
// golden-section minimiser (Kiefer 1953) for tuning one hyper-parameter on a bracket.
// Assumptions: the root is bracketed by a sign change; the minimised function is unimodal.

/**
 * A root of f in [lo, hi] (f(lo) and f(hi) must differ in sign) by Brent's method:
 * inverse quadratic interpolation guarded by bisection, so it never leaves the bracket.
 */
export function findRoot(f: (x: number) => number, lo: number, hi: number, tolerance = 1e-14, maxIterations = 200): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) throw new RangeError(`root not bracketed: f(${lo})=${fa}, f(${hi})=${fb}`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tolerance;
    const mid = 0.5 * (c - b);
    if (Math.abs(mid) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * mid * s;
        q = 1 - s;
      } else {
        const r = fb / fc;
        const t = fa / fc;
        p = s * (2 * mid * t * (t - r) - (b - a) * (r - 1));
        q = (t - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * mid * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = mid;
        e = d;
      }
    } else {
      d = mid;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : mid > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/** Minimiser of a unimodal f on [lo, hi] by golden-section search. */
export function minimizeScalar(f: (x: number) => number, lo: number, hi: number, tolerance = 1e-8): { x: number; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (Math.abs(b - a) > tolerance * Math.max(1, Math.abs(c) + Math.abs(d))) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}
