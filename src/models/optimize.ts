// Reusable numerical optimiser for the model fits: limited-memory BFGS with a strong-Wolfe
// line search (Nocedal & Wright, "Numerical Optimization", 2nd ed., algorithms 7.4, 3.5
// and 3.6), plus a finite-difference gradient check for tests. One-dimensional root finding
// and minimisation live in optimize-scalar.ts.
// Assumptions: the objective is smooth where finite; it may return a non-finite value
// outside its domain (e.g. an infeasible Dixon-Coles ρ) and the line search then backs off.

/** Writes ∇f(x) into `grad` and returns f(x). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  /** Stop when max|∇f| falls below this (default 1e-6). */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f in an iteration falls below this (default 1e-13). */
  functionTolerance?: number;
  maxIterations?: number; // default 500
  /** Number of correction pairs kept (default 10). */
  memory?: number;
}

export type StopReason = 'gradient' | 'function' | 'max-iterations' | 'line-search';

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  /** max|∇f| at x. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: StopReason;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

interface LineSearchState {
  f: Objective;
  x: Float64Array;
  d: Float64Array;
  xt: Float64Array; // trial point
  gt: Float64Array; // gradient at the last trial point
  evaluations: number;
}

function evaluateAt(s: LineSearchState, alpha: number): { f: number; dg: number } {
  for (let i = 0; i < s.x.length; i++) s.xt[i] = s.x[i]! + alpha * s.d[i]!;
  s.evaluations++;
  const f = s.f(s.xt, s.gt);
  return { f, dg: Number.isFinite(f) ? dot(s.gt, s.d) : NaN };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN if it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH = 40;

/**
 * Strong-Wolfe line search along s.d from s.x. Returns the accepted step with s.xt/s.gt
 * holding the point and its gradient, or null when no acceptable step was found.
 */
function wolfeLineSearch(s: LineSearchState, f0: number, dg0: number, alpha0: number): { alpha: number; f: number } | null {
  let aPrev = 0;
  let fPrev = f0;
  let dgPrev = dg0;
  let a = alpha0;
  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    const { f, dg } = evaluateAt(s, a);
    if (!Number.isFinite(f)) {
      a = aPrev + 0.5 * (a - aPrev); // outside the domain: back off towards the last good step
      continue;
    }
    if (f > f0 + C1 * a * dg0 || (i > 0 && f >= fPrev)) return zoom(s, f0, dg0, aPrev, fPrev, dgPrev, a, f, dg);
    if (Math.abs(dg) <= -C2 * dg0) return { alpha: a, f };
    if (dg >= 0) return zoom(s, f0, dg0, a, f, dg, aPrev, fPrev, dgPrev);
    aPrev = a;
    fPrev = f;
    dgPrev = dg;
    a *= 2;
  }
  return null;
}

function zoom(
  s: LineSearchState,
  f0: number,
  dg0: number,
  lo: number,
  fLo: number,
  dgLo: number,
  hi: number,
  fHi: number,
  dgHi: number,
): { alpha: number; f: number } | null {
  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    let a = Number.isFinite(fHi) ? cubicMin(lo, fLo, dgLo, hi, fHi, dgHi) : NaN;
    const left = Math.min(lo, hi);
    const width = Math.abs(hi - lo);
    // Safeguard: stay well inside the bracket, otherwise bisect.
    if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) a = 0.5 * (lo + hi);
    const { f, dg } = evaluateAt(s, a);
    if (!Number.isFinite(f) || f > f0 + C1 * a * dg0 || f >= fLo) {
      hi = a;
      fHi = f;
      dgHi = dg;
    } else {
      if (Math.abs(dg) <= -C2 * dg0) return { alpha: a, f };
      if (dg * (hi - lo) >= 0) {
        hi = lo;
        fHi = fLo;
        dgHi = dgLo;
      }
      lo = a;
      fLo = f;
      dgLo = dg;
    }
    if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
  }
  // No strong-Wolfe point: accept the best sufficient-decrease point if there is one.
  if (lo > 0) {
    const { f } = evaluateAt(s, lo);
    if (Number.isFinite(f) && f < f0) return { alpha: lo, f };
  }
  return null;
}

/** Minimises f from x0 by L-BFGS. x0 is not modified. */
export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.functionTolerance ?? 1e-13;
  const maxIter = options.maxIterations ?? 500;
  const m = Math.max(1, options.memory ?? 10);

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alphaHist = new Float64Array(m);
  const ls: LineSearchState = { f, x, d, xt: new Float64Array(n), gt: new Float64Array(n), evaluations: 1 };

  let fx = f(x, g);
  if (!Number.isFinite(fx)) throw new RangeError('objective is not finite at the starting point');
  let stored = 0;
  let head = 0; // next slot to write
  let iterations = 0;
  let reason: StopReason = 'max-iterations';

  while (iterations < maxIter) {
    if (infNorm(g) <= gtol) {
      reason = 'gradient';
      break;
    }
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      const a = rho[j]! * dot(S[j]!, d);
      alphaHist[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) d[i] = d[i]! - a * y[i]!;
    }
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      const gamma = dot(S[j]!, Y[j]!) / dot(Y[j]!, Y[j]!);
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = rho[j]! * dot(Y[j]!, d);
      const sj = S[j]!;
      const a = alphaHist[j]!;
      for (let i = 0; i < n; i++) d[i] = d[i]! + (a - b) * sj[i]!;
    }
    let dg0 = dot(g, d);
    if (!(dg0 < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg0 = dot(g, d);
      stored = 0;
    }
    const alpha0 = stored === 0 ? Math.min(1, 1 / Math.sqrt(-dg0)) : 1;
    const step = wolfeLineSearch(ls, fx, dg0, alpha0);
    iterations++;
    if (step === null) {
      reason = 'line-search';
      break;
    }
    // Store the correction pair and move.
    const sNew = S[head]!;
    const yNew = Y[head]!;
    for (let i = 0; i < n; i++) {
      sNew[i] = ls.xt[i]! - x[i]!;
      yNew[i] = ls.gt[i]! - g[i]!;
    }
    const sy = dot(sNew, yNew);
    const fPrev = fx;
    x.set(ls.xt);
    g.set(ls.gt);
    fx = step.f;
    if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    if (Math.abs(fPrev - fx) <= ftol * Math.max(1, Math.abs(fx), Math.abs(fPrev))) {
      reason = infNorm(g) <= gtol ? 'gradient' : 'function';
      break;
    }
  }
  const gradientNorm = infNorm(g);
  return {
    x,
    value: fx,
    gradientNorm,
    iterations,
    evaluations: ls.evaluations,
    converged: reason === 'gradient' || reason === 'function',
    reason,
  };
}

/**
 * Largest relative difference between the analytic gradient of f at x and a central
 * finite difference; used by tests to check every model's hand-derived gradient.
 */
export function gradientCheck(f: Objective, x: ArrayLike<number>, h = 1e-6): number {
  const x0 = Float64Array.from(x);
  const analytic = new Float64Array(x0.length);
  f(x0, analytic);
  const scratch = new Float64Array(x0.length);
  let worst = 0;
  for (let i = 0; i < x0.length; i++) {
    const xi = x0[i]!;
    x0[i] = xi + h;
    const fp = f(x0, scratch);
    x0[i] = xi - h;
    const fm = f(x0, scratch);
    x0[i] = xi;
    const numeric = (fp - fm) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]!) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic[i]!)));
  }
  return worst;
}
