// Predictions for upcoming matches. Each scheduled match that has not started gets one row
// per model (Elo, the sport's main model, and the ensemble where odds and weights exist),
// made by the newest artifact whose data cut-off is on or before the match's date — so a
// prediction only ever uses results dated before its match. With no such artifact the
// models are trained on demand at that cut-off. A row is rewritten only while its match has
// not kicked off; from kick-off on it is frozen, whatever happens to the data afterwards.
import { and, eq, gt, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { matches, predictions, seasons, type ModelKind } from '../../db/schema/index.js';
import { eloFromParameters, eloPredict, type EloSnapshot } from './engine/elo.js';
import { applyEloBlend, ensembleForecast, forecastFromMargin, forecastFromScoreMatrix, marketForecast, type EnsembleWeights, type Forecast } from './engine/forecast.js';
import { goalsFromParameters, goalsScoreMatrix, type FittedGoals } from './engine/goals.js';
import { addDaysTo, type HistoryMatch } from './engine/history.js';
import { MARGIN_METHOD, sportSettings } from './engine/params.js';
import { eloPayload, ensemblePayload, goalsPayload, marginPayload, type PredictionPayload } from './engine/payload.js';
import { marginFromParameters, marginPrediction, scheduleCovariatesOf, type FittedMargin } from './engine/points.js';
import { findCompetition, hasPrices, loadHistory, loadQuotes, type CompetitionInfo, type MatchQuotes } from './repository-data.js';
import { usableArtifact, type ArtifactRow } from './repository-artifacts.js';
import { mainKind, today, trainCompetition, type PredictionDeps } from './training.js';
import type { FitDiagnostics } from '../../models/goals-data.js';
import type { MarginFit } from '../../models/margin.js';

export interface GenerateOptions {
  competitionIds?: number[];
  matchIds?: number[];
  /** Scheduled matches up to this many days ahead (default 14). */
  horizonDays?: number;
}

export interface GenerateSummary {
  matches: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Artifacts trained on demand because none covered a match's date. */
  trained: number;
}

interface Target extends HistoryMatch {
  competitionId: number;
  kickoff: Date;
}

/** The instant a match's prediction freezes: kick-off, or the start of its date (UTC) when no time is known. */
export function kickoffOf(m: { kickoffAt: Date | null; matchDate: string }): Date {
  return m.kickoffAt ?? new Date(`${m.matchDate}T00:00:00Z`);
}

async function findTargets(deps: PredictionDeps, opts: GenerateOptions): Promise<Target[]> {
  const now = deps.clock.now();
  const where: SQL[] = [eq(matches.status, 'scheduled'), isNull(matches.ownerUserId), gt(sql`coalesce(${matches.kickoffAt}, ${matches.matchDate}::timestamp at time zone 'UTC')`, now)];
  if (opts.matchIds) where.push(inArray(matches.id, opts.matchIds.length > 0 ? opts.matchIds : [-1]));
  else where.push(lte(matches.matchDate, addDaysTo(today(deps.clock), opts.horizonDays ?? 14)));
  if (opts.competitionIds) where.push(inArray(matches.competitionId, opts.competitionIds.length > 0 ? opts.competitionIds : [-1]));
  const rows = await deps.db
    .select({
      id: matches.id,
      competitionId: matches.competitionId,
      date: matches.matchDate,
      kickoffAt: matches.kickoffAt,
      home: matches.homeTeamId,
      away: matches.awayTeamId,
      neutral: matches.neutral,
      season: seasons.name,
    })
    .from(matches)
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(...where))
    .orderBy(matches.matchDate, matches.id)
    .limit(5000);
  return rows.map((r) => ({ ...r, homeScore: null, awayScore: null, kickoff: kickoffOf({ kickoffAt: r.kickoffAt, matchDate: r.date }) }));
}

type Loaded = { kind: 'elo'; artifact: ArtifactRow; model: EloSnapshot } | { kind: 'dixon-coles'; artifact: ArtifactRow; model: FittedGoals } | { kind: 'margin'; artifact: ArtifactRow; model: FittedMargin } | { kind: 'ensemble'; artifact: ArtifactRow; model: EnsembleWeights };

function load(a: ArtifactRow): Loaded | null {
  const window = { cutoff: a.dataCutoff, count: a.matchCount, from: a.windowFrom, to: a.windowTo };
  switch (a.kind) {
    case 'elo':
      return { kind: 'elo', artifact: a, model: eloFromParameters(a.parameters, a.dataCutoff) };
    case 'dixon-coles':
      return { kind: 'dixon-coles', artifact: a, model: goalsFromParameters('dixon-coles', a.parameters, window, a.diagnostics as unknown as FitDiagnostics) };
    case 'margin':
      return { kind: 'margin', artifact: a, model: marginFromParameters(a.parameters, window, a.diagnostics as unknown as MarginFit['diagnostics']) };
    case 'ensemble':
      return { kind: 'ensemble', artifact: a, model: a.parameters as unknown as EnsembleWeights };
    default:
      return null;
  }
}

/** The quote a prediction blends with: the latest pre-match snapshot, else opening, else closing. */
function currentQuote(q: MatchQuotes | undefined) {
  for (const phase of ['snapshot', 'opening', 'closing'] as const) {
    const quote = q?.[phase];
    if (quote && hasPrices(quote)) return { phase, quote };
  }
  return null;
}

interface Produced {
  kind: ModelKind;
  version: string;
  artifactId: number;
  payload: PredictionPayload;
}

export async function generatePredictions(deps: PredictionDeps, opts: GenerateOptions = {}): Promise<GenerateSummary> {
  const summary: GenerateSummary = { matches: 0, inserted: 0, updated: 0, unchanged: 0, trained: 0 };
  const targets = await findTargets(deps, opts);
  summary.matches = targets.length;
  const byCompetition = new Map<number, Target[]>();
  for (const t of targets) byCompetition.set(t.competitionId, [...(byCompetition.get(t.competitionId) ?? []), t]);
  for (const [competitionId, list] of byCompetition) {
    const comp = await findCompetition(deps.db, competitionId);
    if (!comp) continue;
    const quotes = await loadQuotes(deps.db, list.map((t) => t.id));
    const cache = new Map<string, Loaded | null>();
    const schedule = lazySchedule(deps, comp, list);
    for (const target of list) {
      const produced = await predictTarget(deps, comp, target, quotes.get(target.id), cache, summary, schedule);
      await store(deps, target, produced, summary);
    }
  }
  return summary;
}

/** Days of schedule before the earliest target that the rest features look back over. */
const SCHEDULE_LOOKBACK_DAYS = 60;

/** The competition's schedule around the targets (for rest features), loaded on first use. */
function lazySchedule(deps: PredictionDeps, comp: CompetitionInfo, targets: readonly Target[]): () => Promise<HistoryMatch[]> {
  let loaded: Promise<HistoryMatch[]> | null = null;
  const from = addDaysTo(targets.reduce((d, t) => (t.date < d ? t.date : d), targets[0]!.date), -SCHEDULE_LOOKBACK_DAYS);
  const to = targets.reduce((d, t) => (t.date > d ? t.date : d), targets[0]!.date);
  return () => (loaded ??= loadHistory(deps.db, comp.id, { from, to }));
}

async function artifactFor(deps: PredictionDeps, comp: CompetitionInfo, kind: ModelKind, date: string, cache: Map<string, Loaded | null>): Promise<Loaded | null> {
  const key = `${kind}|${date}`;
  if (cache.has(key)) return cache.get(key)!;
  const row = await usableArtifact(deps.db, comp.id, kind, date);
  const loaded = row ? load(row) : null;
  cache.set(key, loaded);
  return loaded;
}

async function predictTarget(
  deps: PredictionDeps,
  comp: CompetitionInfo,
  t: Target,
  q: MatchQuotes | undefined,
  cache: Map<string, Loaded | null>,
  summary: GenerateSummary,
  schedule: () => Promise<HistoryMatch[]>,
): Promise<Produced[]> {
  const settings = sportSettings(comp.sport, comp.drawsPossible);
  const main = mainKind(settings);
  let elo = await artifactFor(deps, comp, 'elo', t.date, cache);
  if (!elo) {
    // Nothing trained covers this date: train now, on results before min(today, match date).
    const cutoff = t.date < today(deps.clock) ? t.date : today(deps.clock);
    const trained = await trainCompetition(deps, comp, { cutoff, trigger: 'on-demand', backtest: false });
    summary.trained += trained.artifacts.length;
    cache.clear();
    elo = await artifactFor(deps, comp, 'elo', t.date, cache);
    if (!elo) return [];
  }
  const out: Produced[] = [];
  const of = (l: Loaded, payload: PredictionPayload): Produced => ({ kind: l.kind, version: l.artifact.version, artifactId: l.artifact.id, payload });
  if (elo.kind === 'elo') out.push(of(elo, eloPayload(eloPredict(elo.model, t), elo.model.calibration.drawModel !== null)));
  let mainForecast: Forecast | null = null;
  /** The main model's own forecast, before any Elo pool: what the ensemble was fitted on. */
  let ensembleInput: Forecast | null = null;
  let mainPayload: PredictionPayload | null = null;
  const m = main ? await artifactFor(deps, comp, main, t.date, cache) : null;
  if (m?.kind === 'dixon-coles') {
    const matrix = goalsScoreMatrix(m.model, t.home, t.away, t.neutral);
    if (matrix) {
      mainForecast = ensembleInput = forecastFromScoreMatrix(matrix);
      mainPayload = goalsPayload(mainForecast, matrix);
    }
  } else if (m?.kind === 'margin') {
    const covariates = m.model.features.length > 0 ? scheduleCovariatesOf(m.model.features, await schedule(), t) : [];
    const p = marginPrediction(m.model, t.home, t.away, t.neutral, covariates);
    if (p) {
      mainForecast = ensembleInput = forecastFromMargin(p);
      // Sports that blend: the win probability pooled with Elo's (the artifact's backtest-fitted weights).
      if (m.model.eloBlend && elo.kind === 'elo') mainForecast = applyEloBlend(m.model.eloBlend, mainForecast, eloPredict(elo.model, t));
      const lines = q?.closing ?? q?.snapshot ?? q?.opening;
      mainPayload = marginPayload(mainForecast, p, { spread: lines?.spreadLine ?? null, total: lines?.totalLine ?? null });
    }
  }
  if (m && mainPayload) out.push(of(m, mainPayload));
  const quote = currentQuote(q);
  const ens = mainForecast && quote ? await artifactFor(deps, comp, 'ensemble', t.date, cache) : null;
  if (ens?.kind === 'ensemble' && ensembleInput && mainForecast && mainPayload && quote && elo.kind === 'elo') {
    const market = marketForecast(quote.quote, MARGIN_METHOD);
    const eloF = eloPredict(elo.model, t);
    // The ensemble has Elo as a source of its own, so it takes the main model's forecast before
    // the Elo pool, as in training's backtest and in evaluation.
    const blend = ensembleForecast(ens.model, [ensembleInput, eloF, market], mainForecast);
    const weights = Object.fromEntries(ens.model.sources.map((s, i) => [s, Math.round(ens.model.weights[i]! * 1e4) / 1e4]));
    out.push(of(ens, ensemblePayload(blend, mainPayload, { bookmaker: quote.quote.bookmaker ?? 'unknown', phase: quote.phase, method: MARGIN_METHOD, overround: market.overround, forecast: market }, weights)));
  }
  return out;
}

/** Headline order: the ensemble, the sport's main model, Elo. */
const PRIMARY_ORDER: ModelKind[] = ['ensemble', 'dixon-coles', 'margin', 'elo'];

async function store(deps: PredictionDeps, t: Target, produced: Produced[], summary: GenerateSummary): Promise<void> {
  if (produced.length === 0) return;
  const now = deps.clock.now();
  // as_of is the clock's instant (the replay's "today"); created_at the real write time.
  const written = new Date();
  const primary = PRIMARY_ORDER.find((k) => produced.some((p) => p.kind === k))!;
  const existing = await deps.db
    .select({ kind: predictions.kind, version: predictions.modelVersion, probHome: predictions.probHome, probAway: predictions.probAway, isPrimary: predictions.isPrimary })
    .from(predictions)
    .where(eq(predictions.matchId, t.id))
    .limit(20);
  await deps.db.transaction(async (tx) => {
    for (const p of produced) {
      const before = existing.find((e) => e.kind === p.kind);
      const isPrimary = p.kind === primary;
      if (before && before.version === p.version && before.probHome === p.payload.probHome && before.probAway === p.payload.probAway && before.isPrimary === isPrimary) {
        summary.unchanged++;
        continue;
      }
      const values = {
        modelVersion: p.version,
        artifactId: p.artifactId,
        isPrimary,
        ...p.payload,
        kickoff: t.kickoff,
        matchDate: t.date,
        updatedAt: now,
      };
      await tx
        .insert(predictions)
        .values({ matchId: t.id, kind: p.kind, ...values, asOf: now, createdAt: written })
        .onConflictDoUpdate({
          target: [predictions.matchId, predictions.kind],
          set: { ...values, asOf: now, createdAt: written },
          // Frozen from kick-off: a stored prediction is never rewritten after its match starts.
          setWhere: gt(predictions.kickoff, now),
        });
      if (before) summary.updated++;
      else summary.inserted++;
    }
    await tx
      .update(predictions)
      .set({ isPrimary: false, updatedAt: now })
      .where(and(eq(predictions.matchId, t.id), sql`${predictions.kind} <> ${primary}`, eq(predictions.isPrimary, true), gt(predictions.kickoff, now)));
  });
}
