// One competition's walk-forward run turned into evaluation records: every predicted result
// with each model's forecast, the ensemble (fitted only on earlier seasons' records), and the
// opening and closing market with the bookmaker margin removed.
import { applyEloBlend, eloBlendRow, ensembleForecast, ensembleGate, marketAlone, rowLoss, type EnsembleGate, fitEloBlend, fitEnsemble, marketForecast, spreadForecast, classesOf, outcomeClass, type EnsembleRow, type EnsembleWeights, type Forecast } from '../engine/forecast.js';
import { dayNumber, isResult, seasonOrder, type HistoryMatch } from '../engine/history.js';
import { MARGIN_METHOD, type SportSettings } from '../engine/params.js';
import { walkForward, type FittedKind, type WalkForwardOutput } from '../engine/walk-forward.js';
import { familyKind, runCandidates, SELECTION_EVIDENCE_DAYS, type FamilyChoice } from '../engine/settings-selection.js';
import { hasPrices, type MatchQuotes } from '../repository-data.js';
import type { MarginMethod } from '../../../models/market.js';
import type { Quote } from '../engine/forecast.js';

export const EVAL_MODELS = ['elo', 'dixon-coles', 'bivariate-poisson', 'margin', 'ensemble'] as const;
export type EvalModel = (typeof EVAL_MODELS)[number];
export type Forecaster = EvalModel | 'market-opening' | 'market-closing';

export interface EvalRecord {
  matchId: number;
  /** Team ids (for naming the match in exports). */
  home: number;
  away: number;
  competition: string;
  season: string;
  date: string;
  homeScore: number;
  awayScore: number;
  forecasts: Partial<Record<Forecaster, Forecast>>;
  /** The opening and closing market de-margined by the other method (see ALTERNATIVE_METHOD). */
  altMarket?: { method: MarginMethod; opening?: Forecast; closing?: Forecast };
  /** The data cut-off of the fit that made the models' forecasts (results strictly before it). */
  cutoff?: string;
  /** The ensemble's model inputs (base model, Elo) when the ensemble is evaluated. */
  inputs?: Forecast[];
}

export interface CompetitionRun {
  records: EvalRecord[];
  walk: WalkForwardOutput;
  /** With `selectSettings`: the settings chosen for each forecast season, from the seasons before it. */
  selections?: SeasonSelection[];
}

export interface SeasonSelection {
  season: string;
  choices: FamilyChoice[];
}

/** The models the ensemble blends with the market: the sport's main score or margin model, and Elo. */
export function ensembleInputs(sport: string): FittedKind[] {
  return [sport === 'soccer' ? 'dixon-coles' : 'margin', 'elo'];
}

export const ENSEMBLE_MARKET = 'market-opening';

/** The method every report shows beside the chosen one: Shin's, or plain normalisation when Shin is chosen. */
export function alternativeMethod(method: MarginMethod): MarginMethod {
  return method === 'shin' ? 'multiplicative' : 'shin';
}

export function marketOf(q: Quote | undefined, settings: SportSettings, method: MarginMethod): Forecast | undefined {
  if (!q) return undefined;
  if (hasPrices(q)) return marketForecast(q, method);
  if (q.spreadLine != null && settings.spreadSd !== null) return spreadForecast(q.spreadLine, settings.spreadSd, q.totalLine ?? null);
  return undefined;
}

export interface RunInput {
  code: string;
  sport: string;
  history: HistoryMatch[];
  settings: SportSettings;
  models: readonly EvalModel[];
  /** First season whose matches are forecast (earlier ones only train). */
  predictFrom: string;
  /** Last season forecast. */
  predictTo: string;
  refitDays: number;
  quotes: (matchIds: number[]) => Promise<Map<number, MatchQuotes>>;
  method?: MarginMethod;
  /**
   * Choose the main model's and Elo's settings per season by nested walk-forward
   * (engine/settings-selection.ts) instead of using `settings` as they are.
   */
  selectSettings?: boolean;
}

export async function runCompetition(input: RunInput): Promise<CompetitionRun> {
  const method = input.method ?? MARGIN_METHOD;
  const order = seasonOrder(input.history);
  const firstDate = (season: string) => input.history.filter((m) => m.season === season).reduce((d, m) => (m.date < d ? m.date : d), '9999-12-31');
  const toIdx = order.indexOf(input.predictTo);
  const from = firstDate(input.predictFrom);
  const until = toIdx + 1 < order.length ? firstDate(order[toIdx + 1]!) : undefined;
  const inputsOf = ensembleInputs(input.sport);
  const kinds = new Set<FittedKind>(input.models.filter((m): m is FittedKind => m !== 'ensemble'));
  if (input.models.includes('ensemble')) for (const k of inputsOf) kinds.add(k);
  const eloBlend = kinds.has('margin') && input.settings.margin?.eloBlend === true;
  if (eloBlend) kinds.add('elo');
  const walk = walkForward({ history: input.history, settings: input.settings, kinds: [...kinds], from, until, refitDays: input.refitDays });
  const selections = input.selectSettings ? selectPerSeason(walk, input, order, from, until, firstDate) : undefined;
  // The margin model's reported forecasts are the pooled ones; the walk keeps its own, which
  // are the ensemble's inputs (Elo is a source of its own there; training and serving agree).
  const pooledMargin = eloBlend ? poolMarginWithElo(walk, input.history) : null;
  const forecastsOf = (kind: FittedKind) => (kind === 'margin' && pooledMargin ? pooledMargin : walk.forecasts.get(kind));
  const predictedIds = [...new Set([...walk.forecasts.values()].flatMap((m) => [...m.keys()]))];
  const quotes = await input.quotes(predictedIds);
  const records: EvalRecord[] = [];
  const fromDay = dayNumber(from);
  for (const m of input.history) {
    if (m.homeScore === null || m.awayScore === null || dayNumber(m.date) < fromDay) continue;
    if (until !== undefined && m.date >= until) continue;
    const forecasts: EvalRecord['forecasts'] = {};
    for (const kind of input.models) {
      const f = kind === 'ensemble' ? undefined : forecastsOf(kind)?.get(m.id);
      if (f) forecasts[kind] = f;
    }
    const q = quotes.get(m.id);
    const opening = marketOf(q?.opening, input.settings, method);
    const closing = marketOf(q?.closing, input.settings, method);
    if (opening) forecasts['market-opening'] = opening;
    if (closing) forecasts['market-closing'] = closing;
    const alt = alternativeMethod(method);
    const altOpening = marketOf(q?.opening, input.settings, alt);
    const altClosing = marketOf(q?.closing, input.settings, alt);
    const altMarket = { method: alt, ...(altOpening ? { opening: altOpening } : {}), ...(altClosing ? { closing: altClosing } : {}) };
    const cutoff = walk.cutoffs.get(m.id);
    const inputs = inputsOf.map((k) => walk.forecasts.get(k)?.get(m.id));
    const complete = input.models.includes('ensemble') && inputs.every((f) => f !== undefined);
    records.push({ matchId: m.id, home: m.home, away: m.away, competition: input.code, season: m.season, date: m.date, homeScore: m.homeScore, awayScore: m.awayScore, forecasts, altMarket, ...(cutoff ? { cutoff } : {}), ...(complete ? { inputs: inputs as Forecast[] } : {}) });
  }
  return { records, walk, ...(selections ? { selections } : {}) };
}

/**
 * Nested walk-forward: every candidate setting is run walk-forward over the same range; for
 * each season the choice is made on the forecasts of the SELECTION_EVIDENCE_DAYS before its
 * first match (training's backtest window), and that season's forecasts of the family's model
 * are replaced in `walk` by the chosen candidate's. The first season forecast has no evidence
 * and keeps the fixed settings.
 */
function selectPerSeason(walk: WalkForwardOutput, input: RunInput, order: readonly string[], from: string, until: string | undefined, firstDate: (season: string) => string): SeasonSelection[] {
  const classes = input.sport === 'soccer' || input.settings.elo.draw !== null ? 3 : 2;
  // A copy of the fixed settings' forecasts: `walk` is overwritten season by season below.
  const fixed = new Map([...walk.forecasts].map(([k, m]) => [k, new Map(m)]));
  const runs = runCandidates(input.history, input.settings, fixed, { from, ...(until !== undefined ? { until } : {}), refitDays: input.refitDays }, classes);
  walk.fits += runs.fits;
  walk.fitMs += runs.fitMs;
  const results = input.history.filter((m) => isResult(m) && m.date >= from && (until === undefined || m.date < until));
  const out: SeasonSelection[] = [];
  for (const season of order) {
    const start = firstDate(season);
    if (start < from || (until !== undefined && start >= until)) continue;
    const startDay = dayNumber(start);
    const evidence = results
      .filter((m) => dayNumber(m.date) < startDay && dayNumber(m.date) >= startDay - SELECTION_EVIDENCE_DAYS)
      .map((m) => ({ id: m.id, homeScore: m.homeScore!, awayScore: m.awayScore! }));
    const choices = runs.choose(evidence);
    for (const choice of choices) {
      const source = runs.forecastsOf(choice);
      const target = walk.forecasts.get(familyKind(choice.family, input.settings)!)!;
      for (const m of results) {
        if (m.season !== season) continue;
        const f = source.get(m.id);
        if (f) target.set(m.id, f);
        else target.delete(m.id);
      }
    }
    out.push({ season, choices });
  }
  return out;
}

/**
 * The margin model's Elo blend in evaluation: for each season (in date order), the pool's
 * weights are fitted on the raw margin and Elo forecasts of earlier seasons only, then applied
 * to the season's. Returns the margin forecasts to report: pooled, or raw for a season with
 * too few earlier forecasts. The walk's own forecasts are left as they are.
 */
export function poolMarginWithElo(walk: WalkForwardOutput, history: readonly HistoryMatch[]): Map<number, Forecast> {
  const margin = walk.forecasts.get('margin');
  const elo = walk.forecasts.get('elo');
  const pooled = new Map(margin ?? []);
  if (!margin || !elo) return pooled;
  const earlier: EnsembleRow[] = [];
  for (const season of seasonOrder(history)) {
    const games = history.filter((m) => m.season === season && isResult(m) && margin.has(m.id) && elo.has(m.id));
    const weights = fitEloBlend(earlier);
    for (const m of games) {
      if (weights) pooled.set(m.id, applyEloBlend(weights, margin.get(m.id)!, elo.get(m.id)!));
      const row = eloBlendRow(margin.get(m.id)!, elo.get(m.id)!, m.homeScore!, m.awayScore!);
      if (row) earlier.push(row);
    }
  }
  return pooled;
}

/**
 * For each season (in date order), fits the blend of the base model and the opening market on
 * the records of earlier seasons only, then forecasts that season. By default each competition
 * gets its own blend from its own earlier seasons (`perCompetition`, as training does); with
 * `perCompetition: false` the earlier seasons of every competition given are pooled. The
 * weights are shrunk towards the market with `priorPrecision` (fitEnsemble), and a season is
 * served the blend only where the gate (ensembleGate) is open on the blend's own forecasts of
 * the earlier seasons; otherwise the ensemble is the market alone. Returns the number of blends
 * fitted and the last blend of each competition (or of the pool, keyed '*') with its gate.
 */
export function addEnsemble(records: EvalRecord[], sport: string, options: { perCompetition?: boolean; priorPrecision?: number } = {}): { fits: number; last: Map<string, EnsembleWeights & { gate: EnsembleGate }> } {
  const perCompetition = options.perCompetition ?? true;
  const groups = new Map<string, EvalRecord[]>();
  for (const r of records) {
    const k = perCompetition ? r.competition : '*';
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  let fits = 0;
  const last = new Map<string, EnsembleWeights & { gate: EnsembleGate }>();
  for (const [k, group] of groups) {
    const n = addEnsembleTo(group, sport, options.priorPrecision, (w, gate) => last.set(k, { ...w, gate }));
    fits += n;
  }
  return { fits, last };
}

function addEnsembleTo(records: EvalRecord[], sport: string, priorPrecision: number | undefined, onFit: (w: EnsembleWeights, gate: EnsembleGate) => void): number {
  const classes = sport === 'soccer' ? 3 : 2;
  const sources = [...ensembleInputs(sport), 'market'];
  const order = seasonOrder(records.map((r) => ({ id: r.matchId, date: r.date, season: r.season, home: 0, away: 0, homeScore: null, awayScore: null, neutral: false })));
  const usable = (r: EvalRecord) => r.inputs !== undefined && r.forecasts[ENSEMBLE_MARKET] !== undefined;
  const inputsOf = (r: EvalRecord) => [...r.inputs!, r.forecasts[ENSEMBLE_MARKET]!];
  let fitted = 0;
  const earlier: EnsembleRow[] = [];
  // The fitted blend's own out-of-sample losses and the market's on the same matches, season
  // by season: the gate's evidence (whether or not the blend was served those seasons).
  const blendLoss: number[] = [];
  const marketLoss: number[] = [];
  for (const season of order) {
    const rows = records.filter((r) => r.season === season && usable(r));
    const weights = fitEnsemble(earlier, classes, sources, priorPrecision);
    const seasonLoss: [number, number][] = [];
    if (weights) {
      fitted++;
      const gate = ensembleGate(blendLoss, marketLoss, classes);
      onFit(weights, gate);
      const served = gate.open ? weights : marketAlone(weights);
      for (const r of rows) {
        const blend = ensembleForecast(weights, inputsOf(r), r.inputs![0]!);
        r.forecasts.ensemble = gate.open ? blend : ensembleForecast(served, inputsOf(r), r.inputs![0]!);
        const outcome = outcomeClass(r.homeScore, r.awayScore, classes);
        if (outcome !== null) seasonLoss.push([rowLoss(classesOf(blend, classes), outcome, classes), rowLoss(classesOf(r.forecasts[ENSEMBLE_MARKET]!, classes), outcome, classes)]);
      }
    }
    // Only now does this season become training data and gate evidence for the seasons after it.
    for (const [b, m] of seasonLoss) {
      blendLoss.push(b);
      marketLoss.push(m);
    }
    for (const r of rows) {
      const outcome = outcomeClass(r.homeScore, r.awayScore, classes);
      if (outcome !== null) earlier.push({ inputs: inputsOf(r).map((f) => classesOf(f, classes)), outcome });
    }
  }
  return fitted;
}
