// Fitting the soccer goal models (Dixon-Coles, bivariate Poisson) at a cut-off date from a
// competition's history, and turning a fit into score matrices and back into the plain JSON
// an artifact stores. Teams of the fixtures to predict are part of the fit even when they
// have no results yet, so a promoted team gets the promoted-team prior instead of nothing.
import { bivariatePoissonScoreMatrix, fitBivariatePoisson, type BivariatePoissonModel } from '../../../models/bivariate-poisson.js';
import { dixonColesScoreMatrix, fitDixonColes, type DixonColesModel } from '../../../models/dixon-coles.js';
import { matchWeights, shotsBlendedTargets, type FitDiagnostics, type GoalsData } from '../../../models/goals-data.js';
import type { ScoreMatrix } from '../../../models/markets.js';
import { assertNoLookAhead, dayNumber, newTeams, resultsBefore, seasonOrder, TeamIndex, type HistoryMatch } from './history.js';
import type { GoalsParams } from './params.js';

export type GoalsKind = 'dixon-coles' | 'bivariate-poisson';

export interface TrainingWindow {
  cutoff: string;
  count: number;
  from: string | null;
  to: string | null;
}

export interface FittedGoals {
  kind: GoalsKind;
  teams: TeamIndex;
  model: DixonColesModel | BivariatePoissonModel;
  diagnostics: FitDiagnostics;
  window: TrainingWindow;
  promoted: number[];
}

/** Fewer results than this and a goal model is not fitted (Elo still predicts). */
export const MIN_GOALS_RESULTS = 60;

export function windowOf(training: readonly HistoryMatch[], cutoff: string): TrainingWindow {
  let from: string | null = null;
  let to: string | null = null;
  for (const m of training) {
    if (from === null || m.date < from) from = m.date;
    if (to === null || m.date > to) to = m.date;
  }
  return { cutoff, count: training.length, from, to };
}

export function fitGoalsAt(
  kind: GoalsKind,
  history: readonly HistoryMatch[],
  cutoff: string,
  fixtures: readonly HistoryMatch[],
  params: GoalsParams,
): FittedGoals | null {
  const training = resultsBefore(history, cutoff, params.windowDays);
  assertNoLookAhead(training, cutoff, fixtures);
  if (training.length < MIN_GOALS_RESULTS) return null;
  const teams = new TeamIndex();
  for (const m of training) {
    teams.add(m.home);
    teams.add(m.away);
  }
  for (const m of fixtures) {
    teams.add(m.home);
    teams.add(m.away);
  }
  const n = training.length;
  const data: GoalsData = {
    home: new Int32Array(n),
    away: new Int32Array(n),
    homeGoals: new Int32Array(n),
    awayGoals: new Int32Array(n),
    ageDays: new Float64Array(n),
    neutral: new Uint8Array(n),
  };
  const end = dayNumber(cutoff);
  training.forEach((m, k) => {
    data.home[k] = teams.get(m.home)!;
    data.away[k] = teams.get(m.away)!;
    data.homeGoals[k] = m.homeScore;
    data.awayGoals[k] = m.awayScore;
    data.ageDays![k] = end - dayNumber(m.date);
    data.neutral![k] = m.neutral ? 1 : 0;
  });
  const blend = kind === 'dixon-coles' ? (params.shotsBlend ?? 0) : 0;
  if (blend > 0 && training.some((m) => m.shotsOnTarget)) {
    // One conversion rate per side: home sides turn shots on target into goals at their own rate.
    const weights = matchWeights(data, params.xi);
    const side = (pick: 'home' | 'away') => Float64Array.from(training, (m) => m.shotsOnTarget?.[pick] ?? Number.NaN);
    data.homeTarget = shotsBlendedTargets(data.homeGoals, side('home'), weights, blend).target;
    data.awayTarget = shotsBlendedTargets(data.awayGoals, side('away'), weights, blend).target;
  }
  const marketBlend = kind === 'dixon-coles' ? (params.marketBlend ?? 0) : 0;
  if (marketBlend > 0 && training.some((m) => m.marketGoals)) {
    const home = data.homeTarget ?? Float64Array.from(data.homeGoals);
    const away = data.awayTarget ?? Float64Array.from(data.awayGoals);
    training.forEach((m, k) => {
      if (!m.marketGoals) return;
      home[k] = (1 - marketBlend) * home[k]! + marketBlend * m.marketGoals.home;
      away[k] = (1 - marketBlend) * away[k]! + marketBlend * m.marketGoals.away;
    });
    data.homeTarget = home;
    data.awayTarget = away;
  }
  const order = seasonOrder([...training, ...fixtures]);
  const season = fixtures[0]?.season ?? order[order.length - 1]!;
  const promotedIds = newTeams(training, fixtures, season, order);
  const promoted = teams.ids.map((id) => promotedIds.has(id));
  const options = {
    teams: teams.size,
    xi: params.xi,
    priorPrecision: params.priorPrecision,
    promoted,
    promotedPrior: params.promotedPrior,
  };
  const fit = kind === 'dixon-coles' ? fitDixonColes(data, options) : fitBivariatePoisson(data, options);
  return { kind, teams, model: fit.model, diagnostics: fit.diagnostics, window: windowOf(training, cutoff), promoted: [...promotedIds] };
}

/** The score matrix of a fixture, or null when a team is not part of the fit. */
export function goalsScoreMatrix(fit: FittedGoals, home: number, away: number, neutral = false): ScoreMatrix | null {
  const h = fit.teams.get(home);
  const a = fit.teams.get(away);
  if (h === undefined || a === undefined) return null;
  return fit.kind === 'dixon-coles'
    ? dixonColesScoreMatrix(fit.model as DixonColesModel, h, a, { neutral })
    : bivariatePoissonScoreMatrix(fit.model as BivariatePoissonModel, h, a, { neutral });
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Plain JSON for model_artifacts.parameters. */
export function goalsParameters(fit: FittedGoals): Record<string, unknown> {
  const m = fit.model;
  const common = {
    team_ids: fit.teams.ids,
    attack: Array.from(m.attack, round),
    defence: Array.from(m.defence, round),
    intercept: m.intercept,
    home_advantage: m.homeAdvantage,
    xi: m.xi,
    promoted_team_ids: fit.promoted,
  };
  return 'rho' in m ? { ...common, rho: m.rho } : { ...common, lambda3: m.lambda3 };
}

interface StoredGoals {
  team_ids: number[];
  attack: number[];
  defence: number[];
  intercept: number;
  home_advantage: number;
  xi: number;
  promoted_team_ids?: number[];
  rho?: number;
  lambda3?: number;
}

/** Rebuilds a fit from an artifact (diagnostics and window as stored). */
export function goalsFromParameters(kind: GoalsKind, p: Record<string, unknown>, window: TrainingWindow, diagnostics: FitDiagnostics): FittedGoals {
  const s = p as unknown as StoredGoals;
  const teams = new TeamIndex(s.team_ids);
  const base = {
    teams: teams.size,
    attack: Float64Array.from(s.attack),
    defence: Float64Array.from(s.defence),
    intercept: s.intercept,
    homeAdvantage: s.home_advantage,
    xi: s.xi,
  };
  const model: DixonColesModel | BivariatePoissonModel =
    kind === 'dixon-coles' ? { ...base, rho: s.rho ?? 0 } : { ...base, lambda3: s.lambda3 ?? 0 };
  return { kind, teams, model, diagnostics, window, promoted: s.promoted_team_ids ?? [] };
}
