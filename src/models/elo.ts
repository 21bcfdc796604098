// Elo ratings for every sport: a team's rating moves after each game by K · G · (S − E),
// with E = 1 / (1 + 10^(−Δ/400)), Δ = home − away rating + home advantage, S the actual score
// (1, ½, 0) and G a margin-of-victory multiplier; between seasons ratings regress towards
// the mean. Soccer turns Δ into home/draw/away with an ordered logit:
//   P(home) = σ(βx − θ), P(away) = σ(−βx − θ), P(draw) = 1 − both, x = Δ·ln10/400,
// whose θ and β are fitted by maximum likelihood (fitEloDrawModel).
// References: A. Elo (1978), "The Rating of Chessplayers"; FiveThirtyEight's NBA and NFL
// Elo methodology (MOV multipliers ((|MOV|+3)^0.8 / (7.5 + 0.006·Δw)) and
// (ln(|MOV|+1) · 2.2 / (0.001·Δw + 2.2)), season carry-over of 3/4 and 2/3 towards 1505);
// the World Football Elo Ratings (eloratings.net) goal-difference multiplier.
// Assumptions: matches arrive in chronological order; the runner produces each match's
// probabilities from ratings before that match, so any evaluation over its output is
// walk-forward by construction.
import { minimizeLbfgs } from './optimize.js';
import { sigmoid } from './special.js';

export type MovMultiplier = 'none' | 'goal-difference' | 'fivethirtyeight-nba' | 'fivethirtyeight-nfl';

export interface EloDrawModel {
  theta: number;
  beta: number;
}

export interface EloParams {
  k: number;
  /** Home advantage in rating points (not applied at neutral venues). */
  homeAdvantage: number;
  initialRating: number;
  /** Rating the between-season regression pulls towards. */
  meanRating: number;
  /** Fraction of the distance to meanRating removed at each new season (0..1). */
  seasonRegression: number;
  /** Rating for a team first seen after the first season (e.g. promoted into the league). */
  newTeamRating: number;
  mov: MovMultiplier;
  /** Ordered-logit draw model; null for sports without draws. */
  draw: EloDrawModel | null;
}

export type EloSport = 'soccer' | 'basketball' | 'american_football' | 'baseball' | 'ice_hockey';

/** Per-sport starting parameters (published values where they exist; tuned by evaluation). */
export const ELO_SPORT_PARAMS: Record<EloSport, EloParams> = {
  soccer: {
    k: 20,
    homeAdvantage: 65,
    initialRating: 1500,
    meanRating: 1500,
    seasonRegression: 0.2,
    newTeamRating: 1430,
    mov: 'goal-difference',
    draw: { theta: 0.55, beta: 1 },
  },
  basketball: {
    k: 20,
    homeAdvantage: 100,
    initialRating: 1500,
    meanRating: 1505,
    seasonRegression: 0.25,
    newTeamRating: 1300,
    mov: 'fivethirtyeight-nba',
    draw: null,
  },
  american_football: {
    k: 20,
    homeAdvantage: 55,
    initialRating: 1500,
    meanRating: 1505,
    seasonRegression: 1 / 3,
    newTeamRating: 1300,
    mov: 'fivethirtyeight-nfl',
    draw: null,
  },
  baseball: {
    k: 4,
    homeAdvantage: 24,
    initialRating: 1500,
    meanRating: 1500,
    seasonRegression: 1 / 3,
    newTeamRating: 1500,
    mov: 'none',
    draw: null,
  },
  ice_hockey: {
    k: 6,
    homeAdvantage: 50,
    initialRating: 1500,
    meanRating: 1500,
    seasonRegression: 0.3,
    newTeamRating: 1500,
    mov: 'goal-difference',
    draw: null,
  },
};

/** Expected score of the side that is Δ rating points stronger. */
export function eloExpectedScore(diff: number): number {
  return 1 / (1 + 10 ** (-diff / 400));
}

export interface OutcomeProbabilities {
  home: number;
  draw: number;
  away: number;
}

/** Home/draw/away from a rating difference Δ (home advantage already included). */
export function eloOutcomeProbabilities(diff: number, draw: EloDrawModel | null): OutcomeProbabilities {
  if (draw === null) {
    const home = eloExpectedScore(diff);
    return { home, draw: 0, away: 1 - home };
  }
  const x = (diff * Math.LN10) / 400;
  const home = sigmoid(draw.beta * x - draw.theta);
  const away = sigmoid(-draw.beta * x - draw.theta);
  return { home, draw: Math.max(0, 1 - home - away), away };
}

/**
 * Margin-of-victory multiplier G. `winnerDiff` is the winner's rating edge including home
 * advantage (it damps the autocorrelation of favourites winning big).
 */
export function movMultiplier(kind: MovMultiplier, margin: number, winnerDiff: number): number {
  const m = Math.abs(margin);
  switch (kind) {
    case 'none':
      return 1;
    case 'goal-difference':
      return m <= 1 ? 1 : m === 2 ? 1.5 : (11 + m) / 8;
    case 'fivethirtyeight-nba':
      return (m + 3) ** 0.8 / (7.5 + 0.006 * winnerDiff);
    case 'fivethirtyeight-nfl':
      // A tie is scored like a one-point game so it still pulls the ratings together.
      return (Math.log(Math.max(m, 1) + 1) * 2.2) / (winnerDiff * 0.001 + 2.2);
  }
}

/** New (home, away) ratings after a game. */
export function eloUpdate(
  homeRating: number,
  awayRating: number,
  homeScore: number,
  awayScore: number,
  params: EloParams,
  neutral = false,
): { home: number; away: number; delta: number } {
  const diff = homeRating - awayRating + (neutral ? 0 : params.homeAdvantage);
  const expected = eloExpectedScore(diff);
  const actual = homeScore > awayScore ? 1 : homeScore === awayScore ? 0.5 : 0;
  const winnerDiff = homeScore >= awayScore ? diff : -diff;
  const delta = params.k * movMultiplier(params.mov, homeScore - awayScore, winnerDiff) * (actual - expected);
  return { home: homeRating + delta, away: awayRating - delta, delta };
}

export interface EloMatch {
  home: string | number;
  away: string | number;
  season: string;
  /** Sortable time (e.g. epoch ms of kick-off); must not decrease along the list. */
  time: number;
  /** Null for a match without a result yet: predicted, not used for updates. */
  homeScore: number | null;
  awayScore: number | null;
  neutral?: boolean;
}

export interface EloPrediction extends OutcomeProbabilities {
  homeRating: number;
  awayRating: number;
  /** Rating difference including home advantage. */
  diff: number;
}

export interface EloState {
  ratings: Map<string | number, number>;
  season: string | null;
  /** Seasons seen so far (teams first seen after the first get newTeamRating). */
  seasonsSeen: number;
}

export function newEloState(): EloState {
  return { ratings: new Map(), season: null, seasonsSeen: 0 };
}

/**
 * Runs Elo over chronologically sorted matches, returning each match's pre-match
 * probabilities and the final state (pass it back in to continue with later matches).
 */
export function runElo(matches: readonly EloMatch[], params: EloParams, state: EloState = newEloState()): { predictions: EloPrediction[]; state: EloState } {
  const ratings = new Map(state.ratings);
  let season = state.season;
  let seasonsSeen = state.seasonsSeen;
  const predictions: EloPrediction[] = [];
  let lastTime = -Infinity;
  for (const [i, m] of matches.entries()) {
    if (m.time < lastTime) throw new RangeError(`match ${i} is earlier than the match before it; sort chronologically`);
    lastTime = m.time;
    if (m.season !== season) {
      if (season !== null) {
        for (const [team, r] of ratings) ratings.set(team, r + params.seasonRegression * (params.meanRating - r));
      }
      season = m.season;
      seasonsSeen++;
    }
    const fresh = seasonsSeen <= 1 ? params.initialRating : params.newTeamRating;
    const hr = ratings.get(m.home) ?? fresh;
    const ar = ratings.get(m.away) ?? fresh;
    const diff = hr - ar + (m.neutral ? 0 : params.homeAdvantage);
    predictions.push({ homeRating: hr, awayRating: ar, diff, ...eloOutcomeProbabilities(diff, params.draw) });
    if (m.homeScore === null || m.awayScore === null) continue;
    const next = eloUpdate(hr, ar, m.homeScore, m.awayScore, params, m.neutral ?? false);
    ratings.set(m.home, next.home);
    ratings.set(m.away, next.away);
  }
  return { predictions, state: { ratings, season, seasonsSeen } };
}

/**
 * Fits the ordered-logit draw model to rating differences and outcomes (0 home, 1 draw,
 * 2 away) by maximum likelihood; θ is optimised on the log scale so it stays positive.
 */
export function fitEloDrawModel(diffs: Float64Array, outcomes: Uint8Array): EloDrawModel & { logLoss: number; converged: boolean } {
  if (diffs.length !== outcomes.length || diffs.length === 0) throw new RangeError('need matching, non-empty diffs and outcomes');
  const n = diffs.length;
  const result = minimizeLbfgs(
    (p, g) => {
      const beta = p[0]!;
      const theta = Math.exp(p[1]!);
      let nll = 0;
      let gb = 0;
      let gt = 0;
      for (let k = 0; k < n; k++) {
        const x = (diffs[k]! * Math.LN10) / 400;
        const sh = sigmoid(beta * x - theta);
        const sa = sigmoid(-beta * x - theta);
        const o = outcomes[k]!;
        if (o === 0) {
          nll -= Math.log(sh);
          gb -= (1 - sh) * x;
          gt += 1 - sh;
        } else if (o === 2) {
          nll -= Math.log(sa);
          gb += (1 - sa) * x;
          gt += 1 - sa;
        } else {
          const pd = 1 - sh - sa;
          if (!(pd > 0)) return Infinity;
          const dh = sh * (1 - sh);
          const da = sa * (1 - sa);
          nll -= Math.log(pd);
          gb -= (-dh * x + da * x) / pd;
          gt -= (dh + da) / pd;
        }
      }
      g[0] = gb / n;
      g[1] = (gt * theta) / n; // chain rule through θ = e^φ
      return nll / n;
    },
    [1, Math.log(0.55)],
    { gradientTolerance: 1e-9 },
  );
  return { beta: result.x[0]!, theta: Math.exp(result.x[1]!), logLoss: result.value, converged: result.converged };
}
