// The common shape every forecaster reduces to — home/draw/away probabilities plus a
// predicted margin (as a home handicap) and total — for the models, for the bookmaker
// market with its margin removed, and for the stacked blend of model and market.
// Points sports have two classes (home, away): a drawn NFL game is left out of scoring.
import { fitStackedEnsemble, predictStackedEnsemble } from '../../../models/ensemble.js';
import { outcome1x2, expectedGoals, type ScoreMatrix } from '../../../models/markets.js';
import { removeMargin, type MarginMethod } from '../../../models/market.js';
import type { MarginPrediction } from '../../../models/margin.js';
import { normalCdf } from '../../../models/special.js';
import { logLossPerItem, rpsPerItem } from '../../../models/metrics.js';
import type { EloForecast } from './elo.js';

export interface Forecast {
  home: number;
  draw: number;
  away: number;
  /** Home handicap that makes the match even (−expected margin); null when the forecaster has none. */
  spread: number | null;
  total: number | null;
}

export function forecastFromScoreMatrix(m: ScoreMatrix): Forecast {
  const o = outcome1x2(m);
  const xg = expectedGoals(m);
  return { ...o, spread: -(xg.home - xg.away), total: xg.total };
}

export function forecastFromMargin(p: MarginPrediction): Forecast {
  return { home: p.homeWin, draw: 0, away: p.awayWin, spread: p.spread, total: p.expectedTotal };
}

export function forecastFromElo(f: EloForecast): Forecast {
  return { home: f.home, draw: f.draw, away: f.away, spread: f.spread, total: f.total };
}

/** Decimal prices of one market phase; draw null for two-way markets (moneyline). */
export interface Quote {
  home: number;
  draw: number | null;
  away: number;
  /** Home handicap and total line, when the phase has them (US closing lines). */
  spreadLine?: number | null;
  totalLine?: number | null;
  /** Bookmaker code the prices came from. */
  bookmaker?: string;
}

export interface MarketForecast extends Forecast {
  overround: number | null;
  method: MarginMethod | 'spread-normal';
}

/** The market's forecast from 1X2 or moneyline prices, margin removed by `method`. */
export function marketForecast(q: Quote, method: MarginMethod): MarketForecast {
  const prices = q.draw === null ? [q.home, q.away] : [q.home, q.draw, q.away];
  const d = removeMargin(prices, method);
  const p = d.probabilities;
  const spread = q.spreadLine ?? null;
  const total = q.totalLine ?? null;
  return q.draw === null
    ? { home: p[0]!, draw: 0, away: p[1]!, spread, total, overround: d.overround, method }
    : { home: p[0]!, draw: p[1]!, away: p[2]!, spread, total, overround: d.overround, method };
}

/** Win probability implied by a closing spread alone: P(home) = Φ(−line / sd) (Stern 1991). */
export function spreadForecast(homeLine: number, sd: number, totalLine: number | null): MarketForecast {
  const home = normalCdf(-homeLine / sd);
  return { home, draw: 0, away: 1 - home, spread: homeLine, total: totalLine, overround: null, method: 'spread-normal' };
}

export function classesOf(f: Forecast, classes: 2 | 3): number[] {
  if (classes === 3) return [f.home, f.draw, f.away];
  const s = f.home + f.away;
  return [f.home / s, f.away / s];
}

/** 0 home, 1 draw, 2 away (3 classes); 0 home, 1 away (2 classes; null for a draw). */
export function outcomeClass(homeScore: number, awayScore: number, classes: 2 | 3): number | null {
  if (homeScore > awayScore) return 0;
  if (homeScore === awayScore) return classes === 3 ? 1 : null;
  return classes === 3 ? 2 : 1;
}

export interface EnsembleWeights {
  classes: 2 | 3;
  /** What each weight multiplies (log p of): model kinds, then 'market'. */
  sources: string[];
  weights: number[];
  intercepts: number[];
  trainingRows: number;
  trainingLogLoss: number;
  converged: boolean;
  /** Laplace standard error of each weight (same order as `weights`), when the fit has one. */
  standardErrors?: number[];
  /** The prior the weights were shrunk towards, when the blend includes the market. */
  prior?: { mean: number[]; precision: number };
}

export interface EnsembleRow {
  /** One probability vector per source, in the order of `sources`. */
  inputs: number[][];
  outcome: number;
}

/** Minimum earlier rows before a blend is fitted; with fewer there is no ensemble. */
export const MIN_ENSEMBLE_ROWS = 300;

/**
 * Precision of the prior on a blend that includes the market (issue 17): the market's weight
 * starts at 1, every model's at 0, each with prior sd 1/√τ on the summed log-likelihood. Chosen
 * on the big five's tuning seasons only (through 2014-15; docs/model-quality.md,
 * `sharpline evaluate --seasons 2012-13..2014-15 --ensemble-prior τ`, grid in docs/model-quality.md).
 */
export const ENSEMBLE_PRIOR_PRECISION = 1000;

/**
 * Fits the blend. No per-class intercepts: on the tuning seasons they only added noise (the
 * de-margined market carries no draw bias worth correcting); see docs/model-quality.md.
 * When one source is 'market' the weights are shrunk towards "the market alone" with
 * `priorPrecision` (default ENSEMBLE_PRIOR_PRECISION), so a model earns weight only as the
 * evidence for it grows; without a market source (the margin–Elo pool) a weak ridge towards
 * an equal split is used, as before.
 */
export function fitEnsemble(rows: readonly EnsembleRow[], classes: 2 | 3, sources: string[], priorPrecision: number = ENSEMBLE_PRIOR_PRECISION): EnsembleWeights | null {
  if (rows.length < MIN_ENSEMBLE_ROWS) return null;
  const n = rows.length;
  const matrices = sources.map(() => new Float64Array(n * classes));
  const outcomes = new Uint8Array(n);
  rows.forEach((r, i) => {
    if (r.inputs.length !== sources.length) throw new RangeError(`row ${i} has ${r.inputs.length} sources, expected ${sources.length}`);
    r.inputs.forEach((p, s) => matrices[s]!.set(p, i * classes));
    outcomes[i] = r.outcome;
  });
  const prior = sources.includes('market') ? { mean: sources.map((s) => (s === 'market' ? 1 : 0)), precision: priorPrecision } : undefined;
  const fit = fitStackedEnsemble({ classes, sources: matrices, outcomes }, { intercepts: false, ...(prior ? { prior } : {}) });
  return {
    classes,
    sources,
    weights: Array.from(fit.weights),
    intercepts: Array.from(fit.intercepts),
    trainingRows: fit.trainingRows,
    trainingLogLoss: fit.trainingLogLoss,
    converged: fit.converged,
    ...(fit.standardErrors ? { standardErrors: Array.from(fit.standardErrors) } : {}),
    ...(prior ? { prior } : {}),
  };
}

export function applyEnsemble(w: EnsembleWeights, inputs: number[][]): number[] {
  return Array.from(
    predictStackedEnsemble(
      { classes: w.classes, weights: Float64Array.from(w.weights), intercepts: Float64Array.from(w.intercepts), trainingLogLoss: w.trainingLogLoss, trainingRows: w.trainingRows, converged: w.converged, iterations: 0 },
      inputs,
    ),
  );
}

/** The blend of `inputs` (in the order of w.sources); margin and total come from `main`, the market has no goal spread. */
export function ensembleForecast(w: EnsembleWeights, inputs: Forecast[], main: Forecast): Forecast {
  // The market alone (a closed gate): its probabilities as they are, not re-normalised through
  // the pool's logarithms (which would move them by rounding, ~1e-16, in one direction).
  const m = w.sources.indexOf('market');
  if (m >= 0 && w.weights.every((x, i) => x === (i === m ? 1 : 0)) && w.intercepts.every((x) => x === 0)) {
    const f = inputs[m]!;
    return w.classes === 3 ? { home: f.home, draw: f.draw, away: f.away, spread: main.spread, total: main.total } : { home: f.home, draw: 0, away: f.away, spread: main.spread, total: main.total };
  }
  const p = applyEnsemble(
    w,
    inputs.map((f) => classesOf(f, w.classes)),
  );
  return w.classes === 3
    ? { home: p[0]!, draw: p[1]!, away: p[2]!, spread: main.spread, total: main.total }
    : { home: p[0]!, draw: 0, away: p[1]!, spread: main.spread, total: main.total };
}

/**
 * The out-of-sample gate in front of a blend that includes the market (issue 17, "falling back
 * to the market"): the blend is used only where its own earlier out-of-sample forecasts beat
 * the market's on the same matches by more than ENSEMBLE_GATE_SE standard errors of the paired
 * loss difference (RPS for three-way outcomes, log loss for two-way), with at least
 * MIN_ENSEMBLE_ROWS of them; otherwise the ensemble is the market alone. The same
 * one-standard-error rule as the settings choice (engine/settings-selection.ts).
 */
export const ENSEMBLE_GATE_SE = 1;

export interface EnsembleGate {
  open: boolean;
  /** Out-of-sample rows the decision was made on. */
  n: number;
  /** Mean blend − market loss on them (negative: the blend did better) and its standard error. */
  diff: number | null;
  se: number | null;
  loss: 'rps' | 'log_loss';
  reason: string;
}

/** Loss of one probability vector (classes 2 or 3) against the outcome class (models/metrics.ts). */
export function rowLoss(p: readonly number[], outcome: number, classes: 2 | 3): number {
  const f = { classes, probabilities: Float64Array.from(p), outcomes: Uint8Array.of(outcome) };
  return (classes === 2 ? logLossPerItem(f) : rpsPerItem(f))[0]!;
}

export function ensembleGate(blendLoss: readonly number[], marketLoss: readonly number[], classes: 2 | 3, minRows = MIN_ENSEMBLE_ROWS): EnsembleGate {
  const loss = classes === 3 ? 'rps' : 'log_loss';
  const n = blendLoss.length;
  if (n !== marketLoss.length) throw new RangeError('blend and market losses must pair up');
  if (n < minRows) return { open: false, n, diff: null, se: null, loss, reason: `fewer than ${minRows} out-of-sample rows to test the blend on: the market alone` };
  let d = 0;
  for (let i = 0; i < n; i++) d += blendLoss[i]! - marketLoss[i]!;
  const diff = d / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (blendLoss[i]! - marketLoss[i]! - diff) ** 2;
  const se = Math.sqrt(v / (n - 1) / n);
  const open = diff + ENSEMBLE_GATE_SE * se < 0;
  return {
    open,
    n,
    diff,
    se,
    loss,
    reason: open
      ? `the blend beat the market out of sample by ${(-diff).toPrecision(2)} ${loss} (more than ${ENSEMBLE_GATE_SE} standard error ${se.toPrecision(2)})`
      : `the blend did not beat the market out of sample by more than ${ENSEMBLE_GATE_SE} standard error: the market alone`,
  };
}

/** The same blend with all weight on the market (what a closed gate serves). */
export function marketAlone(w: EnsembleWeights): EnsembleWeights {
  if (!w.sources.includes('market')) throw new RangeError('the blend has no market source');
  return { ...w, weights: w.sources.map((s) => (s === 'market' ? 1 : 0)), intercepts: w.intercepts.map(() => 0) };
}

/** Sources of the margin model's Elo blend, in order. */
export const ELO_BLEND_SOURCES = ['margin', 'elo'];

/** One earlier forecast pair and its outcome; draws (no two-way outcome) are left out. */
export function eloBlendRow(margin: Forecast, elo: Forecast, homeScore: number, awayScore: number): EnsembleRow | null {
  const outcome = outcomeClass(homeScore, awayScore, 2);
  return outcome === null ? null : { inputs: [classesOf(margin, 2), classesOf(elo, 2)], outcome };
}

/** Fits the margin–Elo pool on earlier forecasts; null with fewer than MIN_ENSEMBLE_ROWS of them. */
export function fitEloBlend(rows: readonly EnsembleRow[]): EnsembleWeights | null {
  return fitEnsemble(rows, 2, ELO_BLEND_SOURCES);
}

/** The margin forecast with its win probability pooled with Elo's; spread and total stay the margin model's. */
export function applyEloBlend(w: EnsembleWeights, margin: Forecast, elo: Forecast): Forecast {
  return ensembleForecast(w, [margin, elo], margin);
}
