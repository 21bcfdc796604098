// Settlement: once a match is final, each of its predictions gets the result and its own
// scores (log loss, Brier, RPS, whether the favourite won, spread and total error). A
// corrected score settles again; the prediction itself is never touched.
import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { matches, predictions, type PredictionMetrics, type PredictionOutcome } from '../../db/schema/index.js';
import type { PredictionDeps } from './training.js';

export interface SettleSummary {
  settled: number;
  resettled: number;
}

export interface SettleOptions {
  matchIds?: number[];
}

const BATCH = 2000;

/**
 * Scores of one prediction against a final score: three classes when the prediction gives
 * draws a probability (soccer), two otherwise.
 */
export function predictionMetrics(
  p: { probHome: number; probDraw: number; probAway: number; pointSpread: number; totalPoints: number },
  homeScore: number,
  awayScore: number,
): { outcome: PredictionOutcome; metrics: PredictionMetrics } {
  const drawsPossible = p.probDraw > 0;
  const result = homeScore > awayScore ? 'home' : homeScore < awayScore ? 'away' : 'draw';
  const probs = drawsPossible ? [p.probHome, p.probDraw, p.probAway] : [p.probHome / (p.probHome + p.probAway), 0, p.probAway / (p.probHome + p.probAway)];
  const k = result === 'home' ? 0 : result === 'draw' ? 1 : 2;
  const observed = [0, 0, 0];
  observed[k] = 1;
  // A draw in a sport without draws (an NFL tie) scores as half a win for each side.
  const actual = !drawsPossible && k === 1 ? [0.5, 0, 0.5] : observed;
  const pActual = actual.reduce((s, o, i) => s + o * probs[i]!, 0);
  let brier = 0;
  for (let i = 0; i < 3; i++) brier += (probs[i]! - actual[i]!) ** 2;
  const classes = drawsPossible ? [0, 1, 2] : [0, 2];
  let rps = 0;
  let cp = 0;
  let co = 0;
  for (const i of classes.slice(0, -1)) {
    cp += probs[i]!;
    co += actual[i]!;
    rps += (cp - co) ** 2;
  }
  rps /= classes.length - 1;
  const best = probs.indexOf(Math.max(...probs));
  return {
    outcome: { home_score: homeScore, away_score: awayScore, result },
    metrics: {
      log_loss: -Math.log(Math.max(pActual, 1e-15)),
      brier,
      rps,
      correct: best === k,
      spread_error: Math.abs(-p.pointSpread - (homeScore - awayScore)),
      total_error: Math.abs(p.totalPoints - (homeScore + awayScore)),
    },
  };
}

export async function settlePredictions(deps: PredictionDeps, opts: SettleOptions = {}): Promise<SettleSummary> {
  const summary: SettleSummary = { settled: 0, resettled: 0 };
  const now = deps.clock.now();
  const where: SQL[] = [
    eq(matches.status, 'final'),
    isNotNull(matches.homeScore),
    isNotNull(matches.awayScore),
    or(
      isNull(predictions.settledAt),
      sql`(${predictions.outcome}->>'home_score')::int is distinct from ${matches.homeScore}`,
      sql`(${predictions.outcome}->>'away_score')::int is distinct from ${matches.awayScore}`,
    )!,
  ];
  if (opts.matchIds) where.push(inArray(predictions.matchId, opts.matchIds.length > 0 ? opts.matchIds : [-1]));
  let lastId = 0;
  for (;;) {
    const rows = await deps.db
      .select({
        id: predictions.id,
        settledAt: predictions.settledAt,
        probHome: predictions.probHome,
        probDraw: predictions.probDraw,
        probAway: predictions.probAway,
        pointSpread: predictions.pointSpread,
        totalPoints: predictions.totalPoints,
        homeScore: matches.homeScore,
        awayScore: matches.awayScore,
      })
      .from(predictions)
      .innerJoin(matches, eq(matches.id, predictions.matchId))
      .where(and(...where, sql`${predictions.id} > ${lastId}`))
      .orderBy(predictions.id)
      .limit(BATCH);
    if (rows.length === 0) break;
    await deps.db.transaction(async (tx) => {
      for (const r of rows) {
        const { outcome, metrics } = predictionMetrics(r, r.homeScore!, r.awayScore!);
        await tx.update(predictions).set({ outcome, metrics, correct: metrics.correct, settledAt: now }).where(eq(predictions.id, r.id));
        if (r.settledAt) summary.resettled++;
        else summary.settled++;
      }
    });
    lastId = rows[rows.length - 1]!.id;
    if (rows.length < BATCH) break;
  }
  return summary;
}
