// SQL for reading stored predictions: one match's rows, filtered pages, and the settled rows
// the accuracy endpoints aggregate. Every query is bounded.
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { matches, predictions, type ModelKind } from '../../db/schema/index.js';
import { hydrateMatches, isCatalogueMatch, selectMatchBase, type MatchRow } from '../catalog/refs.js';

export type PredictionRow = typeof predictions.$inferSelect;

/** Rows of one match, the headline first. */
export async function findMatchPredictions(db: Executor, matchId: number): Promise<PredictionRow[]> {
  return db
    .select()
    .from(predictions)
    .where(eq(predictions.matchId, matchId))
    .orderBy(desc(predictions.isPrimary), asc(predictions.kind))
    .limit(20);
}

/** The headline prediction of a match, or, with `kind`, that model's. */
export async function findPrediction(db: Executor, matchId: number, kind?: ModelKind): Promise<PredictionRow | null> {
  const [row] = await db
    .select()
    .from(predictions)
    .where(and(eq(predictions.matchId, matchId), kind ? eq(predictions.kind, kind) : eq(predictions.isPrimary, true)))
    .limit(1);
  return row ?? null;
}

export async function matchExists(db: Executor, id: number): Promise<{ kickoffAt: Date | null; matchDate: string; status: string } | null> {
  const [row] = await db
    .select({ kickoffAt: matches.kickoffAt, matchDate: matches.matchDate, status: matches.status })
    .from(matches)
    .where(and(eq(matches.id, id), isCatalogueMatch))
    .limit(1);
  return row ?? null;
}

export interface PredictionCriteria {
  /** A model's rows; omitted → the headline rows. */
  kind?: ModelKind;
  sportId?: number;
  competitionId?: number;
  teamId?: number;
  matchDateFrom?: string;
  matchDateTo?: string;
  kickoffAfter?: Date;
  settled?: boolean;
  minConfidence?: number;
}

function where(c: PredictionCriteria): SQL {
  const parts: (SQL | undefined)[] = [isCatalogueMatch, c.kind ? eq(predictions.kind, c.kind) : eq(predictions.isPrimary, true)];
  if (c.sportId !== undefined) parts.push(eq(matches.sportId, c.sportId));
  if (c.competitionId !== undefined) parts.push(eq(matches.competitionId, c.competitionId));
  if (c.teamId !== undefined) parts.push(or(eq(matches.homeTeamId, c.teamId), eq(matches.awayTeamId, c.teamId)));
  if (c.matchDateFrom !== undefined) parts.push(gte(predictions.matchDate, c.matchDateFrom));
  if (c.matchDateTo !== undefined) parts.push(lte(predictions.matchDate, c.matchDateTo));
  if (c.kickoffAfter !== undefined) parts.push(gt(predictions.kickoff, c.kickoffAfter), eq(matches.status, 'scheduled'));
  if (c.settled === true) parts.push(isNotNull(predictions.settledAt));
  if (c.minConfidence !== undefined && c.minConfidence > 0) parts.push(gte(predictions.confidence, c.minConfidence));
  return and(...parts)!;
}

export async function findPredictionPage(
  db: Executor,
  c: PredictionCriteria,
  order: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: { prediction: PredictionRow; match: MatchRow }[]; total: number }> {
  const cond = where(c);
  const dir = order === 'asc' ? asc : desc;
  const [rows, totals] = await Promise.all([
    db
      .select({ prediction: predictions })
      .from(predictions)
      .innerJoin(matches, eq(matches.id, predictions.matchId))
      .where(cond)
      .orderBy(dir(predictions.kickoff), dir(predictions.matchId))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(predictions).innerJoin(matches, eq(matches.id, predictions.matchId)).where(cond),
  ]);
  const ids = rows.map((r) => r.prediction.matchId);
  const matchRows = ids.length > 0 ? await hydrateMatches(db, await selectMatchBase(db).where(inArray(matches.id, ids)).limit(ids.length)) : [];
  const byId = new Map(matchRows.map((m) => [m.id, m]));
  return { rows: rows.map((r) => ({ prediction: r.prediction, match: byId.get(r.prediction.matchId)! })), total: Number(totals[0]?.n ?? 0) };
}

export interface SettledRow {
  kind: ModelKind;
  sport: string;
  competitionId: number;
  probHome: number;
  probDraw: number;
  probAway: number;
  confidence: number;
  correct: boolean | null;
  result: string | null;
  logLoss: number | null;
  brier: number | null;
  rps: number | null;
  spreadError: number | null;
  totalError: number | null;
}

/** Settled predictions with kick-off in [from, to], for the accuracy aggregates (at most 200,000). */
export async function findSettled(
  db: Executor,
  filter: { from: Date; to: Date; kind?: ModelKind; primaryOnly: boolean; sportId?: number; competitionId?: number },
): Promise<SettledRow[]> {
  const parts: (SQL | undefined)[] = [isCatalogueMatch, isNotNull(predictions.settledAt), gte(predictions.kickoff, filter.from), lte(predictions.kickoff, filter.to)];
  if (filter.kind) parts.push(eq(predictions.kind, filter.kind));
  if (filter.primaryOnly) parts.push(eq(predictions.isPrimary, true));
  if (filter.sportId !== undefined) parts.push(eq(matches.sportId, filter.sportId));
  if (filter.competitionId !== undefined) parts.push(eq(matches.competitionId, filter.competitionId));
  const num = (key: string) => sql<number | null>`(${predictions.metrics}->>${key})::float8`;
  return db
    .select({
      kind: predictions.kind,
      sport: sql<string>`(select code from sports where sports.id = ${matches.sportId})`,
      competitionId: matches.competitionId,
      probHome: predictions.probHome,
      probDraw: predictions.probDraw,
      probAway: predictions.probAway,
      confidence: predictions.confidence,
      correct: predictions.correct,
      result: sql<string | null>`${predictions.outcome}->>'result'`,
      logLoss: num('log_loss'),
      brier: num('brier'),
      rps: num('rps'),
      spreadError: num('spread_error'),
      totalError: num('total_error'),
    })
    .from(predictions)
    .innerJoin(matches, eq(matches.id, predictions.matchId))
    .where(and(...parts))
    .limit(200_000);
}
