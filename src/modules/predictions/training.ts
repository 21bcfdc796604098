// Training as a service: for each competition in scope, fit Elo (every sport), Dixon-Coles
// (soccer) or the margin model (points sports) on results dated before the cut-off (today,
// by default), and store each as a versioned artifact with its training window, match
// count, parameters and fit diagnostics. A full training also backtests the models walk-
// forward over the two years before the cut-off — those out-of-sample metrics are the
// artifact's `metrics` — and fits the ensemble's weights on that backtest where opening odds
// exist. A quick training (after an import) refits without the backtest and carries the
// previous metrics and ensemble forward. Where the sport has a player-prop model, a full
// training also fits the props ensemble's weights walk-forward on the stored player lines
// (src/modules/props/training.ts) and stores them as a 'props-ensemble' artifact; a quick
// one leaves the latest props-ensemble in use.
import type { Db } from '../../db/client.js';
import type { ArtifactKind, TrainingTrigger } from '../../db/schema/index.js';
import { trainPropsEnsemble } from '../props/training.js';
import type { Clock } from '../../platform/clock.js';
import { ValidationError } from '../../platform/errors.js';
import { competitionFilter, resolveSport } from '../catalog/resolve.js';
import { EloTracker, eloParameters } from './engine/elo.js';
import { applyEnsemble, classesOf, eloBlendRow, ensembleGate, fitEloBlend, fitEnsemble, marketAlone, outcomeClass, rowLoss, type EnsembleRow, type EnsembleWeights } from './engine/forecast.js';
import { fitGoalsAt, goalsParameters } from './engine/goals.js';
import { addDaysTo, isResult, resultsBefore, type HistoryMatch } from './engine/history.js';
import { MARGIN_METHOD, sportSettings, type SportSettings } from './engine/params.js';
import { fitMarginAt, marginParameters } from './engine/points.js';
import { scoreSet, type MetricSet } from './engine/scoring.js';
import { byDate, walkForward, type FittedKind } from './engine/walk-forward.js';
import { ENSEMBLE_MARKET, marketOf } from './evaluation/records.js';
import { findCompetitions, historyOptions, loadHistory, loadQuotes, type CompetitionInfo } from './repository-data.js';
import { insertArtifact, latestArtifact, type NewArtifact } from './repository-artifacts.js';
import { DEFAULT_NEWS_WINDOW_DAYS, matchNewsFeatures } from '../documents/features.js';
import { applySettings, familyKind, runCandidates, type FamilyChoice, type SettingsChange, type SettingsFamily } from './engine/settings-selection.js';

export interface PredictionDeps {
  db: Db;
  clock: Clock;
  /**
   * NEWS_FEATURES_IN_TRAINING: attach both teams' news features (documents published before
   * the match's day only) to every training result. No model reads them yet — there is no
   * historical news corpus matching the match data (docs/documents.md) — so this only makes
   * the path ready and reports its coverage in the Elo artifact's diagnostics.
   */
  newsFeatures?: boolean;
  /**
   * MODEL_SETTINGS: 'nested' (default) chooses the main model's and Elo's settings per
   * competition on its own backtest (engine/settings-selection.ts); 'fixed' uses the sport's.
   */
  settingsSelection?: SettingsMode;
}

export type SettingsMode = 'nested' | 'fixed';

export interface TrainOptions {
  sport?: string;
  /** Competition id or code. */
  competition?: string;
  trigger: TrainingTrigger;
  /** Backtest and refit the ensemble (default true). */
  backtest?: boolean;
  /** Data cut-off YYYY-MM-DD (default: today, UTC). */
  cutoff?: string;
  /** Override deps.settingsSelection for this training. */
  settings?: SettingsMode;
}

export interface TrainedArtifact {
  kind: ArtifactKind;
  version: string;
  matches: number;
  fit_ms: number;
}

export interface TrainedCompetition {
  competition_id: number;
  competition: string;
  sport: string;
  artifacts: TrainedArtifact[];
  skipped: { kind: ArtifactKind; reason: string }[];
}

export const BACKTEST_DAYS = 730;

export const today = (clock: Clock): string => clock.now().toISOString().slice(0, 10);

/** The sport's main model: Dixon-Coles for soccer, the margin model where settings exist, else none. */
export function mainKind(settings: SportSettings): 'dixon-coles' | 'margin' | null {
  return settings.goals ? 'dixon-coles' : settings.margin ? 'margin' : null;
}

export async function trainModels(deps: PredictionDeps, opts: TrainOptions): Promise<TrainedCompetition[]> {
  const filter: { sport?: string; competitionId?: number } = {};
  if (opts.sport !== undefined) {
    const sport = await resolveSport(deps.db, opts.sport);
    if (sport.id === null) return [];
    filter.sport = sport.code;
  }
  if (opts.competition !== undefined) filter.competitionId = (await competitionFilter(deps.db, opts.competition)).id;
  const cutoff = opts.cutoff ?? today(deps.clock);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cutoff)) throw new ValidationError('cutoff must be YYYY-MM-DD', 'cutoff', cutoff);
  const out: TrainedCompetition[] = [];
  for (const comp of await findCompetitions(deps.db, filter)) {
    out.push(await trainCompetition(deps, comp, { cutoff, trigger: opts.trigger, backtest: opts.backtest ?? true, ...(opts.settings ? { settings: opts.settings } : {}) }));
  }
  return out;
}

interface Store {
  kind: ArtifactKind;
  started: number;
  /** The fit's duration when known at the time (else measured at storing). */
  fitMs?: number;
  values: Omit<NewArtifact, 'kind' | 'sportId' | 'competitionId' | 'dataCutoff' | 'trigger' | 'fitMs' | 'createdAt' | 'metrics'>;
  metrics: Record<string, unknown>;
}

export async function trainCompetition(
  deps: PredictionDeps,
  comp: CompetitionInfo,
  opts: { cutoff: string; trigger: TrainingTrigger; backtest: boolean; history?: HistoryMatch[]; settings?: SettingsMode },
): Promise<TrainedCompetition> {
  const base = sportSettings(comp.sport, comp.drawsPossible);
  const mode = opts.settings ?? deps.settingsSelection ?? 'nested';
  const history = opts.history ?? (await loadHistory(deps.db, comp.id, undefined, historyOptions(base)));
  const main = mainKind(base);
  const fixtures = history.filter((m) => !isResult(m) && m.date >= opts.cutoff);
  const result: TrainedCompetition = { competition_id: comp.id, competition: comp.code, sport: comp.sport, artifacts: [], skipped: [] };
  const results = resultsBefore(history, opts.cutoff).sort(byDate);
  if (results.length === 0) {
    result.skipped.push({ kind: 'elo', reason: `no results before ${opts.cutoff}` });
    return result;
  }
  const newsCoverage = deps.newsFeatures ? await attachNewsFeatures(deps.db, results) : null;
  const backtest = opts.backtest ? await runBacktest(deps, history, base, opts.cutoff, main, mode === 'nested') : null;
  // The settings the stored models are fitted with: chosen on this backtest, or (a quick
  // refit) the choice the latest full training made, or the sport's own.
  const selection = backtest ? backtest.selection : mode === 'nested' ? await carriedSelection(deps, comp.id, main) : [];
  const settings = applySettings(base, ...selection.map((c) => c.change));
  const selectionOf = (family: SettingsFamily) => {
    const c = selection.find((x) => x.family === family);
    return c ? { settings_selection: c } : mode === 'fixed' ? { settings_selection: { family, chosen: 'fixed', change: {}, reason: 'MODEL_SETTINGS=fixed' } } : {};
  };
  const stores: Store[] = [];

  let started = performance.now();
  const tracker = new EloTracker(results, settings.elo);
  tracker.advanceTo(opts.cutoff);
  const calibration = tracker.calibrate(settings.goals?.windowDays ?? settings.margin?.windowDays ?? 3 * 365);
  stores.push({
    kind: 'elo',
    started,
    values: {
      windowFrom: results[0]!.date,
      windowTo: results[results.length - 1]!.date,
      matchCount: results.length,
      teamCount: new Set(results.flatMap((m) => [m.home, m.away])).size,
      parameters: eloParameters(tracker.snapshot(calibration)),
      diagnostics: {
        converged: true,
        calibration_matches: calibration.records,
        draw_model_fitted: calibration.drawModel !== settings.elo.draw,
        ...(newsCoverage ? { news_features: newsCoverage } : {}),
        settings: { ...settings.elo },
        ...selectionOf('elo'),
      },
    },
    metrics: backtest?.metrics.elo ?? {},
  });

  if (main === 'dixon-coles' && settings.goals) {
    started = performance.now();
    const fit = fitGoalsAt('dixon-coles', history, opts.cutoff, fixtures, settings.goals);
    if (!fit) result.skipped.push({ kind: main, reason: 'too few results in the training window' });
    else {
      stores.push({
        kind: main,
        started,
        values: { windowFrom: fit.window.from, windowTo: fit.window.to, matchCount: fit.window.count, teamCount: fit.teams.size, parameters: goalsParameters(fit), diagnostics: { ...fit.diagnostics, settings: { ...settings.goals }, ...selectionOf('main') } },
        metrics: backtest?.metrics[main] ?? {},
      });
    }
  } else if (main === 'margin' && settings.margin) {
    started = performance.now();
    const fit = fitMarginAt(history, opts.cutoff, fixtures, settings.margin);
    if (!fit) result.skipped.push({ kind: main, reason: 'too few results in the training window' });
    else {
      // The Elo pool's weights: from this training's backtest, else (a quick refit) the latest margin model's.
      if (settings.margin.eloBlend) fit.eloBlend = backtest ? backtest.eloBlend : (((await latestArtifact(deps.db, comp.id, 'margin'))?.parameters.elo_blend as EnsembleWeights | undefined) ?? null);
      stores.push({
        kind: main,
        started,
        values: { windowFrom: fit.window.from, windowTo: fit.window.to, matchCount: fit.window.count, teamCount: fit.teams.size, parameters: marginParameters(fit), diagnostics: { converged: true, ...fit.diagnostics, settings: { ...settings.margin }, ...selectionOf('main') } },
        metrics: backtest?.metrics[main] ?? {},
      });
    }
  }
  if (backtest?.ensemble) stores.push(backtest.ensemble);

  async function save(s: Store) {
    let metrics = s.metrics;
    if (!opts.backtest) {
      // A quick refit has no backtest of its own: keep showing the last measured quality.
      const previous = await latestArtifact(deps.db, comp.id, s.kind);
      metrics = previous && Object.keys(previous.metrics).length > 0 ? { ...previous.metrics, carried_from: previous.version } : {};
    }
    const row = await insertArtifact(deps.db, comp.code, {
      ...s.values,
      kind: s.kind,
      sportId: comp.sportId,
      competitionId: comp.id,
      dataCutoff: opts.cutoff,
      metrics,
      trigger: opts.trigger,
      fitMs: s.fitMs ?? Math.round(performance.now() - s.started),
      createdAt: deps.clock.now(),
    });
    result.artifacts.push({ kind: s.kind, version: row.version, matches: row.matchCount, fit_ms: row.fitMs });
  }
  for (const s of stores) await save(s);

  // The player-prop ensemble, after the match models are stored (its walk-forward takes a while).
  if (opts.backtest && settings.goals) {
    started = performance.now();
    const props = await trainPropsEnsemble(deps.db, comp, opts.cutoff);
    if ('skipped' in props) result.skipped.push({ kind: 'props-ensemble', reason: props.skipped });
    else if ('values' in props) {
      const { metrics, ...values } = props.values;
      await save({ kind: 'props-ensemble', started, values, metrics, fitMs: Math.round(performance.now() - started) });
    }
  }
  return result;
}

/** A choice as an artifact stores it: the full FamilyChoice, with when and where it was made. */
type StoredChoice = FamilyChoice & { chosen_on?: { backtest_from: string; backtest_to: string }; carried_from?: string };

/** The settings choice of the latest full training, for a quick refit (none: the sport's own settings). */
async function carriedSelection(deps: PredictionDeps, competitionId: number, main: FittedKind | null): Promise<StoredChoice[]> {
  const out: StoredChoice[] = [];
  for (const [family, kind] of [['elo', 'elo'], ['main', main]] as const) {
    if (!kind) continue;
    const previous = await latestArtifact(deps.db, competitionId, kind as ArtifactKind);
    const stored = previous?.diagnostics.settings_selection as StoredChoice | undefined;
    if (!stored || stored.family !== family || typeof stored.change !== 'object' || stored.change === null) continue;
    out.push({ ...stored, change: stored.change as SettingsChange, carried_from: stored.carried_from ?? previous!.version });
  }
  return out;
}

interface Backtest {
  /** The settings chosen on this backtest (nested), one per family; empty with fixed settings. */
  selection: StoredChoice[];
  metrics: Partial<Record<FittedKind | 'market', Record<string, unknown>>>;
  ensemble: Store | null;
  /** The margin model's Elo pool fitted on the backtest's raw margin and Elo forecasts (sports that blend). */
  eloBlend: EnsembleWeights | null;
}

/** Walk-forward over the BACKTEST_DAYS before the cut-off: metrics per model and the ensemble's weights. */
async function runBacktest(deps: PredictionDeps, history: HistoryMatch[], settings: SportSettings, cutoff: string, main: FittedKind | null, select: boolean): Promise<Backtest> {
  const from = addDaysTo(cutoff, -BACKTEST_DAYS);
  const kinds: FittedKind[] = main ? [main, 'elo'] : ['elo'];
  const walk = walkForward({ history, settings, kinds, from, until: cutoff, refitDays: settings.refitDays });
  const classes = main === 'dixon-coles' || settings.elo.draw !== null ? 3 : 2;
  const targets = history.filter((m) => isResult(m) && m.date >= from && m.date < cutoff);
  const selection: StoredChoice[] = [];
  if (select) {
    // Every candidate walks the same two years; the chosen one's forecasts replace the fixed
    // settings' below, so the metrics and the ensemble's weights are those of the stored model.
    const runs = runCandidates(history, settings, walk.forecasts, { from, until: cutoff, refitDays: settings.refitDays }, classes);
    const evidence = targets.map((m) => ({ id: m.id, homeScore: m.homeScore!, awayScore: m.awayScore! }));
    for (const choice of runs.choose(evidence)) {
      walk.forecasts.set(familyKind(choice.family, settings)!, runs.forecastsOf(choice));
      selection.push({ ...choice, chosen_on: { backtest_from: from, backtest_to: addDaysTo(cutoff, -1) } });
    }
  }
  // Each forecast is out of sample; where a candidate setting was chosen on these same two
  // years, its score here is the one it was chosen for (the evaluation's nested run is the honest one).
  const chosenHere = selection.filter((c) => c.chosen !== 'fixed').map((c) => c.chosen);
  const period = { backtest_from: from, backtest_to: addDaysTo(cutoff, -1), refit_days: settings.refitDays, out_of_sample: true, ...(chosenHere.length > 0 ? { settings_chosen_on_this_backtest: chosenHere } : {}) };
  const metrics: Backtest['metrics'] = {};
  for (const kind of kinds) {
    const items = targets.flatMap((m) => {
      const f = walk.forecasts.get(kind)?.get(m.id);
      return f ? [{ forecast: f, homeScore: m.homeScore!, awayScore: m.awayScore! }] : [];
    });
    if (items.length > 0) metrics[kind] = { ...period, ...metricView(scoreSet(items, classes)) };
  }
  let eloBlend: EnsembleWeights | null = null;
  if (main === 'margin' && settings.margin?.eloBlend) {
    const blendRows = targets.flatMap((m) => {
      const mf = walk.forecasts.get('margin')?.get(m.id);
      const ef = walk.forecasts.get('elo')?.get(m.id);
      const row = mf && ef ? eloBlendRow(mf, ef, m.homeScore!, m.awayScore!) : null;
      return row ? [row] : [];
    });
    eloBlend = fitEloBlend(blendRows);
  }
  if (!main || targets.length === 0) return { selection, metrics, ensemble: null, eloBlend };
  const started = performance.now();
  const quotes = await loadQuotes(deps.db, targets.map((m) => m.id));
  const rows: EnsembleRow[] = [];
  const dates: string[] = [];
  for (const m of targets) {
    const inputs = [walk.forecasts.get(main)?.get(m.id), walk.forecasts.get('elo')?.get(m.id), marketOf(quotes.get(m.id)?.opening, settings, MARGIN_METHOD)];
    const outcome = outcomeClass(m.homeScore!, m.awayScore!, classes);
    if (outcome === null || inputs.some((f) => f === undefined)) continue;
    rows.push({ inputs: inputs.map((f) => classesOf(f!, classes)), outcome });
    dates.push(m.date);
  }
  const sources = [main, 'elo', 'market'];
  const fitted = fitEnsemble(rows, classes, sources);
  if (!fitted) return { selection, metrics, ensemble: null, eloBlend };
  // The gate: a blend fitted on the backtest's earlier half of the rows must beat the market on
  // the later half, out of sample, before the blend is served; otherwise the ensemble is the
  // market alone (with too few rows for both halves, too).
  const half = Math.floor(rows.length / 2);
  const later = rows.slice(half);
  const probe = fitEnsemble(rows.slice(0, half), classes, sources);
  const gate = probe
    ? ensembleGate(later.map((r) => rowLoss(applyEnsemble(probe, r.inputs), r.outcome, classes)), later.map((r) => rowLoss(r.inputs[2]!, r.outcome, classes)), classes)
    : ensembleGate([], [], classes);
  const weights = gate.open ? fitted : marketAlone(fitted);
  const ensemble: Store = {
    kind: 'ensemble',
    started,
    values: {
      windowFrom: from,
      windowTo: addDaysTo(cutoff, -1),
      matchCount: weights.trainingRows,
      teamCount: 0,
      parameters: { ...weights, market: ENSEMBLE_MARKET, margin_method: MARGIN_METHOD },
      diagnostics: {
        converged: weights.converged,
        training_log_loss: weights.trainingLogLoss,
        training_rows: weights.trainingRows,
        in_sample: true,
        // Each source's fitted weight with its Laplace standard error, and the prior it was shrunk
        // towards; the weights served are these where the gate is open, the market alone otherwise.
        weights: Object.fromEntries(fitted.sources.map((s, i) => [s, { weight: fitted.weights[i]!, standard_error: fitted.standardErrors?.[i] ?? null, prior_mean: fitted.prior?.mean[i] ?? null }])),
        weights_served: Object.fromEntries(weights.sources.map((s, i) => [s, weights.weights[i]!])),
        gate: { ...gate, probe: probe && half > 0 ? { fitted_on: `${dates[0]}..${dates[half - 1]}`, tested_on: `${dates[half]}..${dates[dates.length - 1]}` } : null },
        prior_precision: weights.prior?.precision ?? null,
      },
    },
    metrics: { ...period, note: 'weights fitted on the backtest forecasts; no out-of-sample score of its own' },
  };
  return { selection, metrics, ensemble, eloBlend };
}

export function metricView(m: MetricSet): Record<string, unknown> {
  return { n: m.n, log_loss: m.log_loss, brier: m.brier, rps: m.rps, accuracy: m.accuracy, ece: m.ece, spread_mae: m.spread_mae, total_mae: m.total_mae };
}

/** Sets `news` on each training result (NEWS_FEATURES_IN_TRAINING); returns the coverage. */
export async function attachNewsFeatures(db: Db, results: HistoryMatch[]): Promise<{ window_days: number; matches: number; matches_with_news: number; used_by_models: string[] }> {
  const byMatch = await matchNewsFeatures(db, results);
  let withNews = 0;
  for (const m of results) {
    m.news = byMatch.get(m.id) ?? null;
    if (m.news && m.news.home.documents + m.news.away.documents > 0) withNews += 1;
  }
  return { window_days: DEFAULT_NEWS_WINDOW_DAYS, matches: results.length, matches_with_news: withNews, used_by_models: [] };
}
