// The settings the production models and the evaluation use, per sport. They were chosen by
// walk-forward evaluation on early seasons only (soccer ≤ 2014-15, NBA ≤ 2013-14, NFL ≤
// 2004; `npx tsx bench/evaluate.ts --tune`), never on the seasons docs/model-quality.md
// reports as held out. Changing one means re-running that tuning, not the held-out tables.
import { ELO_SPORT_PARAMS, type EloParams } from '../../../models/elo.js';
import { DEFAULT_PROMOTED_PRIOR } from '../../../models/goals-data.js';
import { MARGIN_SPORT_DEFAULTS } from '../../../models/margin.js';
import type { MarginMethod } from '../../../models/market.js';
import type { ScheduleFeature } from '../../../models/schedule.js';

export interface GoalsParams {
  /** Time decay per day. */
  xi: number;
  /** Results older than this many days before the cut-off are left out (~3 seasons). */
  windowDays: number;
  priorPrecision: number;
  promotedPrior: { attack: number; defence: number };
  /**
   * Dixon-Coles fits (1 − b)·goals + b·(conversion × shots on target) instead of the goals
   * where a training result carries shot counts (models/goals-data.ts shotsBlendedTargets);
   * 0 or absent: goals only. Results without shot counts keep their goals.
   */
  shotsBlend?: number;
  /**
   * Dixon-Coles fits (1 − m)·(its target) + m·(the goals the result's closing prices implied)
   * where a training result has closing 1X2 prices (HistoryMatch.marketGoals); 0 or absent:
   * scores (and shots) only. Only results before the cut-off are rows, so the predicted
   * match's own price is never used.
   */
  marketBlend?: number;
}

export interface MarginParams {
  xi: number;
  ridge: number;
  windowDays: number;
  /**
   * Multiplier on the fitted margin and total standard deviations. The fit's residual sd is
   * in-sample; a forecast a week later also carries the drift of team strength since.
   */
  sdScale: number;
  /** Schedule features fitted as game covariates (models/schedule.ts); none when absent. */
  scheduleFeatures?: ScheduleFeature[];
  /** Decay per day of the first-stage fit that estimates their effects (two-stage; see models/margin.ts). */
  covariateXi?: number;
  /**
   * Pool the margin model's win probability with Elo's (logarithmic pool, weights fitted on
   * earlier forecasts only: earlier seasons in evaluation, the backtest in training).
   */
  eloBlend?: boolean;
  /**
   * Fit the ratings to earlier games' closing lines as well as to their results: each training
   * result with a stored closing spread and total adds a market row (models/margin.ts) weighted
   * `weight` × exp(−(xi + this xi)·age), i.e. it fades faster than a result. A line prices what
   * scores do not show yet (injuries, rest, trades) as of that game; the predicted game's own
   * line is never used (only results before the cut-off are rows).
   */
  marketLines?: { weight: number; xi: number };
}

export interface SportSettings {
  elo: EloParams;
  goals: GoalsParams | null;
  margin: MarginParams | null;
  /** Days between refits in walk-forward evaluation and backtests ("at least weekly"). */
  refitDays: number;
  /** Standard deviation (points) turning a closing spread into a win probability when no moneyline exists. */
  spreadSd: number | null;
  /** Last season the settings were tuned on; later seasons are held out. */
  tunedThrough: string | null;
}

/** How bookmaker margins are removed everywhere in predictions and evaluation. */
export const MARGIN_METHOD: MarginMethod = 'shin';

const SOCCER_GOALS: GoalsParams = {
  xi: 0.0019,
  windowDays: 3 * 365,
  priorPrecision: 8,
  promotedPrior: { ...DEFAULT_PROMOTED_PRIOR },
  // Chosen on the Premier League 2003-04..2011-12 (`npx tsx bench/evaluate.ts --tune shots`);
  // leagues whose files carry no shot counts fit goals alone.
  shotsBlend: 0.2,
  // Chosen on the big five's tuning seasons 2012-13..2014-15 (`evaluate --market-blend`): the
  // lowest RPS with every outcome's calibration error under 0.02 (docs/model-quality.md).
  marketBlend: 0.4,
};

const GENERIC_ELO: EloParams = { ...ELO_SPORT_PARAMS.basketball, mov: 'none', homeAdvantage: 50, newTeamRating: 1500 };

export const SPORT_SETTINGS: Record<string, SportSettings> = {
  soccer: { elo: { ...ELO_SPORT_PARAMS.soccer }, goals: SOCCER_GOALS, margin: null, refitDays: 7, spreadSd: null, tunedThrough: '2014-15' },
  basketball: {
    elo: { ...ELO_SPORT_PARAMS.basketball },
    goals: null,
    // Back-to-backs as a fitted covariate, its effect estimated over the whole two-year window
    // (two-stage, covariate decay 0), the win probability pooled with Elo's, and earlier games'
    // closing lines as market rows; all chosen on 2008-09..2013-14 (docs/model-quality.md).
    margin: {
      xi: 0.008,
      ridge: 2,
      windowDays: 2 * 365,
      sdScale: 0.9,
      scheduleFeatures: ['back-to-back'],
      covariateXi: 0,
      eloBlend: true,
      marketLines: { weight: 50, xi: 0.3 },
    },
    refitDays: 1,
    spreadSd: 12,
    tunedThrough: '2013-14',
  },
  american_football: {
    elo: { ...ELO_SPORT_PARAMS.american_football },
    goals: null,
    // Win probability pooled with Elo's and earlier games' closing lines as market rows (chosen
    // on 1985..2004; schedule features did not help there).
    margin: { xi: 0.004, ridge: 6, windowDays: 3 * 365, sdScale: 0.9, eloBlend: true, marketLines: { weight: 30, xi: 0.1 } },
    refitDays: 7,
    // Stern (1991): NFL results around the spread are normal with sd ≈ 13.86 points.
    spreadSd: 13.86,
    tunedThrough: '2004',
  },
  baseball: {
    elo: { ...ELO_SPORT_PARAMS.baseball },
    goals: null,
    margin: { ...MARGIN_SPORT_DEFAULTS.baseball, windowDays: 2 * 365, sdScale: 1 },
    refitDays: 1,
    spreadSd: null,
    tunedThrough: null,
  },
  ice_hockey: { elo: { ...ELO_SPORT_PARAMS.ice_hockey }, goals: null, margin: null, refitDays: 7, spreadSd: null, tunedThrough: null },
};

/** Settings for a sport; sports without their own (tennis, esports...) get a plain Elo. */
export function sportSettings(sport: string, drawsPossible = false): SportSettings {
  const known = SPORT_SETTINGS[sport];
  if (known) return known;
  return {
    elo: { ...GENERIC_ELO, draw: drawsPossible ? { theta: 0.55, beta: 1 } : null },
    goals: null,
    margin: null,
    refitDays: 7,
    spreadSd: null,
    tunedThrough: null,
  };
}
