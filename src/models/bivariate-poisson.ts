// Bivariate Poisson model of soccer scores, the alternative to Dixon-Coles for comparison:
// X = W1 + W3, Y = W2 + W3 with independent W_k ~ Poisson(λ_k), so λ3 = cov(X, Y) ≥ 0 is a
// shared component (e.g. game tempo) and
//   P(x, y) = e^−(λ1+λ2+λ3) λ1^x/x! λ2^y/y! Σ_k C(x,k) C(y,k) k! (λ3 / (λ1 λ2))^k.
// Reference: D. Karlis and I. Ntzoufras (2003), "Analysis of sports data by using bivariate
// Poisson models", The Statistician 52(3), 381-393 (the model without diagonal inflation).
// Assumptions: team strengths as in goals-data.ts act on λ1 (home) and λ2 (away); λ3 is one
// league-wide constant with a weak normal prior on log λ3 (mean log 0.1, sd 1.5) so that a
// league with no positive correlation does not send log λ3 to −∞; fitted by L-BFGS on the
// weighted penalised likelihood with analytic gradients (same decay and team prior as DC).
import {
  addPriorPenalty,
  centreBlock,
  DEFAULT_XI_PER_DAY,
  type FitDiagnostics,
  type GoalsData,
  type GoalsFitOptions,
  initialParameters,
  layout,
  logFactorialTerms,
  matchWeights,
  teamPrior,
  validateGoalsData,
} from './goals-data.js';
import { normaliseScoreMatrix, type ScoreMatrix } from './markets.js';
import { minimizeLbfgs, type Objective } from './optimize.js';
import { logFactorial } from './special.js';

export interface BivariatePoissonModel {
  teams: number;
  attack: Float64Array;
  defence: Float64Array;
  intercept: number;
  homeAdvantage: number;
  /** λ3: the shared Poisson component (covariance of home and away goals). */
  lambda3: number;
  xi: number;
}

const LOG_LAMBDA3_PRIOR_MEAN = Math.log(0.1);
const LOG_LAMBDA3_PRIOR_PRECISION = 1 / 1.5 ** 2;

/**
 * log Σ_k C(x,k) C(y,k) k! r^k and its derivative with respect to log r (= E[k]), by the
 * term recurrence t_{k+1} = t_k (x−k)(y−k) r / (k+1).
 */
export function bivariateSeries(x: number, y: number, r: number): { logS: number; meanK: number } {
  const m = Math.min(x, y);
  let t = 1;
  let s = 1;
  let sk = 0;
  for (let k = 0; k < m; k++) {
    t *= ((x - k) * (y - k) * r) / (k + 1);
    s += t;
    sk += (k + 1) * t;
  }
  return { logS: Math.log(s), meanK: sk / s };
}

/** Negated weighted log-likelihood (without log-factorials) plus the λ3 prior, with gradient. */
export function bivariatePoissonObjective(data: GoalsData, weights: Float64Array, teams: number): Objective {
  const L = layout(teams);
  const { home, away, homeGoals, awayGoals, neutral } = data;
  return (x, g) => {
    g.fill(0);
    const mu = x[L.mu]!;
    const h = x[L.home]!;
    const c = x[L.extra]!;
    const l3 = Math.exp(c);
    let nll = 0;
    let gMu = 0;
    let gH = 0;
    let gC = 0;
    for (let k = 0; k < home.length; k++) {
      const w = weights[k]!;
      if (w === 0) continue;
      const i = home[k]!;
      const j = away[k]!;
      const xg = homeGoals[k]!;
      const yg = awayGoals[k]!;
      const isNeutral = neutral !== undefined && neutral[k] === 1;
      const eta1 = mu + (isNeutral ? 0 : h) + x[i]! - x[teams + j]!;
      const eta2 = mu + x[j]! - x[teams + i]!;
      const l1 = Math.exp(eta1);
      const l2 = Math.exp(eta2);
      const { logS, meanK } = bivariateSeries(xg, yg, Math.exp(c - eta1 - eta2));
      nll -= w * (xg * eta1 + yg * eta2 - l1 - l2 - l3 + logS);
      const d1 = w * (xg - l1 - meanK);
      const d2 = w * (yg - l2 - meanK);
      g[i] = g[i]! - d1;
      g[teams + j] = g[teams + j]! + d1;
      g[j] = g[j]! - d2;
      g[teams + i] = g[teams + i]! + d2;
      gMu -= d1 + d2;
      if (!isNeutral) gH -= d1;
      gC -= w * (meanK - l3);
    }
    const dc = c - LOG_LAMBDA3_PRIOR_MEAN;
    nll += 0.5 * LOG_LAMBDA3_PRIOR_PRECISION * dc * dc;
    g[L.mu] = gMu;
    g[L.home] = gH;
    g[L.extra] = gC + LOG_LAMBDA3_PRIOR_PRECISION * dc;
    return nll;
  };
}

export function fitBivariatePoisson(data: GoalsData, options: GoalsFitOptions): { model: BivariatePoissonModel; diagnostics: FitDiagnostics } {
  const teams = options.teams;
  const matches = validateGoalsData(data, teams);
  const xi = options.xi ?? DEFAULT_XI_PER_DAY;
  const weights = matchWeights(data, xi);
  const prior = teamPrior(teams, options);
  let totalWeight = 0;
  for (let k = 0; k < matches; k++) totalWeight += weights[k]!;
  const scale = 1 / Math.max(totalWeight, 1);
  const base = bivariatePoissonObjective(data, weights, teams);
  const objective: Objective = (x, g) => {
    const f = base(x, g);
    const penalty = addPriorPenalty(x, g, teams, prior);
    centreBlock(g, 0, teams);
    centreBlock(g, teams, teams);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
    return (f + penalty) * scale;
  };
  const L = layout(teams);
  const x0 = initialParameters(data, weights, teams, prior);
  // The marginal means are λ1 + λ3 and λ2 + λ3: start λ3 small and take it out of μ.
  x0[L.extra] = LOG_LAMBDA3_PRIOR_MEAN;
  x0[L.mu] = Math.log(Math.max(Math.exp(x0[L.mu]!) - 0.1, 0.05));
  const result = minimizeLbfgs(objective, x0, {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: options.gradientTolerance ?? 1e-7,
  });
  const x = result.x;
  centreBlock(x, 0, teams);
  centreBlock(x, teams, teams);
  const scratch = new Float64Array(x.length);
  const dc = x[L.extra]! - LOG_LAMBDA3_PRIOR_MEAN;
  const lambda3Penalty = 0.5 * LOG_LAMBDA3_PRIOR_PRECISION * dc * dc;
  const logLikelihood = -(base(x, scratch) - lambda3Penalty) - logFactorialTerms(data, weights, logFactorial);
  const penalty = addPriorPenalty(x, scratch, teams, prior) + lambda3Penalty;
  return {
    model: {
      teams,
      attack: x.slice(0, teams),
      defence: x.slice(teams, 2 * teams),
      intercept: x[L.mu]!,
      homeAdvantage: x[L.home]!,
      lambda3: Math.exp(x[L.extra]!),
      xi,
    },
    diagnostics: {
      iterations: result.iterations,
      evaluations: result.evaluations,
      converged: result.converged,
      reason: result.reason,
      logLikelihood,
      penalisedLogLikelihood: logLikelihood - penalty,
      gradientNorm: result.gradientNorm,
      matches,
      effectiveMatches: totalWeight,
    },
  };
}

/** Bivariate Poisson probabilities P(x, y) for x, y ≤ maxGoals, renormalised. */
export function bivariatePoissonMatrix(lambda1: number, lambda2: number, lambda3: number, maxGoals = 10): ScoreMatrix {
  const n = maxGoals + 1;
  const p = new Float64Array(n * n);
  const r = lambda3 / (lambda1 * lambda2);
  const base = -(lambda1 + lambda2 + lambda3);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      const lp = base + x * Math.log(lambda1) + y * Math.log(lambda2) - logFactorial(x) - logFactorial(y);
      p[x * n + y] = Math.exp(lp + bivariateSeries(x, y, r).logS);
    }
  }
  return normaliseScoreMatrix({ maxGoals, p });
}

export function bivariatePoissonScoreMatrix(
  model: BivariatePoissonModel,
  home: number,
  away: number,
  options: { maxGoals?: number; neutral?: boolean } = {},
): ScoreMatrix {
  if (home < 0 || home >= model.teams || away < 0 || away >= model.teams) throw new RangeError('team index out of range');
  const l1 = Math.exp(model.intercept + (options.neutral ? 0 : model.homeAdvantage) + model.attack[home]! - model.defence[away]!);
  const l2 = Math.exp(model.intercept + model.attack[away]! - model.defence[home]!);
  return bivariatePoissonMatrix(l1, l2, model.lambda3, options.maxGoals ?? 10);
}
