// Stacked blend of several probability sources (models and the de-margined market) for
// one categorical outcome: a multinomial logistic regression on the sources' log
// probabilities — a generalised logarithmic opinion pool,
//   P(k) ∝ exp(b_k + Σ_s w_s log p_{s,k}),  b_0 = 0,
// fitted by minimising the log loss plus a Gaussian prior on the weights. By default the prior
// is a small ridge pulling the weights towards an equal split (1/S each) and the intercepts
// towards 0. With `prior` it is a proper prior on the *summed* log-likelihood: mean μ (e.g. the
// market's weight 1, every model's 0) and precision τ, so the data move the weights away
// from μ only as far as the evidence of n rows outweighs τ — with few rows the blend is the
// prior's source, and a source earns weight as its evidence grows. The fit also returns
// Laplace standard errors (the inverse Hessian of the penalised negative log-likelihood at
// the optimum). A weight near 1 with the others near 0 means "trust that source alone";
// intercepts correct a shared bias (e.g. too few draws).
// Reference: Wolpert (1992), "Stacked generalization"; Genest & Zidek (1986), "Combining
// probability distributions" (logarithmic pooling). Assumption: fitStackedEnsemble sees only
// the training rows it is given — walk-forward use passes earlier seasons only, and nothing
// here can reach later data.
import { choleskyInPlace, inverseDiagonal } from './linalg.js';
import { minimizeLbfgs } from './optimize.js';
import { logSumExp } from './special.js';

export interface StackingData {
  classes: number;
  /** One n × classes row-major probability matrix per source. */
  sources: Float64Array[];
  outcomes: Uint8Array | Int32Array;
}

export interface StackedEnsemble {
  classes: number;
  weights: Float64Array;
  /** Per-class intercepts, intercepts[0] = 0. */
  intercepts: Float64Array;
  trainingLogLoss: number;
  trainingRows: number;
  converged: boolean;
  iterations: number;
  /** Laplace standard errors of the weights (then of intercepts 1..K-1 when fitted); absent when the Hessian is singular. */
  standardErrors?: Float64Array;
}

/** A Gaussian prior on the weights, on the summed log-likelihood scale (see the header). */
export interface StackingPrior {
  /** Prior mean of each source's weight. */
  mean: ArrayLike<number>;
  /** Prior precision τ (1 / variance) of each weight; intercepts get the same precision around 0. */
  precision: number;
}

const FLOOR = 1e-12;

function logProbabilities(data: StackingData): Float64Array[] {
  const n = data.outcomes.length;
  return data.sources.map((src, s) => {
    if (src.length !== n * data.classes) throw new RangeError(`source ${s} has ${src.length} values, expected ${n * data.classes}`);
    return src.map((p) => Math.log(Math.max(p, FLOOR)));
  });
}

/** Fits the blend on training rows only. */
export function fitStackedEnsemble(train: StackingData, options: { l2?: number; intercepts?: boolean; prior?: StackingPrior } = {}): StackedEnsemble {
  const K = train.classes;
  const S = train.sources.length;
  const n = train.outcomes.length;
  if (S === 0 || n === 0) throw new RangeError('need at least one source and one training row');
  const prior = options.prior;
  if (prior && (prior.mean.length !== S || !(prior.precision >= 0))) throw new RangeError(`prior needs ${S} means and a precision ≥ 0`);
  // Penalty on the mean log loss: l2 · ½‖x − μ‖², so a prior of precision τ on the sum is τ / n here.
  const l2 = prior ? prior.precision / n : (options.l2 ?? 1e-3);
  const centre = (i: number) => (i < S ? (prior ? prior.mean[i]! : 1 / S) : 0);
  const useIntercepts = options.intercepts ?? true;
  const logs = logProbabilities(train);
  const nb = useIntercepts ? K - 1 : 0;
  const logits = new Float64Array(K);
  const result = minimizeLbfgs(
    (x, g) => {
      g.fill(0);
      let loss = 0;
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < K; k++) {
          let v = k > 0 && useIntercepts ? x[S + k - 1]! : 0;
          for (let s = 0; s < S; s++) v += x[s]! * logs[s]![r * K + k]!;
          logits[k] = v;
        }
        const lse = logSumExp(logits);
        const y = train.outcomes[r]!;
        loss += lse - logits[y]!;
        for (let k = 0; k < K; k++) {
          const resid = Math.exp(logits[k]! - lse) - (k === y ? 1 : 0);
          for (let s = 0; s < S; s++) g[s] = g[s]! + resid * logs[s]![r * K + k]!;
          if (k > 0 && useIntercepts) g[S + k - 1] = g[S + k - 1]! + resid;
        }
      }
      let pen = 0;
      for (let i = 0; i < S + nb; i++) {
        const d = x[i]! - centre(i);
        pen += d * d;
        g[i] = g[i]! / n + l2 * d;
      }
      return loss / n + 0.5 * l2 * pen;
    },
    Float64Array.from({ length: S + nb }, (_, i) => centre(i)),
    { gradientTolerance: 1e-8 },
  );
  const weights = result.x.slice(0, S);
  const intercepts = new Float64Array(K);
  if (useIntercepts) intercepts.set(result.x.subarray(S), 1);
  const model: StackedEnsemble = {
    classes: K,
    weights,
    intercepts,
    trainingLogLoss: NaN,
    trainingRows: n,
    converged: result.converged,
    iterations: result.iterations,
  };
  const fitted = predictStackedEnsembleRows(model, train.sources);
  let ll = 0;
  for (let r = 0; r < n; r++) ll -= Math.log(Math.max(fitted[r * K + train.outcomes[r]!]!, FLOOR));
  model.trainingLogLoss = ll / n;
  const se = laplaceStandardErrors(logs, train.outcomes, result.x, S, K, useIntercepts, l2 * n);
  if (se) model.standardErrors = se;
  return model;
}

/**
 * Standard errors from the Hessian of the summed penalised negative log-likelihood at x:
 * Σ_r Σ_k p_k (z_k − z̄)(z_k − z̄)ᵀ + τ I, where z_k are row r's features for class k (each
 * source's log p_k, then the class indicators of the intercepts) and z̄ = Σ_k p_k z_k.
 */
function laplaceStandardErrors(logs: Float64Array[], outcomes: ArrayLike<number>, x: Float64Array, S: number, K: number, useIntercepts: boolean, tau: number): Float64Array | undefined {
  const P = S + (useIntercepts ? K - 1 : 0);
  const h = new Float64Array(P * P);
  const z = new Float64Array(K * P);
  const logits = new Float64Array(K);
  const mean = new Float64Array(P);
  for (let r = 0; r < outcomes.length; r++) {
    z.fill(0);
    for (let k = 0; k < K; k++) {
      for (let s = 0; s < S; s++) z[k * P + s] = logs[s]![r * K + k]!;
      if (useIntercepts && k > 0) z[k * P + S + k - 1] = 1;
      let v = 0;
      for (let i = 0; i < P; i++) v += x[i]! * z[k * P + i]!;
      logits[k] = v;
    }
    const lse = logSumExp(logits);
    mean.fill(0);
    for (let k = 0; k < K; k++) {
      const p = Math.exp(logits[k]! - lse);
      logits[k] = p;
      for (let i = 0; i < P; i++) mean[i] = mean[i]! + p * z[k * P + i]!;
    }
    for (let k = 0; k < K; k++) {
      const p = logits[k]!;
      for (let i = 0; i < P; i++) {
        const di = z[k * P + i]! - mean[i]!;
        for (let j = 0; j <= i; j++) h[i * P + j] = h[i * P + j]! + p * di * (z[k * P + j]! - mean[j]!);
      }
    }
  }
  for (let i = 0; i < P; i++) {
    h[i * P + i] = h[i * P + i]! + tau;
    for (let j = 0; j < i; j++) h[j * P + i] = h[i * P + j]!;
  }
  try {
    return inverseDiagonal(choleskyInPlace(h, P), P).map(Math.sqrt);
  } catch {
    return undefined;
  }
}

/** Blended probabilities for one item from each source's probability vector. */
export function predictStackedEnsemble(model: StackedEnsemble, sources: ArrayLike<number>[]): Float64Array {
  if (sources.length !== model.weights.length) throw new RangeError(`expected ${model.weights.length} sources, got ${sources.length}`);
  const K = model.classes;
  const logits = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let v = model.intercepts[k]!;
    for (let s = 0; s < sources.length; s++) {
      const src = sources[s]!;
      if (src.length !== K) throw new RangeError(`source ${s} has ${src.length} classes, expected ${K}`);
      v += model.weights[s]! * Math.log(Math.max(src[k]!, FLOOR));
    }
    logits[k] = v;
  }
  const lse = logSumExp(logits);
  return logits.map((v) => Math.exp(v - lse));
}

/** Blended probabilities for n items (each source n × classes, row-major). */
export function predictStackedEnsembleRows(model: StackedEnsemble, sources: Float64Array[]): Float64Array {
  const K = model.classes;
  const n = (sources[0]?.length ?? 0) / K;
  const out = new Float64Array(n * K);
  for (let r = 0; r < n; r++) {
    const row = predictStackedEnsemble(
      model,
      sources.map((src) => src.subarray(r * K, (r + 1) * K)),
    );
    out.set(row, r * K);
  }
  return out;
}
