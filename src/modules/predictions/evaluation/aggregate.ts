// Turns evaluation records into the report's tables: metrics per season, per competition,
// over all reported seasons and over the held-out ones, each computed on the matches that
// every compared forecaster covers (so n is the same in a row of the table); the paired
// bootstrap of model − market; and the quality bars, judged on held-out seasons.
import { pairedBootstrap } from '../../../models/metrics.js';
import type { CalibrationInterval } from '../../../models/metrics.js';
import type { MarginMethod } from '../../../models/market.js';
import type { Forecast } from '../engine/forecast.js';
import { calibrationIntervals, perItemScores, scoreSet, type MetricSet, type ScoredItem } from '../engine/scoring.js';
import type { EvalModel, EvalRecord, Forecaster } from './records.js';

/** One market baseline under one de-margining method, and each model's gap to it. */
export interface MethodComparison {
  method: MarginMethod;
  /** true for the method the rest of the report uses. */
  primary: boolean;
  market: 'market-opening' | 'market-closing';
  metric: 'rps' | 'log_loss';
  scope: 'held_out' | 'overall';
  n: number;
  market_mean: number;
  /** model − market: mean and paired-bootstrap 95% interval. */
  models: { model: EvalModel; model_mean: number; mean_difference: number; lower: number; upper: number; relative_difference: number }[];
}

export interface BootstrapEntry {
  model: EvalModel;
  market: 'market-opening' | 'market-closing';
  metric: 'rps' | 'log_loss' | 'spread_error';
  scope: 'held_out' | 'overall';
  n: number;
  model_mean: number;
  market_mean: number;
  mean_difference: number;
  lower: number;
  upper: number;
  /** mean_difference / market_mean. */
  relative_difference: number;
}

/** One competition's one season (held-out scope when there is one): each model's gap to the opening market. */
export interface LeagueSeasonEntry {
  competition: string;
  season: string;
  market: 'market-opening';
  metric: 'rps' | 'log_loss';
  n: number;
  market_mean: number;
  models: MethodComparison['models'];
}

export interface QualityBar {
  name: string;
  value: number | null;
  threshold: number;
  /** null when a forecaster it needs is missing. */
  pass: boolean | null;
}

export interface EvaluationTables {
  forecasters: Forecaster[];
  by_season: Record<string, Record<string, MetricSet>>;
  by_competition: Record<string, Record<string, MetricSet>>;
  overall: Record<string, MetricSet>;
  held_out: Record<string, MetricSet>;
  bootstrap: BootstrapEntry[];
  /** The market baselines de-margined by both methods, side by side (held-out scope when there is one). */
  margin_methods: MethodComparison[];
  /** ECE per outcome with its bootstrap interval and a calibrated forecaster's noise band (same scope). */
  calibration: Record<string, CalibrationInterval[]>;
  /** Per competition and season: model − opening market with paired-bootstrap intervals (issue 17). */
  by_competition_season: LeagueSeasonEntry[];
  bars: QualityBar[];
}

export interface AggregateOptions {
  sport: string;
  models: readonly EvalModel[];
  isHeldOut: (r: EvalRecord) => boolean;
  resamples: number;
  /** The method the report's market forecasts were de-margined by. */
  method?: MarginMethod;
}

/** Forecasters covering at least half of the records take part; the rest would shrink n too far. */
function presentForecasters(records: readonly EvalRecord[], models: readonly EvalModel[]): Forecaster[] {
  const candidates: Forecaster[] = [...models, 'market-opening', 'market-closing'];
  return candidates.filter((f) => records.filter((r) => r.forecasts[f] !== undefined).length >= records.length / 2 && records.length > 0);
}

function table(records: readonly EvalRecord[], forecasters: readonly Forecaster[], classes: 2 | 3): Record<string, MetricSet> {
  const out: Record<string, MetricSet> = {};
  for (const f of forecasters) out[f] = scoreSet(records.map((r) => item(r, f)), classes);
  return out;
}

const item = (r: EvalRecord, f: Forecaster): ScoredItem => ({ forecast: r.forecasts[f]!, homeScore: r.homeScore, awayScore: r.awayScore });

function groupBy<K extends string>(records: readonly EvalRecord[], key: (r: EvalRecord) => K): Map<K, EvalRecord[]> {
  const out = new Map<K, EvalRecord[]>();
  for (const r of records) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export function aggregate(all: readonly EvalRecord[], opts: AggregateOptions): EvaluationTables {
  const classes: 2 | 3 = opts.sport === 'soccer' ? 3 : 2;
  const forecasters = presentForecasters(all, opts.models);
  const records = all.filter((r) => forecasters.every((f) => r.forecasts[f] !== undefined));
  const heldOut = records.filter(opts.isHeldOut);
  const bySeason: Record<string, Record<string, MetricSet>> = {};
  for (const [season, rs] of [...groupBy(records, (r) => r.season)].sort(([a], [b]) => (a < b ? -1 : 1))) bySeason[season] = table(rs, forecasters, classes);
  const byCompetition: Record<string, Record<string, MetricSet>> = {};
  for (const [code, rs] of groupBy(records, (r) => r.competition)) byCompetition[code] = table(rs, forecasters, classes);
  const overall = table(records, forecasters, classes);
  const held = table(heldOut, forecasters, classes);

  const scope = heldOut.length > 0 ? 'held_out' : 'overall';
  const sample = heldOut.length > 0 ? heldOut : records;
  const bootstrap: BootstrapEntry[] = [];
  const metrics: BootstrapEntry['metric'][] = classes === 3 ? ['rps'] : ['log_loss', 'spread_error'];
  for (const model of opts.models) {
    if (!forecasters.includes(model)) continue;
    const a = perItemScores(sample.map((r) => item(r, model)), classes);
    for (const market of ['market-opening', 'market-closing'] as const) {
      if (!forecasters.includes(market)) continue;
      const b = perItemScores(sample.map((r) => item(r, market)), classes);
      for (const metric of metrics) {
        const pairs = pairedFinite(a[metric], b[metric]);
        if (pairs.a.length === 0) continue;
        const ci = pairedBootstrap(pairs.a, pairs.b, { resamples: opts.resamples, seed: 20240601 });
        const marketMean = pairs.b.reduce((s, v) => s + v, 0) / pairs.b.length;
        bootstrap.push({
          model,
          market,
          metric,
          scope,
          n: pairs.a.length,
          model_mean: ci.meanDifference + marketMean,
          market_mean: marketMean,
          mean_difference: ci.meanDifference,
          lower: ci.lower,
          upper: ci.upper,
          relative_difference: ci.meanDifference / marketMean,
        });
      }
    }
  }
  const marginMethods = compareMethods(sample, forecasters, opts, classes, scope);
  const calibrationTable: Record<string, CalibrationInterval[]> = {};
  for (const f of forecasters) calibrationTable[f] = calibrationIntervals(sample.map((r) => item(r, f)), classes, { resamples: Math.min(1000, opts.resamples) });
  const byCompetitionSeason = leagueSeasons(sample, forecasters, opts, classes);
  const bars = qualityBars(heldOut.length > 0 ? held : overall, classes);
  if (forecasters.includes('ensemble') && byCompetitionSeason.length > 0) {
    const worse = byCompetitionSeason.filter((e) => (e.models.find((m) => m.model === 'ensemble')?.lower ?? -1) > 0).length;
    bars.push({ name: `Ensemble never above the opening market beyond the 95% interval in any league-season (${byCompetitionSeason.length} of them)`, value: worse, threshold: 0, pass: worse === 0 });
  }
  return { forecasters, by_season: bySeason, by_competition: byCompetition, overall, held_out: held, bootstrap, margin_methods: marginMethods, calibration: calibrationTable, by_competition_season: byCompetitionSeason, bars };
}

function leagueSeasons(sample: readonly EvalRecord[], forecasters: readonly Forecaster[], opts: AggregateOptions, classes: 2 | 3): LeagueSeasonEntry[] {
  if (!forecasters.includes('market-opening')) return [];
  const metric: 'rps' | 'log_loss' = classes === 3 ? 'rps' : 'log_loss';
  const cells = groupBy(sample, (r) => `${r.competition}\u0000${r.season}`);
  const out: LeagueSeasonEntry[] = [];
  for (const [key, rows] of [...cells].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [competition, season] = key.split('\u0000') as [string, string];
    const b = perItemScores(rows.map((r) => item(r, 'market-opening')), classes)[metric];
    const models: LeagueSeasonEntry['models'] = [];
    let n = 0;
    let marketMean = NaN;
    for (const model of opts.models) {
      if (!forecasters.includes(model)) continue;
      const pairs = pairedFinite(perItemScores(rows.map((r) => item(r, model)), classes)[metric], b);
      if (pairs.a.length === 0) continue;
      const ci = pairedBootstrap(pairs.a, pairs.b, { resamples: opts.resamples, seed: 20240601 });
      marketMean = pairs.b.reduce((s, v) => s + v, 0) / pairs.b.length;
      n = pairs.a.length;
      models.push({ model, model_mean: ci.meanDifference + marketMean, mean_difference: ci.meanDifference, lower: ci.lower, upper: ci.upper, relative_difference: ci.meanDifference / marketMean });
    }
    if (models.length > 0) out.push({ competition, season, market: 'market-opening', metric, n, market_mean: marketMean, models });
  }
  return out;
}

function compareMethods(sample: readonly EvalRecord[], forecasters: readonly Forecaster[], opts: AggregateOptions, classes: 2 | 3, scope: 'held_out' | 'overall'): MethodComparison[] {
  const out: MethodComparison[] = [];
  const metric: 'rps' | 'log_loss' = classes === 3 ? 'rps' : 'log_loss';
  const alt = sample.find((r) => r.altMarket)?.altMarket?.method;
  if (!opts.method || !alt) return out;
  for (const market of ['market-opening', 'market-closing'] as const) {
    if (!forecasters.includes(market)) continue;
    const side = market === 'market-opening' ? 'opening' : 'closing';
    // Only matches priced under both methods, so the two rows are on the same n.
    const rows = sample.filter((r) => r.forecasts[market] !== undefined && r.altMarket?.[side] !== undefined);
    if (rows.length === 0) continue;
    for (const [method, primary] of [[opts.method, true], [alt, false]] as const) {
      const marketOf = (r: EvalRecord): Forecast => (primary ? r.forecasts[market]! : r.altMarket![side]!);
      const b = perItemScores(rows.map((r) => ({ forecast: marketOf(r), homeScore: r.homeScore, awayScore: r.awayScore })), classes)[metric];
      const finiteB = [...b].filter(Number.isFinite);
      const marketMean = finiteB.reduce((s, v) => s + v, 0) / finiteB.length;
      const models: MethodComparison['models'] = [];
      for (const model of opts.models) {
        if (!forecasters.includes(model)) continue;
        const a = perItemScores(rows.map((r) => item(r, model)), classes)[metric];
        const pairs = pairedFinite(a, b);
        if (pairs.a.length === 0) continue;
        const ci = pairedBootstrap(pairs.a, pairs.b, { resamples: opts.resamples, seed: 20240601 });
        const mb = pairs.b.reduce((s, v) => s + v, 0) / pairs.b.length;
        models.push({ model, model_mean: ci.meanDifference + mb, mean_difference: ci.meanDifference, lower: ci.lower, upper: ci.upper, relative_difference: ci.meanDifference / mb });
      }
      out.push({ method, primary, market, metric, scope, n: finiteB.length, market_mean: marketMean, models });
    }
  }
  return out;
}

function pairedFinite(a: Float64Array, b: Float64Array): { a: number[]; b: number[] } {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) {
      out.a.push(a[i]!);
      out.b.push(b[i]!);
    }
  }
  return out;
}

function ratioBar(name: string, model: number | null | undefined, market: number | null | undefined, threshold: number): QualityBar {
  if (model == null || market == null) return { name, value: null, threshold, pass: null };
  const value = model / market - 1;
  return { name, value, threshold, pass: value <= threshold };
}

function qualityBars(t: Record<string, MetricSet>, classes: 2 | 3): QualityBar[] {
  if (classes === 3) {
    const bars = [
      ratioBar('Dixon-Coles RPS at most 4% above the closing market', t['dixon-coles']?.rps, t['market-closing']?.rps, 0.04),
      ratioBar('Ensemble RPS at or below the opening market', t.ensemble?.rps, t['market-opening']?.rps, 0),
    ];
    for (const model of ['dixon-coles', 'ensemble']) {
      const ece = t[model]?.ece;
      const worst = ece && ece.length > 0 ? Math.max(...ece) : null;
      bars.push({ name: `${model} calibration error under 0.02 for every outcome`, value: worst, threshold: 0.02, pass: worst === null ? null : worst < 0.02 });
    }
    return bars;
  }
  return [
    ratioBar('Margin model spread MAE at most 5% above the closing line', t.margin?.spread_mae, t['market-closing']?.spread_mae, 0.05),
    ratioBar('Margin model win-probability log loss at most 3% above the de-margined closing market', t.margin?.log_loss, t['market-closing']?.log_loss, 0.03),
  ];
}
