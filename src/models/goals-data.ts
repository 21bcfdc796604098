// Shared plumbing of the team-strength goal models (Dixon-Coles, bivariate Poisson): the
// match data layout, time-decay weights, the team prior (ridge shrinkage towards 0 for
// established teams and towards a promoted-team prior for teams flagged as promoted), and
// the parameter vector layout with its sum-to-zero constraint.
//
// Parameterisation (both models): log λ_home = μ + h + attack[home] − defence[away] and
// log λ_away = μ + attack[away] − defence[home], so a positive defence concedes fewer goals.
// Σ attack = 0 and Σ defence = 0 identify the model (μ carries the league's scoring level).
// The constraint is kept exactly by projecting the attack and defence gradients onto the
// zero-sum subspace: L-BFGS directions are combinations of gradients, so iterates that
// start centred stay centred.

/** Matches as parallel typed arrays; indices are 0..teams-1. */
export interface GoalsData {
  home: Int32Array;
  away: Int32Array;
  homeGoals: Int32Array;
  awayGoals: Int32Array;
  /** Days between each match and the fit's reference time (weight = exp(-ξ·age)). */
  ageDays?: Float64Array;
  /** Explicit weights; used instead of ageDays when given. */
  weight?: Float64Array;
  /** 1 where the match is at a neutral venue (no home advantage). */
  neutral?: Uint8Array;
  /**
   * What the Poisson part of the likelihood fits instead of the goals, when given (Dixon-Coles
   * only): a less noisy measure of each side's scoring on the goals' scale, e.g. goals blended
   * with shots on target × the league's conversion rate (shotsBlendedTargets). The low-score
   * correction ρ still sees the real goals. The fit is then a quasi-likelihood: its reported
   * log-likelihood is not comparable with a goals-only fit's.
   */
  homeTarget?: Float64Array;
  awayTarget?: Float64Array;
}

export interface TeamPriorOptions {
  /** Ridge precision τ: the penalty is τ/2 Σ (attack − prior)² + (defence − prior)². */
  priorPrecision?: number;
  /** Teams new to the league this window (e.g. promoted), shrunk towards promotedPrior. */
  promoted?: ArrayLike<boolean | number>;
  /** Prior means for promoted teams, relative to the league average (log scale). */
  promotedPrior?: { attack: number; defence: number };
}

export interface GoalsFitOptions extends TeamPriorOptions {
  teams: number;
  /** Exponential time decay per day (Dixon & Coles 1997 used 0.0065 per half-week ≈ 0.0019/day). */
  xi?: number;
  maxIterations?: number;
  gradientTolerance?: number;
}

export interface FitDiagnostics {
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
  /** Weighted log-likelihood at the optimum (without the prior). */
  logLikelihood: number;
  /** Weighted log-likelihood plus the log prior (the maximised objective). */
  penalisedLogLikelihood: number;
  /** max|∇| of the normalised objective at the optimum. */
  gradientNorm: number;
  matches: number;
  /** Σ weights: the number of matches the decayed likelihood is worth. */
  effectiveMatches: number;
}

export const DEFAULT_XI_PER_DAY = 0.0019;
export const DEFAULT_PRIOR_PRECISION = 4;
export const DEFAULT_PROMOTED_PRIOR = { attack: -0.2, defence: -0.2 } as const;

/** Checks shapes and indices; throws RangeError on the first problem. */
export function validateGoalsData(data: GoalsData, teams: number): number {
  const n = data.home.length;
  const arrays: [string, ArrayLike<number> | undefined][] = [
    ['away', data.away],
    ['homeGoals', data.homeGoals],
    ['awayGoals', data.awayGoals],
    ['ageDays', data.ageDays],
    ['weight', data.weight],
    ['neutral', data.neutral],
    ['homeTarget', data.homeTarget],
    ['awayTarget', data.awayTarget],
  ];
  for (const [name, a] of arrays) {
    if (a !== undefined && a.length !== n) throw new RangeError(`${name} has ${a.length} entries, expected ${n}`);
  }
  if (!Number.isInteger(teams) || teams < 2) throw new RangeError(`teams must be an integer >= 2, got ${teams}`);
  for (let k = 0; k < n; k++) {
    const h = data.home[k]!;
    const a = data.away[k]!;
    if (h < 0 || h >= teams || a < 0 || a >= teams || h === a) throw new RangeError(`match ${k}: bad team indices ${h}, ${a}`);
    if (data.homeGoals[k]! < 0 || data.awayGoals[k]! < 0) throw new RangeError(`match ${k}: negative goals`);
    if (data.homeTarget && !(data.homeTarget[k]! >= 0)) throw new RangeError(`match ${k}: homeTarget must be >= 0`);
    if (data.awayTarget && !(data.awayTarget[k]! >= 0)) throw new RangeError(`match ${k}: awayTarget must be >= 0`);
  }
  return n;
}

/**
 * Goals blended with shots on target: target = (1 − b)·goals + b·c·shots on target, where c is
 * the weighted conversion rate (Σ goals / Σ shots on target) over the matches that have shot
 * counts. A match without shot counts (NaN) keeps its goals. b = 0 gives the goals back.
 * Shots are a less noisy signal of how well a side played than the goals they produced
 * (roughly a third of shots on target are scored, so one match gives ~3× the observations).
 */
export function shotsBlendedTargets(
  goals: ArrayLike<number>,
  shotsOnTarget: ArrayLike<number>,
  weights: ArrayLike<number>,
  blend: number,
): { target: Float64Array; conversion: number | null } {
  if (!(blend >= 0 && blend <= 1)) throw new RangeError('shots blend must be in [0, 1]');
  const n = goals.length;
  if (shotsOnTarget.length !== n || weights.length !== n) throw new RangeError('goals, shots and weights must have one entry per match');
  let g = 0;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const sot = shotsOnTarget[k]!;
    if (!Number.isFinite(sot)) continue;
    g += weights[k]! * goals[k]!;
    s += weights[k]! * sot;
  }
  const conversion = s > 0 ? g / s : null;
  const target = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const sot = shotsOnTarget[k]!;
    target[k] = conversion !== null && Number.isFinite(sot) ? (1 - blend) * goals[k]! + blend * conversion * sot : goals[k]!;
  }
  return { target, conversion };
}

/** Per-match weights from explicit weights or from ages and ξ. */
export function matchWeights(data: GoalsData, xi: number): Float64Array {
  const n = data.home.length;
  if (data.weight) {
    for (let k = 0; k < n; k++) if (!(data.weight[k]! >= 0)) throw new RangeError(`match ${k}: weight must be >= 0`);
    return Float64Array.from(data.weight);
  }
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const age = data.ageDays ? data.ageDays[k]! : 0;
    if (!(age >= 0)) throw new RangeError(`match ${k}: age must be >= 0 (a match after the reference time is look-ahead)`);
    w[k] = Math.exp(-xi * age);
  }
  return w;
}

export interface TeamPrior {
  precision: number;
  attack: Float64Array;
  defence: Float64Array;
}

/** Prior means per team: 0 (league average) unless flagged promoted. */
export function teamPrior(teams: number, options: TeamPriorOptions): TeamPrior {
  const precision = options.priorPrecision ?? DEFAULT_PRIOR_PRECISION;
  if (!(precision >= 0)) throw new RangeError('priorPrecision must be >= 0');
  const attack = new Float64Array(teams);
  const defence = new Float64Array(teams);
  const pp = options.promotedPrior ?? DEFAULT_PROMOTED_PRIOR;
  if (options.promoted) {
    if (options.promoted.length !== teams) throw new RangeError('promoted must have one flag per team');
    for (let t = 0; t < teams; t++) {
      if (options.promoted[t]) {
        attack[t] = pp.attack;
        defence[t] = pp.defence;
      }
    }
  }
  return { precision, attack, defence };
}

/** Adds τ/2 Σ (θ − prior)² to the objective and its gradient; returns the penalty. */
export function addPriorPenalty(x: Float64Array, grad: Float64Array, teams: number, prior: TeamPrior): number {
  let pen = 0;
  const tau = prior.precision;
  if (tau === 0) return 0;
  for (let t = 0; t < teams; t++) {
    const da = x[t]! - prior.attack[t]!;
    const dd = x[teams + t]! - prior.defence[t]!;
    pen += da * da + dd * dd;
    grad[t] = grad[t]! + tau * da;
    grad[teams + t] = grad[teams + t]! + tau * dd;
  }
  return 0.5 * tau * pen;
}

/** Removes the mean of x[from..from+len) in place (projection onto Σ = 0). */
export function centreBlock(x: Float64Array, from: number, len: number): void {
  let s = 0;
  for (let i = from; i < from + len; i++) s += x[i]!;
  const m = s / len;
  for (let i = from; i < from + len; i++) x[i] = x[i]! - m;
}

/** Index of the intercept, home advantage and model-specific extra in the parameter vector. */
export function layout(teams: number): { mu: number; home: number; extra: number; size: number } {
  return { mu: 2 * teams, home: 2 * teams + 1, extra: 2 * teams + 2, size: 2 * teams + 3 };
}

/** Starting point: league-average teams, μ and h from the mean home and away goals. */
export function initialParameters(data: GoalsData, weights: Float64Array, teams: number, prior: TeamPrior): Float64Array {
  const L = layout(teams);
  const x = new Float64Array(L.size);
  let w = 0;
  let hg = 0;
  let ag = 0;
  for (let k = 0; k < weights.length; k++) {
    w += weights[k]!;
    hg += weights[k]! * data.homeGoals[k]!;
    ag += weights[k]! * data.awayGoals[k]!;
  }
  const meanHome = w > 0 ? Math.max(hg / w, 0.1) : 1.5;
  const meanAway = w > 0 ? Math.max(ag / w, 0.1) : 1.1;
  x[L.mu] = Math.log(meanAway);
  x[L.home] = Math.log(meanHome / meanAway);
  // Start teams at their prior means (centred), so a team with no data starts where it ends.
  x.set(prior.attack, 0);
  x.set(prior.defence, teams);
  centreBlock(x, 0, teams);
  centreBlock(x, teams, teams);
  return x;
}

/** Constant Σ w (log x! + log y!) part of a Poisson-type log-likelihood. */
export function logFactorialTerms(data: GoalsData, weights: Float64Array, logFactorial: (k: number) => number): number {
  let s = 0;
  for (let k = 0; k < weights.length; k++) s += weights[k]! * (logFactorial(data.homeGoals[k]!) + logFactorial(data.awayGoals[k]!));
  return s;
}
