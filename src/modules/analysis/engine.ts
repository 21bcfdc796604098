// One analysis run, as the job executes it: collect the latest prices of upcoming matches,
// price every side against the pure model's joint outcomes (never against the ensemble,
// which blends the very prices being judged), keep the sides with positive expected value,
// apply the business rules, and store the opportunities and each match's joint scenarios
// for the lineup optimiser. Progress is written to the run's row as it goes.
import type { Db } from '../../db/client.js';
import type { AnalysisStatus } from '../../db/schema/index.js';
import { priceBet } from '../../models/value.js';
import type { FitDiagnostics } from '../../models/goals-data.js';
import type { Clock } from '../../platform/clock.js';
import type { RuleSubject, Violation } from '../rules/evaluate.js';
import type { RulesService } from '../rules/service.js';
import { goalsFromParameters, goalsScoreMatrix } from '../predictions/engine/goals.js';
import { loadArtifact, loadModelPredictions, loadOffers, storeResults, updateRun, type GroupInsert, type ModelPrediction, type OfferRow, type OpportunityInsert } from './repository.js';
import { betReturn, mergeScenarios, pointsOutcomes, settlementOf, soccerOutcomes, type Outcome } from './scenarios.js';

export interface AnalysisRequest {
  sports: string[] | null;
  min_confidence: number;
  max_results: number;
  lineup_sizes: number[];
  user_id: string | null;
  bookmakers: string[] | null;
  markets: string[] | null;
  kelly_fraction: number;
  bankroll: number;
}

export interface AnalysisSettings {
  horizonDays: number;
  /** Largest single stake, as a fraction of the bankroll (after the Kelly fraction). */
  maxStake: number;
  /** The model's probability error at q = ½ (ml_confidence's σ). */
  modelSd: number;
  maxTotalStake: number;
  maxStakePerMatch: number;
  maxBetsPerMatch: number;
  maxBetsPerSport: number | null;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  horizonDays: 14,
  maxStake: 0.05,
  modelSd: 0.04,
  maxTotalStake: 0.5,
  maxStakePerMatch: 0.2,
  maxBetsPerMatch: 2,
  maxBetsPerSport: null,
};

export type { RuleSubject };
export type RuleVerdict = Violation;

/** The business rules as the analysis uses them; absent → no rules apply. */
export interface RulesPort {
  current(): Promise<{ ruleset_version: string | null; rules_last_updated: Date | null }>;
  check(userId: string | null, subjects: RuleSubject[], now: Date): Promise<Map<string, RuleVerdict[]>>;
}

/** The analysis's view of the business-rules service. */
export function rulesPortOf(rules: RulesService): RulesPort {
  return {
    async current() {
      const a = await rules.active();
      return { ruleset_version: a.ruleset_version, rules_last_updated: a.rules_last_updated };
    },
    check: (userId, subjects, now) => rules.check(userId, subjects, now),
  };
}

export interface AnalysisDeps {
  db: Db;
  clock: Clock;
  settings: AnalysisSettings;
  rules?: RulesPort;
}

/** The sides of each market, in the order their prices are de-margined together. */
const SIDES: Record<string, string[]> = {
  '1x2': ['home', 'draw', 'away'],
  moneyline: ['home', 'away'],
  over_under: ['over', 'under'],
  total: ['over', 'under'],
  asian_handicap: ['home', 'away'],
  spread: ['home', 'away'],
  btts: ['yes', 'no'],
};

const RECOMMENDATION: Record<string, string> = { home: 'HOME', draw: 'DRAW', away: 'AWAY', over: 'OVER', under: 'UNDER', yes: 'YES', no: 'NO' };

const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

export function betIdOf(o: Pick<OfferRow, 'match_id' | 'bookmaker' | 'market' | 'line' | 'selection'>): string {
  return `${o.match_id}:${o.bookmaker}:${o.market}:${o.line ?? '-'}:${o.selection}`;
}

interface ModelOutcomes {
  outcomes: Outcome[];
  model: string;
  modelVersion: string;
}

type ArtifactCache = Map<number, Awaited<ReturnType<typeof loadArtifact>>>;

async function outcomesOf(db: Db, offer: OfferRow, prediction: ModelPrediction | undefined, artifacts: ArtifactCache): Promise<ModelOutcomes | null> {
  if (!prediction) return null;
  if (prediction.kind === 'dixon-coles' && prediction.artifactId !== null) {
    if (!artifacts.has(prediction.artifactId)) artifacts.set(prediction.artifactId, await loadArtifact(db, prediction.artifactId));
    const a = artifacts.get(prediction.artifactId);
    if (!a) return null;
    const fit = goalsFromParameters(
      'dixon-coles',
      a.parameters,
      { cutoff: a.dataCutoff, count: a.matchCount, from: a.windowFrom, to: a.windowTo },
      a.diagnostics as unknown as FitDiagnostics,
    );
    const matrix = goalsScoreMatrix(fit, offer.home_id, offer.away_id, offer.neutral);
    return matrix ? { outcomes: soccerOutcomes(matrix), model: 'dixon-coles', modelVersion: prediction.modelVersion } : null;
  }
  if (prediction.kind === 'margin') {
    const m = prediction.markets as { expected_score?: { home: number; away: number }; spread?: { margin_sd: number }; total?: { total_sd: number } };
    if (!m.expected_score || !m.spread || !m.total) return null;
    return {
      outcomes: pointsOutcomes(m.expected_score.home, m.expected_score.away, m.spread.margin_sd, m.total.total_sd),
      model: 'margin',
      modelVersion: prediction.modelVersion,
    };
  }
  return null;
}

export interface RunSummary {
  offers: number;
  matches: number;
  priced: number;
  opportunities: number;
  filtered: number;
  skipped: Record<string, number>;
}

type Progress = (u: { analysed: number; total: number; sport: string | null; bookmaker: string | null }) => Promise<void>;

/** Runs one analysis to completion; throws with the reason when it cannot (the job marks it failed). */
export async function runAnalysis(deps: AnalysisDeps, runId: string, req: AnalysisRequest, progress: Progress): Promise<RunSummary> {
  const { db, clock, settings } = deps;
  const now = clock.now();
  const setStatus = (status: AnalysisStatus, extra: Record<string, unknown> = {}) => updateRun(db, runId, { status, updatedAt: clock.now(), ...extra });
  await setStatus('collecting_data', { startedAt: now, message: 'Collecting the latest prices of upcoming matches' });
  const offers = await loadOffers(db, { now, horizonDays: settings.horizonDays, sports: req.sports, bookmakers: req.bookmakers, markets: req.markets });
  const byMatch = new Map<number, OfferRow[]>();
  for (const o of offers) byMatch.set(o.match_id, [...(byMatch.get(o.match_id) ?? []), o]);
  const predictionsByMatch = await loadModelPredictions(db, [...byMatch.keys()]);
  const summary: RunSummary = { offers: offers.length, matches: byMatch.size, priced: 0, opportunities: 0, filtered: 0, skipped: {} };
  const skip = (reason: string, n: number) => (summary.skipped[reason] = (summary.skipped[reason] ?? 0) + n);
  await setStatus('analyzing', { totalBets: offers.length, message: `Pricing ${offers.length} prices of ${byMatch.size} matches` });

  const artifacts: ArtifactCache = new Map();
  const opportunities: { insert: OpportunityInsert; subject: RuleSubject; returns: Float64Array; group: string; outcomes: Outcome[]; legKey: string }[] = [];
  const outcomesByMatch = new Map<number, Outcome[]>();
  let analysed = 0;
  const ordered = [...byMatch.entries()].sort((a, b) => (a[1][0]!.sport < b[1][0]!.sport ? -1 : a[1][0]!.sport > b[1][0]!.sport ? 1 : a[0] - b[0]));
  for (const [matchId, list] of ordered) {
    const first = list[0]!;
    const model = await outcomesOf(db, first, predictionsByMatch.get(matchId), artifacts);
    if (!model) {
      skip('no model prediction for the match', list.length);
      analysed += list.length;
      continue;
    }
    outcomesByMatch.set(matchId, model.outcomes);
    const markets = new Map<string, OfferRow[]>();
    for (const o of list) {
      const key = `${o.bookmaker}|${o.market}|${o.line ?? ''}`;
      markets.set(key, [...(markets.get(key) ?? []), o]);
    }
    for (const sides of markets.values()) {
      const m = sides[0]!;
      const order = SIDES[m.market];
      const prices = order?.map((sel) => sides.find((s) => s.selection === sel)?.price);
      analysed += sides.length;
      if (!order || !prices || prices.some((p) => p === undefined || !(p > 1))) {
        skip(order ? 'market with a side missing' : `market ${m.market} not settleable from scores`, sides.length);
        continue;
      }
      for (const [i, sel] of order.entries()) {
        const offer = sides.find((s) => s.selection === sel)!;
        const spec = { market: offer.market, selection: offer.selection, line: offer.line, odds: offer.price };
        const returns = Float64Array.from(model.outcomes, (o) => betReturn(spec, o) ?? 0);
        const priced = priceBet(settlementOf(returns, model.outcomes, offer.price), prices as number[], i, {
          kellyMultiplier: req.kelly_fraction,
          maxStake: settings.maxStake,
          modelSd: settings.modelSd,
          method: 'shin',
        });
        summary.priced++;
        if (!(priced.expectedValue > 0)) continue;
        const betId = betIdOf(offer);
        const team = sel === 'away' ? offer.away : sel === 'home' ? offer.home : null;
        const opponent = sel === 'away' ? offer.home : sel === 'home' ? offer.away : null;
        const isTotal = offer.market === 'over_under' || offer.market === 'total';
        const payload = {
          id: betId,
          match_id: matchId,
          competition: offer.competition,
          kickoff: new Date(offer.kickoff).toISOString(),
          sportsbook: offer.bookmaker_name,
          bookmaker: offer.bookmaker,
          sport: offer.sport,
          bet_type: 'game_line',
          market: offer.market,
          selection: sel,
          player_name: null,
          team: team ?? `${offer.home} v ${offer.away}`,
          opponent,
          home_team: offer.home,
          away_team: offer.away,
          stat_type: offer.market,
          line: offer.line,
          odds: offer.price,
          over_odds: isTotal ? (sides.find((s) => s.selection === 'over')?.price ?? null) : null,
          under_odds: isTotal ? (sides.find((s) => s.selection === 'under')?.price ?? null) : null,
          price_phase: offer.phase,
          recommendation: RECOMMENDATION[sel] ?? sel.toUpperCase(),
          model: model.model,
          model_version: model.modelVersion,
          model_probability: round(priced.modelProbability),
          market_probability: round(priced.marketProbability),
          margin_method: priced.method,
          overround: round(priced.overround),
          edge: round(priced.edge),
          expected_value: round(priced.expectedValue),
          kelly_full: round(priced.kellyFull),
          kelly_fraction: round(priced.kellyFraction),
          stake: Math.round(priced.kellyFraction * req.bankroll * 100) / 100,
          ml_confidence: Math.round(priced.mlConfidence * 100) / 100,
          risk_score: round(priced.riskScore, 4),
          risk_level: priced.riskLevel,
        };
        const subject: RuleSubject = {
          bet_id: betId,
          sport: offer.sport,
          bet_type: 'game_line',
          market: offer.market,
          selection: sel,
          stat_type: offer.market,
          player_name: null,
          team,
          opponent,
          match_id: matchId,
          odds: offer.price,
          expected_value: priced.expectedValue,
          risk_score: priced.riskScore,
          ml_confidence: priced.mlConfidence,
          kelly_fraction: priced.kellyFraction,
        };
        opportunities.push({
          insert: { runId, betId, matchId, sport: offer.sport, rank: 0, mlConfidence: priced.mlConfidence, expectedValue: priced.expectedValue, allowed: true, violations: [], payload },
          subject,
          returns,
          group: String(matchId),
          outcomes: model.outcomes,
          legKey: `${offer.market}|${offer.line ?? ''}|${sel}`,
        });
      }
      if (analysed % 200 < sides.length) await progress({ analysed, total: offers.length, sport: m.sport, bookmaker: m.bookmaker });
    }
  }
  await progress({ analysed, total: offers.length, sport: null, bookmaker: null });

  // Business rules: the requesting user's rules, else the global ones.
  const verdicts = deps.rules ? await deps.rules.check(req.user_id, opportunities.map((o) => o.subject), now) : new Map<string, RuleVerdict[]>();
  opportunities.sort((a, b) => b.insert.expectedValue - a.insert.expectedValue || (a.insert.betId < b.insert.betId ? -1 : 1));
  opportunities.forEach((o, i) => {
    o.insert.rank = i + 1;
    const v = verdicts.get(o.insert.betId) ?? [];
    o.insert.allowed = v.length === 0;
    o.insert.violations = v.map((x) => x.reason);
    o.insert.payload = { ...o.insert.payload, violations: o.insert.violations, violated_rules: v.map((x) => x.rule_id) };
  });
  summary.opportunities = opportunities.length;
  summary.filtered = opportunities.filter((o) => !o.insert.allowed).length;

  // Lineup groups: per match, the allowed legs (the best price of each side across bookmakers).
  const groups: GroupInsert[] = [];
  const byGroup = new Map<string, typeof opportunities>();
  for (const o of opportunities) {
    if (!o.insert.allowed) continue;
    const legs = byGroup.get(o.group) ?? [];
    if (!legs.some((l) => l.legKey === o.legKey)) legs.push(o); // sorted by EV: the first is the best price
    byGroup.set(o.group, legs);
  }
  for (const [key, legs] of byGroup) {
    groups.push({
      runId,
      matchKey: key,
      sport: legs[0]!.insert.sport,
      betIds: legs.map((l) => l.insert.betId),
      scenarios: mergeScenarios(legs[0]!.outcomes, legs.map((l) => l.returns)),
    });
  }
  await storeResults(db, runId, opportunities.map((o) => o.insert), groups);
  return summary;
}
