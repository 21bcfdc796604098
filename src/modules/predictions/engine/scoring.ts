// Scores a set of forecasts against results with the metrics of models/metrics.ts: log
// loss, Brier, RPS, accuracy, expected calibration error per outcome (10 equal-width bins),
// and MAE of the predicted margin and total. Two-class sports leave drawn games out.
import {
  accuracy,
  brierPerItem,
  calibration,
  calibrationInterval,
  logLossPerItem,
  type CalibrationInterval,
  rpsPerItem,
  type Forecasts,
} from '../../../models/metrics.js';
import { classesOf, outcomeClass, type Forecast } from './forecast.js';

export interface ScoredItem {
  forecast: Forecast;
  homeScore: number;
  awayScore: number;
}

export interface MetricSet {
  n: number;
  log_loss: number | null;
  brier: number | null;
  rps: number | null;
  accuracy: number | null;
  /** ECE per outcome: [home, draw, away] or [home, away]. */
  ece: number[];
  spread_mae: number | null;
  total_mae: number | null;
}

export interface PerItemScores {
  log_loss: Float64Array;
  brier: Float64Array;
  rps: Float64Array;
  /** NaN where the forecaster has no margin. */
  spread_error: Float64Array;
  total_error: Float64Array;
}

const mean = (x: Float64Array): number | null => {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n === 0 ? null : s / n;
};

function toForecasts(items: readonly ScoredItem[], classes: 2 | 3): { f: Forecasts; kept: ScoredItem[] } {
  const kept = items.filter((i) => outcomeClass(i.homeScore, i.awayScore, classes) !== null);
  const probabilities = new Float64Array(kept.length * classes);
  const outcomes = new Uint8Array(kept.length);
  kept.forEach((it, r) => {
    probabilities.set(classesOf(it.forecast, classes), r * classes);
    outcomes[r] = outcomeClass(it.homeScore, it.awayScore, classes)!;
  });
  return { f: { classes, probabilities, outcomes }, kept };
}

export function perItemScores(items: readonly ScoredItem[], classes: 2 | 3): PerItemScores {
  const { f, kept } = toForecasts(items, classes);
  const spread = new Float64Array(kept.length);
  const total = new Float64Array(kept.length);
  kept.forEach((it, r) => {
    const margin = it.homeScore - it.awayScore;
    spread[r] = it.forecast.spread === null ? NaN : Math.abs(-it.forecast.spread - margin);
    total[r] = it.forecast.total === null ? NaN : Math.abs(it.forecast.total - (it.homeScore + it.awayScore));
  });
  return { log_loss: logLossPerItem(f), brier: brierPerItem(f), rps: rpsPerItem(f), spread_error: spread, total_error: total };
}

export function scoreSet(items: readonly ScoredItem[], classes: 2 | 3): MetricSet {
  const { f, kept } = toForecasts(items, classes);
  if (kept.length === 0) return { n: 0, log_loss: null, brier: null, rps: null, accuracy: null, ece: [], spread_mae: null, total_mae: null };
  const per = perItemScores(kept, classes);
  return {
    n: kept.length,
    log_loss: mean(per.log_loss),
    brier: mean(per.brier),
    rps: mean(per.rps),
    accuracy: accuracy(f),
    ece: calibration(f, 10).map((c) => c.ece),
    spread_mae: mean(per.spread_error),
    total_mae: mean(per.total_error),
  };
}

/** ECE per outcome with its bootstrap interval and the band a calibrated forecaster would show. */
export function calibrationIntervals(items: readonly ScoredItem[], classes: 2 | 3, options: { resamples?: number; seed?: number } = {}): CalibrationInterval[] {
  const { f } = toForecasts(items, classes);
  return calibrationInterval(f, { bins: 10, ...options });
}
