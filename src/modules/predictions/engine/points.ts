// Fitting the points-sports margin model (NBA, NFL, MLB) at a cut-off date and storing it:
// decayed ridge ratings from results strictly before the cut-off (see models/margin.ts).
import { fitMarginModel, predictMargin, type MarginFit, type MarginModel, type MarginPrediction, type PointsData } from '../../../models/margin.js';
import { windowOf, type TrainingWindow } from './goals.js';
import { assertNoLookAhead, dayNumber, resultsBefore, TeamIndex, type HistoryMatch } from './history.js';
import type { MarginParams } from './params.js';

export interface FittedMargin {
  teams: TeamIndex;
  model: MarginModel;
  diagnostics: MarginFit['diagnostics'];
  window: TrainingWindow;
}

export const MIN_MARGIN_RESULTS = 60;

export function fitMarginAt(history: readonly HistoryMatch[], cutoff: string, fixtures: readonly HistoryMatch[], params: MarginParams): FittedMargin | null {
  const training = resultsBefore(history, cutoff, params.windowDays);
  assertNoLookAhead(training, cutoff, fixtures);
  if (training.length < MIN_MARGIN_RESULTS) return null;
  const teams = new TeamIndex();
  for (const m of [...training, ...fixtures]) {
    teams.add(m.home);
    teams.add(m.away);
  }
  const n = training.length;
  const data: PointsData = {
    home: new Int32Array(n),
    away: new Int32Array(n),
    homePoints: new Float64Array(n),
    awayPoints: new Float64Array(n),
    ageDays: new Float64Array(n),
    neutral: new Uint8Array(n),
  };
  const end = dayNumber(cutoff);
  training.forEach((m, k) => {
    data.home[k] = teams.get(m.home)!;
    data.away[k] = teams.get(m.away)!;
    data.homePoints[k] = m.homeScore;
    data.awayPoints[k] = m.awayScore;
    data.ageDays![k] = end - dayNumber(m.date);
    data.neutral![k] = m.neutral ? 1 : 0;
  });
  let fit: MarginFit;
  try {
    fit = fitMarginModel(data, { teams: teams.size, xi: params.xi, ridge: params.ridge });
  } catch (err) {
    // Too few effective games for the ratings: the caller falls back to Elo.
    if (err instanceof RangeError) return null;
    throw err;
  }
  const model = { ...fit.model, marginSd: fit.model.marginSd * params.sdScale, totalSd: fit.model.totalSd * params.sdScale };
  return { teams, model, diagnostics: fit.diagnostics, window: windowOf(training, cutoff) };
}

export function marginPrediction(fit: FittedMargin, home: number, away: number, neutral = false): MarginPrediction | null {
  const h = fit.teams.get(home);
  const a = fit.teams.get(away);
  if (h === undefined || a === undefined) return null;
  return predictMargin(fit.model, h, a, neutral);
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
      marginSd: s.margin_sd,
      totalSd: s.total_sd,
      xi: s.xi,
      ridge: s.ridge,
    },
    diagnostics,
    window,
  };
}
