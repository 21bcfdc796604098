// Fitting the points-sports margin model (NBA, NFL, MLB) at a cut-off date and storing it:
// decayed ridge ratings from results strictly before the cut-off (see models/margin.ts), with
// the sport's schedule features (rest, back-to-backs; models/schedule.ts) as game covariates.
// Those come from the dates of each team's earlier games in the stored schedule — results and
// fixtures alike — so an upcoming game gets them exactly as a played one did. With the sport's
// `marketLines`, the closing lines of the training results join them as market rows.
import { fitMarginModel, predictMargin, type MarginFit, type MarginModel, type MarginPrediction, type PointsData } from '../../../models/margin.js';
import { RestIndex, scheduleCovariates, type ScheduleFeature } from '../../../models/schedule.js';
import type { EnsembleWeights } from './forecast.js';
import { windowOf, type TrainingWindow } from './goals.js';
import { assertNoLookAhead, dayNumber, resultsBefore, TeamIndex, type HistoryMatch } from './history.js';
import type { MarginParams } from './params.js';

export interface FittedMargin {
  teams: TeamIndex;
  model: MarginModel;
  /** Schedule features behind model.covariateEffects, in order. */
  features: ScheduleFeature[];
  /** Weights pooling the win probability with Elo's (fitted on the training backtest), when the sport blends. */
  eloBlend?: EnsembleWeights | null;
  /** The market-row settings the ratings were fitted with, when closing lines took part. */
  marketLines?: { weight: number; xi: number } | null;
  diagnostics: MarginFit['diagnostics'];
  window: TrainingWindow;
}

export const MIN_MARGIN_RESULTS = 60;

const restIndexes = new WeakMap<readonly HistoryMatch[], RestIndex>();

/** The rest lookup over a competition's schedule: every match not postponed or cancelled. Cached per array. */
export function restIndexOf(schedule: readonly HistoryMatch[]): RestIndex {
  let index = restIndexes.get(schedule);
  if (!index) {
    index = new RestIndex(schedule.filter((m) => !m.cancelled).map((m) => ({ day: dayNumber(m.date), home: m.home, away: m.away })));
    restIndexes.set(schedule, index);
  }
  return index;
}

const covariateCache = new WeakMap<readonly HistoryMatch[], Map<string, number[]>>();

/** A match's schedule covariates for `features`, from the dates of the teams' earlier games in `schedule` (cached per array). */
export function scheduleCovariatesOf(features: readonly ScheduleFeature[], schedule: readonly HistoryMatch[], m: HistoryMatch): readonly number[] {
  if (features.length === 0) return [];
  let cache = covariateCache.get(schedule);
  if (!cache) covariateCache.set(schedule, (cache = new Map()));
  const key = `${features.join(',')}|${m.date}|${m.home}|${m.away}`;
  let z = cache.get(key);
  if (!z) cache.set(key, (z = scheduleCovariates(restIndexOf(schedule).rest({ day: dayNumber(m.date), home: m.home, away: m.away }), features)));
  return z;
}

export function fitMarginAt(history: readonly HistoryMatch[], cutoff: string, fixtures: readonly HistoryMatch[], params: MarginParams): FittedMargin | null {
  const training = resultsBefore(history, cutoff, params.windowDays);
  assertNoLookAhead(training, cutoff, fixtures);
  if (training.length < MIN_MARGIN_RESULTS) return null;
  const teams = new TeamIndex();
  for (const m of [...training, ...fixtures]) {
    teams.add(m.home);
    teams.add(m.away);
  }
  const lined = params.marketLines ? training.filter((m) => m.closingLine) : [];
  const rows = [...training, ...lined];
  const n = rows.length;
  const features = [...(params.scheduleFeatures ?? [])];
  const k = features.length;
  const data: PointsData = {
    home: new Int32Array(n),
    away: new Int32Array(n),
    homePoints: new Float64Array(n),
    awayPoints: new Float64Array(n),
    ageDays: new Float64Array(n),
    neutral: new Uint8Array(n),
    ...(k > 0 ? { covariates: new Float64Array(n * k), covariateCount: k } : {}),
    ...(lined.length > 0 ? { rowWeight: new Float64Array(n), market: new Uint8Array(n) } : {}),
  };
  const end = dayNumber(cutoff);
  rows.forEach((m, g) => {
    const age = end - dayNumber(m.date);
    data.home[g] = teams.get(m.home)!;
    data.away[g] = teams.get(m.away)!;
    data.ageDays![g] = age;
    data.neutral![g] = m.neutral ? 1 : 0;
    if (k > 0) data.covariates!.set(scheduleCovariatesOf(features, history, m), g * k);
    if (g < training.length) {
      data.homePoints[g] = m.homeScore;
      data.awayPoints[g] = m.awayScore;
      if (data.rowWeight) data.rowWeight[g] = 1;
    } else {
      // The scores the closing line implied: margin −spread, split around the total.
      const line = m.closingLine!;
      data.homePoints[g] = (line.total - line.spread) / 2;
      data.awayPoints[g] = (line.total + line.spread) / 2;
      data.rowWeight![g] = params.marketLines!.weight * Math.exp(-params.marketLines!.xi * age);
      data.market![g] = 1;
    }
  });
  let fit: MarginFit;
  try {
    fit = fitMarginModel(data, { teams: teams.size, xi: params.xi, ridge: params.ridge, ...(params.covariateXi !== undefined ? { covariateXi: params.covariateXi } : {}) });
  } catch (err) {
    // Too few effective games for the ratings: the caller falls back to Elo.
    if (err instanceof RangeError) return null;
    throw err;
  }
  const model = { ...fit.model, marginSd: fit.model.marginSd * params.sdScale, totalSd: fit.model.totalSd * params.sdScale };
  return { teams, model, features, marketLines: lined.length > 0 ? { ...params.marketLines! } : null, diagnostics: fit.diagnostics, window: windowOf(training, cutoff) };
}

/** `covariates`: the match's schedule covariates in the order of fit.features (scheduleCovariatesOf). */
export function marginPrediction(fit: FittedMargin, home: number, away: number, neutral = false, covariates: readonly number[] = []): MarginPrediction | null {
  const h = fit.teams.get(home);
  const a = fit.teams.get(away);
  if (h === undefined || a === undefined) return null;
  return predictMargin(fit.model, h, a, neutral, covariates);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function marginParameters(fit: FittedMargin): Record<string, unknown> {
  const m = fit.model;
  return {
    team_ids: fit.teams.ids,
    offence: Array.from(m.offence, round),
    defence: Array.from(m.defence, round),
    mean_points: m.meanPoints,
    home_advantage: m.homeAdvantage,
    schedule_features: fit.features,
    ...(fit.marketLines ? { market_lines: fit.marketLines } : {}),
    covariate_effects: Array.from(m.covariateEffects, round),
    ...(fit.eloBlend ? { elo_blend: fit.eloBlend } : {}),
    margin_sd: m.marginSd,
    total_sd: m.totalSd,
    xi: m.xi,
    ridge: m.ridge,
  };
}

interface StoredMargin {
  team_ids: number[];
  offence: number[];
  defence: number[];
  mean_points: number;
  home_advantage: number;
  /** Absent in artifacts stored before schedule features existed. */
  schedule_features?: ScheduleFeature[];
  covariate_effects?: number[];
  elo_blend?: EnsembleWeights;
  market_lines?: { weight: number; xi: number };
  margin_sd: number;
  total_sd: number;
  xi: number;
  ridge: number;
}

export function marginFromParameters(p: Record<string, unknown>, window: TrainingWindow, diagnostics: MarginFit['diagnostics']): FittedMargin {
  const s = p as unknown as StoredMargin;
  const teams = new TeamIndex(s.team_ids);
  return {
    teams,
    model: {
      teams: teams.size,
      offence: Float64Array.from(s.offence),
      defence: Float64Array.from(s.defence),
      meanPoints: s.mean_points,
      homeAdvantage: s.home_advantage,
      covariateEffects: Float64Array.from(s.covariate_effects ?? []),
      marginSd: s.margin_sd,
      totalSd: s.total_sd,
      xi: s.xi,
      ridge: s.ridge,
    },
    features: s.schedule_features ?? [],
    eloBlend: s.elo_blend ?? null,
    marketLines: s.market_lines ?? null,
    diagnostics,
    window,
  };
}
