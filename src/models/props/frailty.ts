// A score matrix with match-level uncertainty in the expected goals: each side's λ is
// multiplied by an independent frailty ε ~ Gamma(1/v, 1/v) (mean 1, variance v) and the
// Dixon-Coles matrix is averaged over ε — the Poisson–Gamma mixture that makes team goals
// overdispersed (Gamma-Poisson as in Lawless 1987; for football scores cf. Karlis & Ntzoufras
// 2003). The mixture keeps each side's expected goals and is integrated with K equal-weight
// quantile nodes per side (rescaled so their mean is exactly 1). tier2 draws its scorelines
// from it: with team goals overdispersed, teammates' goals are positively dependent.
import { dixonColesMatrix } from '../dixon-coles.js';
import { normaliseScoreMatrix, type ScoreMatrix } from '../markets.js';
import { gammaQuantile } from './gamma.js';

export function frailtyNodes(variance: number, k = 8): Float64Array {
  if (!(variance > 0)) return Float64Array.of(1);
  const shape = 1 / variance;
  const nodes = Float64Array.from({ length: k }, (_, i) => gammaQuantile((i + 0.5) / k, shape, shape));
  let mean = 0;
  for (const x of nodes) mean += x / k;
  return nodes.map((x) => x / mean);
}

export function frailtyScoreMatrix(lambdaHome: number, lambdaAway: number, rho: number, variance: number, maxGoals = 10): ScoreMatrix {
  const nodes = frailtyNodes(variance);
  const size = (maxGoals + 1) ** 2;
  const p = new Float64Array(size);
  const w = 1 / (nodes.length * nodes.length);
  for (const eh of nodes) {
    for (const ea of nodes) {
      const m = dixonColesMatrix(lambdaHome * eh, lambdaAway * ea, rho, maxGoals);
      for (let i = 0; i < size; i++) p[i] = p[i]! + w * m.p[i]!;
    }
  }
  return normaliseScoreMatrix({ maxGoals, p });
}
