// The props ensemble: a calibrated blend of the tier1 and tier2 marginals of one prop,
//   p = σ(a + b·(w·logit p₁ + (1 − w)·logit p₂)),
// a logarithmic opinion pool (Genest & Zidek 1986) followed by Platt scaling (Platt 1999).
// w is chosen on a grid and (a, b) by Newton's method on the log loss of earlier,
// already-settled predictions, so the evaluation can refit it walk-forward: each match is
// blended only with weights learned from matches before it.

export interface BlendWeights {
  /** Weight of tier1 in the logit pool; 1 − w goes to tier2. */
  w: number;
  a: number;
  b: number;
}

export const IDENTITY_BLEND: BlendWeights = { w: 0.5, a: 0, b: 1 };

const EPS = 1e-6;

function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function blend(weights: BlendWeights, p1: number, p2: number): number {
  return sigmoid(weights.a + weights.b * (weights.w * logit(p1) + (1 - weights.w) * logit(p2)));
}

/** Platt scaling of one score: (a, b) maximising the Bernoulli likelihood, by Newton steps. */
export function fitPlatt(x: ArrayLike<number>, y: ArrayLike<number>, iterations = 25): { a: number; b: number; logLoss: number } {
  let a = 0;
  let b = 1;
  const n = x.length;
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a + b * x[i]!);
      const r = p - y[i]!;
      const v = p * (1 - p);
      ga += r;
      gb += r * x[i]!;
      haa += v;
      hab += v * x[i]!;
      hbb += v * x[i]! * x[i]!;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(a + b * x[i]!)));
    loss -= y[i]! ? Math.log(p) : Math.log(1 - p);
  }
  return { a, b, logLoss: n > 0 ? loss / n : NaN };
}

/** Learns the blend from settled predictions (tier1, tier2 probabilities and 0/1 outcomes). */
export function fitBlend(p1: ArrayLike<number>, p2: ArrayLike<number>, y: ArrayLike<number>, grid = 11): BlendWeights {
  const n = y.length;
  if (p1.length !== n || p2.length !== n) throw new RangeError('p1, p2 and y must have the same length');
  if (n === 0) return IDENTITY_BLEND;
  const l1 = Float64Array.from({ length: n }, (_, i) => logit(p1[i]!));
  const l2 = Float64Array.from({ length: n }, (_, i) => logit(p2[i]!));
  const x = new Float64Array(n);
  let best: BlendWeights = IDENTITY_BLEND;
  let bestLoss = Infinity;
  for (let g = 0; g < grid; g++) {
    const w = g / (grid - 1);
    for (let i = 0; i < n; i++) x[i] = w * l1[i]! + (1 - w) * l2[i]!;
    const fit = fitPlatt(x, y);
    if (fit.logLoss < bestLoss) {
      bestLoss = fit.logLoss;
      best = { w, a: fit.a, b: fit.b };
    }
  }
  return best;
}
