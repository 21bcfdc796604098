// Dixon-Coles model of soccer scores: home and away goals are Poisson with means from team
// attack and defence strengths and a home advantage, with the low-score correction τ(x, y)
// on 0-0, 1-0, 0-1 and 1-1 governed by ρ, and an exponential time decay ξ on the
// likelihood so recent matches count more.
// Reference: M. J. Dixon and S. G. Coles (1997), "Modelling Association Football Scores and
// Inefficiencies in the Football Betting Market", Applied Statistics 46(2), 265-280.
// Assumptions: parameterisation and identifiability as in goals-data.ts; a ridge prior
// (DEFAULT_PRIOR_PRECISION) shrinks teams with little data towards 0 or the promoted-team
// prior; the fit maximises the weighted penalised log-likelihood by L-BFGS with analytic
// gradients. The score matrix is truncated at maxGoals per side and renormalised.
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
import { logFactorial, poissonPmf } from './special.js';

export interface DixonColesModel {
  teams: number;
  /** Log-scale attack per team; Σ = 0. */
  attack: Float64Array;
  /** Log-scale defence per team (positive concedes fewer); Σ = 0. */
  defence: Float64Array;
  /** μ: log of an average team's expected away goals. */
  intercept: number;
  /** h: log home-advantage multiplier. */
  homeAdvantage: number;
  rho: number;
  xi: number;
}

export interface DixonColesFit {
  model: DixonColesModel;
  diagnostics: FitDiagnostics;
}

/** The negated, weighted log-likelihood (without log-factorials) and its gradient. */
export function dixonColesNegLogLikelihood(data: GoalsData, weights: Float64Array, teams: number): Objective {
  const L = layout(teams);
  const { home, away, homeGoals, awayGoals, neutral, homeTarget, awayTarget } = data;
  const n = home.length;
  return (x, g) => {
    g.fill(0);
    const mu = x[L.mu]!;
    const h = x[L.home]!;
    const rho = x[L.extra]!;
    if (!(rho < 1 && rho > -1)) return Infinity;
    let nll = 0;
    let gMu = 0;
    let gH = 0;
    let gRho = 0;
    for (let k = 0; k < n; k++) {
      const w = weights[k]!;
      if (w === 0) continue;
      const i = home[k]!;
      const j = away[k]!;
      const xg = homeGoals[k]!;
      const yg = awayGoals[k]!;
      const isNeutral = neutral !== undefined && neutral[k] === 1;
      const etaH = mu + (isNeutral ? 0 : h) + x[i]! - x[teams + j]!;
      const etaA = mu + x[j]! - x[teams + i]!;
      const lh = Math.exp(etaH);
      const la = Math.exp(etaA);
      const xt = homeTarget ? homeTarget[k]! : xg;
      const yt = awayTarget ? awayTarget[k]! : yg;
      let ll = xt * etaH - lh + yt * etaA - la;
      let dH = xt - lh;
      let dA = yt - la;
      let dRho = 0;
      if (xg <= 1 && yg <= 1) {
        let t: number;
        if (xg === 0 && yg === 0) {
          t = 1 - lh * la * rho;
          if (!(t > 0)) return Infinity;
          const c = (lh * la) / t;
          dH -= c * rho;
          dA -= c * rho;
          dRho = -c;
        } else if (xg === 0) {
          t = 1 + lh * rho;
          if (!(t > 0)) return Infinity;
          dH += (lh * rho) / t;
          dRho = lh / t;
        } else if (yg === 0) {
          t = 1 + la * rho;
          if (!(t > 0)) return Infinity;
          dA += (la * rho) / t;
          dRho = la / t;
        } else {
          t = 1 - rho;
          dRho = -1 / t;
        }
        ll += Math.log(t);
      }
      nll -= w * ll;
      const wH = w * dH;
      const wA = w * dA;
      g[i] = g[i]! - wH;
      g[teams + j] = g[teams + j]! + wH;
      g[j] = g[j]! - wA;
      g[teams + i] = g[teams + i]! + wA;
      gMu -= wH + wA;
      if (!isNeutral) gH -= wH;
      gRho -= w * dRho;
    }
    g[L.mu] = gMu;
    g[L.home] = gH;
    g[L.extra] = gRho;
    return nll;
  };
}

/** Fits Dixon-Coles by penalised weighted maximum likelihood. */
export function fitDixonColes(data: GoalsData, options: GoalsFitOptions): DixonColesFit {
  const teams = options.teams;
  const matches = validateGoalsData(data, teams);
  const xi = options.xi ?? DEFAULT_XI_PER_DAY;
  const weights = matchWeights(data, xi);
  const prior = teamPrior(teams, options);
  let totalWeight = 0;
  for (let k = 0; k < matches; k++) totalWeight += weights[k]!;
  const scale = 1 / Math.max(totalWeight, 1);
  const nll = dixonColesNegLogLikelihood(data, weights, teams);
  const objective: Objective = (x, g) => {
    const f = nll(x, g);
    if (!Number.isFinite(f)) return f;
    const penalty = addPriorPenalty(x, g, teams, prior);
    // Keep Σ attack = Σ defence = 0: only the zero-sum part of the gradient may move them.
    centreBlock(g, 0, teams);
    centreBlock(g, teams, teams);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
    return (f + penalty) * scale;
  };
  const x0 = initialParameters(data, weights, teams, prior);
  const result = minimizeLbfgs(objective, x0, {
    maxIterations: options.maxIterations ?? 1000,
    gradientTolerance: options.gradientTolerance ?? 1e-7,
  });
  const x = result.x;
  centreBlock(x, 0, teams); // remove rounding drift
  centreBlock(x, teams, teams);
  const L = layout(teams);
  const constant = logFactorialTerms(data, weights, logFactorial);
  const scratch = new Float64Array(x.length);
  const logLikelihood = -nll(x, scratch) - constant;
  const penalty = addPriorPenalty(x, scratch, teams, prior);
  return {
    model: {
      teams,
      attack: x.slice(0, teams),
      defence: x.slice(teams, 2 * teams),
      intercept: x[L.mu]!,
      homeAdvantage: x[L.home]!,
      rho: x[L.extra]!,
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

/** Expected goals (λ_home, λ_away) for a fixture. */
export function dixonColesRates(model: DixonColesModel, home: number, away: number, neutral = false): { home: number; away: number } {
  if (home < 0 || home >= model.teams || away < 0 || away >= model.teams) throw new RangeError('team index out of range');
  return {
    home: Math.exp(model.intercept + (neutral ? 0 : model.homeAdvantage) + model.attack[home]! - model.defence[away]!),
    away: Math.exp(model.intercept + model.attack[away]! - model.defence[home]!),
  };
}

/**
 * The Dixon-Coles joint score distribution for Poisson means (λ, μ) and correction ρ,
 * truncated at maxGoals and renormalised. τ is clipped at 0 where λμρ > 1 would make it
 * negative (far outside fitted ranges).
 */
export function dixonColesMatrix(lambdaHome: number, lambdaAway: number, rho: number, maxGoals = 10): ScoreMatrix {
  const n = maxGoals + 1;
  const ph = poissonPmf(lambdaHome, maxGoals);
  const pa = poissonPmf(lambdaAway, maxGoals);
  const p = new Float64Array(n * n);
  for (let h = 0; h < n; h++) for (let a = 0; a < n; a++) p[h * n + a] = ph[h]! * pa[a]!;
  p[0] = p[0]! * Math.max(0, 1 - lambdaHome * lambdaAway * rho);
  if (n > 1) {
    p[1] = p[1]! * Math.max(0, 1 + lambdaHome * rho); // 0-1
    p[n] = p[n]! * Math.max(0, 1 + lambdaAway * rho); // 1-0
    p[n + 1] = p[n + 1]! * Math.max(0, 1 - rho); // 1-1
  }
  return normaliseScoreMatrix({ maxGoals, p });
}

/** Score matrix for a fixture between two fitted teams. */
export function dixonColesScoreMatrix(
  model: DixonColesModel,
  home: number,
  away: number,
  options: { maxGoals?: number; neutral?: boolean } = {},
): ScoreMatrix {
  const r = dixonColesRates(model, home, away, options.neutral ?? false);
  return dixonColesMatrix(r.home, r.away, model.rho, options.maxGoals ?? 10);
}
