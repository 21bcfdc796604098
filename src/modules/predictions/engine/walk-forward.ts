// Walk-forward forecasting over a competition's history: matches to predict are taken in
// date order in blocks of `refitDays`; before each block every model is refitted on the
// results dated strictly before the block's first day, then predicts the whole block. Elo
// moves further: it consumes results up to each match's own date. Every fit goes through
// assertNoLookAhead, so a forecast made from data on or after its match's date cannot
// happen silently. The same engine backs `sharpline evaluate` and training's backtest.
import { eloPredict, EloTracker } from './elo.js';
import { forecastFromElo, forecastFromMargin, forecastFromScoreMatrix, type Forecast } from './forecast.js';
import { fitGoalsAt, goalsScoreMatrix } from './goals.js';
import { addDaysTo, dayNumber, isResult, type HistoryMatch, type ResultMatch } from './history.js';
import type { SportSettings } from './params.js';
import { fitMarginAt, marginPrediction, scheduleCovariatesOf } from './points.js';

export const FITTED_KINDS = ['elo', 'dixon-coles', 'bivariate-poisson', 'margin'] as const;
export type FittedKind = (typeof FITTED_KINDS)[number];

export interface WalkForwardInput {
  /** One competition's matches; only results are trained on or predicted. */
  history: readonly HistoryMatch[];
  settings: SportSettings;
  kinds: readonly FittedKind[];
  /** Predict results dated on or after `from` and, when given, before `until`. */
  from: string;
  until?: string;
  refitDays: number;
}

export interface WalkForwardOutput {
  forecasts: Map<FittedKind, Map<number, Forecast>>;
  /** Per predicted match, the data cut-off of the fit that forecast it (its block's first day). */
  cutoffs: Map<number, string>;
  /** Model fits performed (goal and margin models; Elo updates are not fits). */
  fits: number;
  fitMs: number;
  blocks: number;
  /** Matches predicted, each after a passed look-ahead check. */
  predicted: number;
}

export function byDate(a: HistoryMatch, b: HistoryMatch): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id;
}

export function walkForward(input: WalkForwardInput): WalkForwardOutput {
  if (!(input.refitDays >= 1)) throw new RangeError('refitDays must be at least 1 (refit at least weekly means <= 7)');
  const results: ResultMatch[] = input.history.filter(isResult).sort(byDate);
  const fromDay = dayNumber(input.from);
  const untilDay = input.until === undefined ? Infinity : dayNumber(input.until);
  const targets = results.filter((m) => {
    const d = dayNumber(m.date);
    return d >= fromDay && d < untilDay;
  });
  const forecasts = new Map<FittedKind, Map<number, Forecast>>(input.kinds.map((k) => [k, new Map()]));
  const tracker = input.kinds.includes('elo') ? new EloTracker(results, input.settings.elo) : null;
  const calibrationDays = input.settings.goals?.windowDays ?? input.settings.margin?.windowDays ?? 3 * 365;
  const cutoffs = new Map<number, string>();
  let fits = 0;
  let fitMs = 0;
  let blocks = 0;
  let i = 0;
  while (i < targets.length) {
    const cutoff = targets[i]!.date;
    const blockEnd = dayNumber(addDaysTo(cutoff, input.refitDays));
    let j = i;
    while (j < targets.length && dayNumber(targets[j]!.date) < blockEnd) j++;
    const block = targets.slice(i, j);
    blocks++;
    for (const m of block) cutoffs.set(m.id, cutoff);
    for (const kind of input.kinds) {
      if (kind === 'elo') continue;
      const started = performance.now();
      const out = forecasts.get(kind)!;
      if (kind === 'margin') {
        const fit = input.settings.margin ? fitMarginAt(input.history, cutoff, block, input.settings.margin) : null;
        fits += fit ? 1 : 0;
        for (const m of block) {
          const p = fit ? marginPrediction(fit, m.home, m.away, m.neutral, scheduleCovariatesOf(fit.features, input.history, m)) : null;
          if (p) out.set(m.id, forecastFromMargin(p));
        }
      } else {
        const fit = input.settings.goals ? fitGoalsAt(kind, input.history, cutoff, block, input.settings.goals) : null;
        fits += fit ? 1 : 0;
        for (const m of block) {
          const matrix = fit ? goalsScoreMatrix(fit, m.home, m.away, m.neutral) : null;
          if (matrix) out.set(m.id, forecastFromScoreMatrix(matrix));
        }
      }
      fitMs += performance.now() - started;
    }
    if (tracker) {
      tracker.advanceTo(cutoff);
      const calibration = tracker.calibrate(calibrationDays);
      const out = forecasts.get('elo')!;
      for (const m of block) {
        tracker.advanceTo(m.date);
        out.set(m.id, forecastFromElo(eloPredict(tracker.snapshot(calibration), m)));
      }
    }
    i = j;
  }
  return { forecasts, cutoffs, fits, fitMs, blocks, predicted: targets.length };
}
