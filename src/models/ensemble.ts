// Stacked blend of several probability sources (models and the de-margined market) for
// one categorical outcome: a multinomial logistic regression on the sources' log
// probabilities — a generalised logarithmic opinion pool,
//   P(k) ∝ exp(b_k + Σ_s w_s log p_{s,k}),  b_0 = 0,
// fitted by minimising the mean log loss with a small ridge pulling the weights towards an
// equal split (1/S each) and the intercepts towards 0. A weight near 1 with the others near
// 0 means "trust that source alone"; intercepts correct a shared bias (e.g. too few draws).
// Reference: Wolpert (1992), "Stacked generalization"; Genest & Zidek (1986), "Combining
// probability distributions" (logarithmic pooling). Assumption: fitStackedEnsemble sees only
// the training rows it is given — walk-forward use passes earlier seasons only, and nothing
// here can reach later data.
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
export function fitStackedEnsemble(train: StackingData, options: { l2?: number; intercepts?: boolean } = {}): StackedEnsemble {
  const K = train.classes;
  const S = train.sources.length;
  const n = train.outcomes.length;
  if (S === 0 || n === 0) throw new RangeError('need at least one source and one training row');
  const l2 = options.l2 ?? 1e-3;
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
        const d = x[i]! - (i < S ? 1 / S : 0);
        pen += d * d;
        g[i] = g[i]! / n + l2 * d;
      }
      return loss / n + 0.5 * l2 * pen;
    },
    new Float64Array(S + nb).fill(1 / S, 0, S),
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
  return model;
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
