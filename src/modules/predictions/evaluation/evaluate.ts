// `sharpline evaluate`: walk-forward evaluation of the models against the opening and
// closing market on results stored in the database. For each competition, every season
// from a few before the first reported one is forecast (earlier seasons feed the ensemble's
// weights); the reported seasons are scored per season, per competition and overall, on the
// matches every compared forecaster covers, with a paired bootstrap interval on
// model − market and the quality bars checked on the held-out (untuned) seasons.
import type { Executor } from '../../../db/client.js';
import type { MarginMethod } from '../../../models/market.js';
import { ValidationError } from '../../../platform/errors.js';
import { competitionFilter } from '../../catalog/resolve.js';
import { seasonOrder } from '../engine/history.js';
import { ENSEMBLE_PRIOR_PRECISION, type EnsembleGate } from '../engine/forecast.js';
import { MARGIN_METHOD, sportSettings } from '../engine/params.js';
import { findCompetition, historyOptions, loadHistory, loadQuotes } from '../repository-data.js';
import { teams } from '../../../db/schema/index.js';
import { inArray } from 'drizzle-orm';
import { aggregate, type EvaluationTables } from './aggregate.js';
import type { FamilyChoice } from '../engine/settings-selection.js';
import { addEnsemble, EVAL_MODELS, runCompetition, type EvalModel, type EvalRecord } from './records.js';

export interface EvaluateOptions {
  /** Competition codes or ids, all of one sport. */
  competitions: string[];
  /** Season names ("2012-13", "2019") or, for split-year seasons, the year a season ends. */
  seasons: { from: string; to: string };
  /** The models to evaluate (default: every model that applies to the sport). */
  models?: EvalModel[];
  refitDays?: number;
  bookmaker?: string;
  method?: MarginMethod;
  /** Override the last tuned season (default: the sport's tunedThrough). */
  tunedThrough?: string | null;
  /** Seasons forecast before the first reported one, to train the ensemble (default 3). */
  warmupSeasons?: number;
  bootstrapResamples?: number;
  /** Fit the ensemble per competition on its own earlier seasons (default true) or pooled over the competitions given. */
  ensemblePerCompetition?: boolean;
  /** Precision of the ensemble's prior towards the market (default ENSEMBLE_PRIOR_PRECISION). */
  ensemblePrior?: number;
  /** Override the goal models' shots-on-target blend (engine/params.ts GoalsParams.shotsBlend; 0 = goals only). */
  shotsBlend?: number;
  /**
   * Choose the main model's and Elo's settings per competition and season by nested
   * walk-forward on the competition's own earlier seasons (engine/settings-selection.ts)
   * instead of the sport's fixed settings.
   */
  selectSettings?: boolean;
  /**
   * Leave out every season before this one, as if the competition's data began there: a thin
   * league, with few seasons to fit on and every team new in the first.
   */
  historyFrom?: string;
  /** Override Dixon-Coles' blend of earlier results' market-implied goals (GoalsParams.marketBlend; 0 = none). */
  marketBlend?: number;
  /** Keep every reported match's forecasts in the report (`forecasts`), for export. */
  includeForecasts?: boolean;
  onProgress?: (message: string) => void;
}

export interface EvaluationReport extends EvaluationTables {
  command: string;
  sport: string;
  competitions: string[];
  seasons: string[];
  held_out_seasons: string[];
  tuned_through: string | null;
  models: EvalModel[];
  refit_days: number;
  margin_method: MarginMethod;
  bookmaker: string;
  timing: { total_ms: number; fit_ms: number; fits: number; blocks: number; ensemble_fits: number; predicted: number };
  /** How the ensemble was fitted, and each competition's (or the pool's, '*') last blend: weights with Laplace standard errors. */
  ensemble?: { per_competition: boolean; prior_precision: number; prior_mean: Record<string, number>; last_weights: Record<string, { training_rows: number; weights: Record<string, { weight: number; se: number | null }>; gate: EnsembleGate }> };
  /** Every reported match's forecasts (with includeForecasts). */
  forecasts?: ForecastRow[];
  /** With selectSettings: per competition, the settings chosen for each forecast season and the evidence. */
  settings_selection?: Record<string, { season: string; choices: FamilyChoice[] }[]>;
}

/** One reported match as each forecaster saw it: what `--forecasts` writes. */
export interface ForecastRow {
  match_id: number;
  competition: string;
  season: string;
  date: string;
  home_team: string;
  away_team: string;
  /** The models' data cut-off: they were fitted on results dated strictly before it. */
  cutoff: string | null;
  home_score: number;
  away_score: number;
  forecasts: Record<string, { home: number; draw: number; away: number; spread: number | null; total: number | null }>;
}

export function forecastRows(records: readonly EvalRecord[], teamNames: ReadonlyMap<number, string>): ForecastRow[] {
  return records.map((r) => ({
    match_id: r.matchId,
    competition: r.competition,
    season: r.season,
    date: r.date,
    home_team: teamNames.get(r.home) ?? String(r.home),
    away_team: teamNames.get(r.away) ?? String(r.away),
    cutoff: r.cutoff ?? null,
    home_score: r.homeScore,
    away_score: r.awayScore,
    forecasts: Object.fromEntries(Object.entries(r.forecasts).map(([k, f]) => [k, { home: f.home, draw: f.draw, away: f.away, spread: f.spread, total: f.total }])),
  }));
}

/** Resolves a season token against a competition's seasons (exact name, or ending year of "YYYY-YY"). */
export function resolveSeason(order: readonly string[], token: string): string | null {
  if (order.includes(token)) return token;
  if (/^\d{4}$/.test(token)) {
    const match = order.find((s) => {
      const m = /^(\d{4})-(\d{2})$/.exec(s);
      return m !== null && Number(m[1]) + 1 === Number(token);
    });
    if (match) return match;
  }
  return null;
}

export function parseSeasonRange(text: string): { from: string; to: string } {
  const m = /^([0-9-]{4,9})\.\.([0-9-]{4,9})$/.exec(text.trim());
  if (!m) throw new ValidationError(`expected --seasons FROM..TO (e.g. 2012-13..2021-22 or 2012..2021), got "${text}"`, 'seasons', text);
  return { from: m[1]!, to: m[2]! };
}

export function parseModels(text: string): EvalModel[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const m of list) {
    if (!(EVAL_MODELS as readonly string[]).includes(m)) throw new ValidationError(`unknown model "${m}"; expected ${EVAL_MODELS.join(', ')}`, 'models', m);
  }
  if (list.length === 0) throw new ValidationError('give at least one model', 'models', text);
  return list as EvalModel[];
}

export async function evaluate(db: Executor, opts: EvaluateOptions): Promise<EvaluationReport> {
  const started = performance.now();
  const log = opts.onProgress ?? (() => undefined);
  const comps = [];
  for (const c of opts.competitions) {
    const row = await competitionFilter(db, c);
    const info = await findCompetition(db, row.id);
    if (!info) throw new ValidationError(`unknown competition ${c}`, 'competition', c);
    comps.push(info);
  }
  if (comps.length === 0) throw new ValidationError('give at least one competition', 'competition');
  const sport = comps[0]!.sport;
  if (comps.some((c) => c.sport !== sport)) throw new ValidationError('all competitions of one evaluation must be of one sport', 'competition', opts.competitions);
  const base = sportSettings(sport, comps[0]!.drawsPossible);
  if (opts.shotsBlend !== undefined && !base.goals) throw new ValidationError(`--shots-blend applies to the goal models; ${sport} has none`, 'shots_blend', opts.shotsBlend);
  if (opts.marketBlend !== undefined && !base.goals) throw new ValidationError(`--market-blend applies to the goal models; ${sport} has none`, 'market_blend', opts.marketBlend);
  const settings = base.goals
    ? {
        ...base,
        goals: {
          ...base.goals,
          ...(opts.shotsBlend !== undefined ? { shotsBlend: opts.shotsBlend } : {}),
          ...(opts.marketBlend !== undefined ? { marketBlend: opts.marketBlend } : {}),
        },
      }
    : base;
  const applies = (m: EvalModel) => (sport === 'soccer' ? m !== 'margin' : m !== 'dixon-coles' && m !== 'bivariate-poisson');
  const requested = opts.models ?? EVAL_MODELS.filter(applies);
  const models = requested.filter((m) => sport === 'soccer' || applies(m));
  if (sport === 'soccer' && models.includes('margin')) throw new ValidationError('the margin model is for points sports', 'models', 'margin');
  if (models.length === 0) throw new ValidationError(`none of the models ${requested.join(', ')} applies to ${sport}`, 'models', requested);
  const refitDays = opts.refitDays ?? settings.refitDays;
  if (!Number.isInteger(refitDays) || refitDays < 1 || refitDays > 365) throw new ValidationError('--refit-days must be 1..365', 'refit_days', refitDays);
  const bookmaker = opts.bookmaker ?? (sport === 'soccer' ? 'market_avg' : 'closing_line');
  const method = opts.method ?? MARGIN_METHOD;
  const tunedThrough = opts.tunedThrough === undefined ? settings.tunedThrough : opts.tunedThrough;
  const warmup = opts.warmupSeasons ?? 3;

  const forecast: EvalRecord[] = [];
  const reportedIds: number[] = [];
  const reported = new Map<string, string[]>();
  const heldOut = new Map<string, string[]>();
  const timing = { total_ms: 0, fit_ms: 0, fits: 0, blocks: 0, ensemble_fits: 0, predicted: 0 };
  const selections: NonNullable<EvaluationReport['settings_selection']> = {};
  for (const comp of comps) {
    let history = await loadHistory(db, comp.id, undefined, historyOptions(settings, bookmaker));
    if (opts.historyFrom !== undefined) {
      const all = seasonOrder(history);
      const first = resolveSeason(all, opts.historyFrom);
      if (!first) throw new ValidationError(`${comp.code} has no season ${opts.historyFrom} (it has ${all[0]}..${all[all.length - 1]})`, 'history_from', opts.historyFrom);
      const kept = new Set(all.slice(all.indexOf(first)));
      history = history.filter((m) => kept.has(m.season));
    }
    const order = seasonOrder(history);
    const from = resolveSeason(order, opts.seasons.from);
    const to = resolveSeason(order, opts.seasons.to);
    if (!from || !to) throw new ValidationError(`${comp.code} has no season ${!from ? opts.seasons.from : opts.seasons.to} (it has ${order[0]}..${order[order.length - 1]})`, 'seasons');
    const fi = order.indexOf(from);
    const ti = order.indexOf(to);
    if (ti < fi) throw new ValidationError(`season range ${from}..${to} is backwards`, 'seasons');
    const seasons = order.slice(fi, ti + 1);
    reported.set(comp.code, seasons);
    const tunedIdx = tunedThrough === null ? -1 : order.indexOf(tunedThrough);
    heldOut.set(comp.code, seasons.filter((s) => order.indexOf(s) > tunedIdx || (tunedIdx === -1 && tunedThrough !== null && s > tunedThrough)));
    // The first season only trains: nothing before it to fit on.
    const predictFrom = order[Math.max(1, fi - warmup)] ?? from;
    log(`${comp.code}: forecasting ${predictFrom}..${to} (${history.length} matches)`);
    const run = await runCompetition({
      code: comp.code,
      sport,
      history,
      settings,
      models,
      predictFrom,
      predictTo: to,
      refitDays,
      method,
      quotes: (ids) => loadQuotes(db, ids, bookmaker),
      selectSettings: opts.selectSettings === true,
    });
    if (run.selections) selections[comp.code] = run.selections;
    forecast.push(...run.records);
    reportedIds.push(...run.records.filter((r) => seasons.includes(r.season)).map((r) => r.matchId));
    timing.fit_ms += run.walk.fitMs;
    timing.fits += run.walk.fits;
    timing.blocks += run.walk.blocks;
    timing.predicted += run.walk.predicted;
  }
  const perCompetition = opts.ensemblePerCompetition ?? true;
  const priorPrecision = opts.ensemblePrior ?? ENSEMBLE_PRIOR_PRECISION;
  if (!(priorPrecision >= 0) || !Number.isFinite(priorPrecision)) throw new ValidationError('--ensemble-prior must be a number ≥ 0', 'ensemble_prior', opts.ensemblePrior);
  let ensemble: EvaluationReport['ensemble'];
  if (models.includes('ensemble')) {
    const fitted = addEnsemble(forecast, sport, { perCompetition, priorPrecision });
    timing.ensemble_fits = fitted.fits;
    const lastWeights: NonNullable<EvaluationReport['ensemble']>['last_weights'] = {};
    let priorMean: Record<string, number> = {};
    for (const [k, w] of fitted.last) {
      lastWeights[k] = { training_rows: w.trainingRows, weights: Object.fromEntries(w.sources.map((s, i) => [s, { weight: w.weights[i]!, se: w.standardErrors?.[i] ?? null }])), gate: w.gate };
      priorMean = Object.fromEntries(w.sources.map((s, i) => [s, w.prior?.mean[i] ?? 0]));
    }
    ensemble = { per_competition: perCompetition, prior_precision: priorPrecision, prior_mean: priorMean, last_weights: lastWeights };
  }
  const reportedSet = new Set(reportedIds);
  const records = forecast.filter((r) => reportedSet.has(r.matchId));
  const allSeasons = [...new Set([...reported.values()].flat())].sort();
  const heldOutSeasons = [...new Set([...heldOut.values()].flat())].sort();
  const tables = aggregate(records, {
    sport,
    models,
    isHeldOut: (r) => heldOut.get(r.competition)?.includes(r.season) ?? false,
    resamples: opts.bootstrapResamples ?? 2000,
    method,
  });
  timing.total_ms = Math.round(performance.now() - started);
  timing.fit_ms = Math.round(timing.fit_ms);
  return {
    command: [
      `sharpline evaluate --competition ${comps.map((c) => c.code).join(',')} --seasons ${opts.seasons.from}..${opts.seasons.to} --models ${models.join(',')}`,
      opts.bookmaker !== undefined ? ` --bookmaker ${opts.bookmaker}` : '',
      opts.method !== undefined ? ` --method ${opts.method}` : '',
      opts.shotsBlend !== undefined ? ` --shots-blend ${opts.shotsBlend}` : '',
      opts.marketBlend !== undefined ? ` --market-blend ${opts.marketBlend}` : '',
      opts.ensemblePrior !== undefined ? ` --ensemble-prior ${opts.ensemblePrior}` : '',
      opts.ensemblePerCompetition === false ? ' --ensemble-pooled' : '',
      opts.selectSettings ? ' --settings nested' : '',
      opts.historyFrom !== undefined ? ` --history-from ${opts.historyFrom}` : '',
    ].join(''),
    sport,
    competitions: comps.map((c) => c.code),
    seasons: allSeasons,
    held_out_seasons: heldOutSeasons,
    tuned_through: tunedThrough,
    models,
    refit_days: refitDays,
    margin_method: method,
    bookmaker,
    ...tables,
    timing,
    ...(ensemble ? { ensemble } : {}),
    ...(opts.selectSettings ? { settings_selection: selections } : {}),
    ...(opts.includeForecasts ? { forecasts: forecastRows(records, await teamNamesOf(db, records)) } : {}),
  };
}

async function teamNamesOf(db: Executor, records: readonly EvalRecord[]): Promise<Map<number, string>> {
  const ids = [...new Set(records.flatMap((r) => [r.home, r.away]))];
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids.slice(i, i + 1000)));
    for (const t of rows) out.set(t.id, t.name);
  }
  return out;
}
