// tier1 player props: each player's count stats (goals, assists, cards, shots where the
// data has them) as independent Poisson processes in playing time with a per-90 rate.
//
// Rates are shrunk hierarchically with conjugate Gamma priors (empirical Bayes; the
// Gamma–Poisson model of Gelman et al., Bayesian Data Analysis 3rd ed. §2.6 and §5.3):
//   position level  m_pos = league-wide pooled rate of the position (counts / 90s),
//   team level      m_pt  = (κ_team·m_pos + Y_pt) / (κ_team + E_pt)   (position within team),
//   player          λ | data ~ Gamma(κ_player·m_pt + y, κ_player + e),
// where y is the player's (time-decayed) count, e his exposure in 90-minute units and the
// κ are prior strengths in 90s, so a player with three appearances stays near his
// position-in-team rate. Goals and assists are scaled by the opponent: the match model's
// expected team goals over the team's baseline (its expected goals against an average
// side at a neutral venue), i.e. the player keeps his share of his team's goals. Minutes
// are a mixture over the player's recent appearances (conditional on appearing, the way
// props settle), and the prop probability is the negative binomial predictive averaged
// over that mixture; the credible interval comes from the Gamma posterior's quantiles.
import { gammaQuantile, negBinOver, negBinZero, type RatePosterior } from './gamma.js';

export type PropStat = 'goals' | 'assists' | 'cards' | 'shots';

/** A count and its exposure in 90-minute units (both possibly time-decayed). */
export interface CountHistory {
  count: number;
  exposure90: number;
}

export interface ShrinkageOptions {
  /** Prior strength of the position-in-team rate on a player, in 90s. */
  playerStrength: number;
  /** Prior strength of the league position rate on a position-in-team, in 90s. */
  teamStrength: number;
}

export const DEFAULT_SHRINKAGE: ShrinkageOptions = { playerStrength: 10, teamStrength: 30 };

/** The player's Gamma posterior over his per-90 rate. */
export function hierarchicalPosterior(
  player: CountHistory,
  positionInTeam: CountHistory,
  position: CountHistory,
  options: ShrinkageOptions = DEFAULT_SHRINKAGE,
): RatePosterior {
  if (!(position.exposure90 > 0)) throw new RangeError('the position level needs positive exposure');
  // A floor keeps the Gamma shape positive for a stat nobody in the position has recorded.
  const mPos = Math.max(position.count / position.exposure90, 1e-4);
  const mTeam = (options.teamStrength * mPos + positionInTeam.count) / (options.teamStrength + positionInTeam.exposure90);
  return {
    shape: options.playerStrength * mTeam + player.count,
    rate: options.playerStrength + player.exposure90,
  };
}

export function posteriorMean(post: RatePosterior): number {
  return post.shape / post.rate;
}

/** One possible minutes outcome and its weight (weights sum to 1). */
export interface MinutesScenario {
  minutes: number;
  weight: number;
}

/**
 * Minutes given that the player appears: his last `window` appearances (most recent first),
 * equally weighted, padded with `fallback` minutes when he has fewer.
 */
export function minutesScenarios(recentMinutes: readonly number[], window = 6, fallback = 60): MinutesScenario[] {
  const used = recentMinutes.filter((m) => m > 0).slice(0, window);
  const out = used.map((minutes) => ({ minutes: Math.min(minutes, 120), weight: 1 / window }));
  if (used.length < window) out.push({ minutes: fallback, weight: (window - used.length) / window });
  return out;
}

export function expectedMinutes(scenarios: readonly MinutesScenario[]): number {
  let s = 0;
  for (const sc of scenarios) s += sc.minutes * sc.weight;
  return s;
}

/**
 * Multiplier of a player's attacking rates in this match: (λ_team / baseline)^damping where
 * λ_team is the match model's expected goals for his team and baseline its expected goals
 * against an average team at a neutral venue.
 */
export function opponentFactor(expectedTeamGoals: number, baselineTeamGoals: number, damping = 1): number {
  if (!(expectedTeamGoals > 0 && baselineTeamGoals > 0)) throw new RangeError('expected goals must be positive');
  return Math.pow(expectedTeamGoals / baselineTeamGoals, damping);
}

export interface PropPrediction {
  /** P(count > line) under the posterior predictive. */
  probability: number;
  /** Credible interval for the probability (level `level`) from the rate posterior. */
  lower: number;
  upper: number;
  /** Posterior standard deviation of the probability. */
  uncertainty: number;
  /** Expected count in the match. */
  expected: number;
}

export interface PropOptions {
  /** Over line; 0.5 is "at least one" (anytime scorer, to be carded). */
  line?: number;
  /** Rate multiplier (opponent adjustment); 1 for cards. */
  factor?: number;
  /** Credible level of the interval. */
  level?: number;
  /** Skip the quantile search when only the probability is needed (evaluation loops). */
  interval?: boolean;
}

function poissonOver(mean: number, line: number): number {
  let term = Math.exp(-mean);
  let cdf = term;
  for (let k = 1; k <= Math.floor(line); k++) {
    term *= mean / k;
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}

/** P(count > line) for a known rate, averaged over the minutes mixture. */
function overGivenRate(rate: number, scenarios: readonly MinutesScenario[], factor: number, line: number): number {
  let p = 0;
  for (const s of scenarios) p += s.weight * poissonOver((rate * factor * s.minutes) / 90, line);
  return p;
}

export function propProbability(post: RatePosterior, scenarios: readonly MinutesScenario[], options: PropOptions = {}): PropPrediction {
  const line = options.line ?? 0.5;
  const factor = options.factor ?? 1;
  const level = options.level ?? 0.9;
  let probability = 0;
  for (const s of scenarios) probability += s.weight * negBinOver(post, (factor * s.minutes) / 90, line);
  const expected = (posteriorMean(post) * factor * expectedMinutes(scenarios)) / 90;
  let uncertainty: number;
  if (line < 1) {
    // Closed form: p(λ) = 1 − Σ_j w_j e^{−λ t_j}, and E[e^{−λ s}] = (b / (b + s))^a.
    let second = 0;
    for (const s of scenarios) {
      for (const r of scenarios) second += s.weight * r.weight * negBinZero(post, (factor * (s.minutes + r.minutes)) / 90);
    }
    const meanZero = 1 - probability;
    uncertainty = Math.sqrt(Math.max(0, second - meanZero * meanZero));
  } else {
    uncertainty = NaN;
  }
  let lower = probability;
  let upper = probability;
  if (options.interval !== false) {
    const tail = (1 - level) / 2;
    lower = overGivenRate(gammaQuantile(tail, post.shape, post.rate), scenarios, factor, line);
    upper = overGivenRate(gammaQuantile(1 - tail, post.shape, post.rate), scenarios, factor, line);
    // Beyond the closed form, a normal-equivalent width stands in for the standard deviation.
    if (Number.isNaN(uncertainty)) uncertainty = (upper - lower) / (2 * 1.6448536269514722);
  } else if (Number.isNaN(uncertainty)) {
    uncertainty = 0;
  }
  return { probability, lower, upper, uncertainty, expected };
}

/** tier1 treats legs as independent: the joint probability is the product. */
export function independentJoint(probabilities: readonly number[]): number {
  let p = 1;
  for (const q of probabilities) {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`probability out of range: ${q}`);
    p *= q;
  }
  return p;
}
