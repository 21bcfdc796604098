// The analysis module's SQL: the priced offers of upcoming matches, the pure-model
// predictions they are priced against, and the runs with their opportunities and groups.
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db, type Executor } from '../../db/client.js';
import { analysisGroups, analysisOpportunities, analysisRuns, modelArtifacts, predictions, type AnalysisStatus } from '../../db/schema/index.js';

export interface OfferFilter {
  now: Date;
  horizonDays: number;
  sports: string[] | null;
  bookmakers: string[] | null;
  markets: string[] | null;
}

export interface OfferRow {
  match_id: number;
  sport: string;
  competition: string;
  competition_id: number;
  home_id: number;
  away_id: number;
  home: string;
  away: string;
  neutral: boolean;
  kickoff: string;
  match_date: string;
  bookmaker: string;
  bookmaker_name: string;
  market: string;
  selection: string;
  line: number | null;
  price: number;
  phase: string;
}

const list = (values: string[]) => sql.join(values.length > 0 ? values.map((v) => sql`${v}`) : [sql`null`], sql`, `);

function offerWhere(f: OfferFilter) {
  const until = new Date(f.now.getTime() + f.horizonDays * 86_400_000).toISOString().slice(0, 10);
  return sql`m.status = 'scheduled' and m.owner_user_id is null
    and coalesce(m.kickoff_at, m.match_date::timestamp at time zone 'UTC') > ${f.now.toISOString()}::timestamptz
    and m.match_date <= ${until}::date
    and o.phase in ('opening', 'snapshot', 'closing')
    and (o.captured_at is null or o.captured_at <= ${f.now.toISOString()}::timestamptz)
    ${f.sports ? sql`and sp.code in (${list(f.sports)})` : sql``}
    ${f.bookmakers ? sql`and b.code in (${list(f.bookmakers)})` : sql``}
    ${f.markets ? sql`and o.market in (${list(f.markets)})` : sql``}`;
}

/** How many prices the analysis would look at (for the duration estimate). */
export async function countOffers(db: Db, f: OfferFilter): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from odds o join matches m on m.id = o.match_id join sports sp on sp.id = m.sport_id join bookmakers b on b.id = o.bookmaker_id where ${offerWhere(f)}`,
  );
  return row?.n ?? 0;
}

/**
 * The latest price before now of every (match, bookmaker, market, line, selection) of upcoming
 * matches: an observed snapshot beats closing beats opening; later observations beat earlier.
 */
export async function loadOffers(db: Db, f: OfferFilter, limit = 200_000): Promise<OfferRow[]> {
  return queryRows<OfferRow>(
    db,
    sql`select distinct on (o.match_id, b.code, o.market, o.line, o.selection)
        o.match_id, sp.code as sport, c.code as competition, m.competition_id, m.home_team_id as home_id, m.away_team_id as away_id,
        ht.name as home, at.name as away, m.neutral,
        coalesce(m.kickoff_at, m.match_date::timestamp at time zone 'UTC') as kickoff, m.match_date::text as match_date,
        b.code as bookmaker, b.name as bookmaker_name, o.market, o.selection, o.line, o.price, o.phase
      from odds o
      join matches m on m.id = o.match_id
      join sports sp on sp.id = m.sport_id
      join competitions c on c.id = m.competition_id
      join teams ht on ht.id = m.home_team_id
      join teams at on at.id = m.away_team_id
      join bookmakers b on b.id = o.bookmaker_id
      where ${offerWhere(f)}
      order by o.match_id, b.code, o.market, o.line, o.selection,
        o.captured_at desc nulls last, case o.phase when 'snapshot' then 3 when 'closing' then 2 else 1 end desc
      limit ${limit}`,
  );
}

export interface ModelPrediction {
  matchId: number;
  kind: string;
  modelVersion: string;
  artifactId: number | null;
  markets: Record<string, unknown>;
}

/** The pure-model predictions (Dixon-Coles for soccer, the margin model for points sports) of the matches. */
export async function loadModelPredictions(db: Db, matchIds: number[]): Promise<Map<number, ModelPrediction>> {
  const out = new Map<number, ModelPrediction>();
  for (let i = 0; i < matchIds.length; i += 5000) {
    const rows = await db
      .select({ matchId: predictions.matchId, kind: predictions.kind, modelVersion: predictions.modelVersion, artifactId: predictions.artifactId, markets: predictions.markets })
      .from(predictions)
      .where(and(inArray(predictions.matchId, matchIds.slice(i, i + 5000)), inArray(predictions.kind, ['dixon-coles', 'margin'])));
    for (const r of rows) out.set(r.matchId, r);
  }
  return out;
}

export async function loadArtifact(db: Db, id: number) {
  const [row] = await db.select().from(modelArtifacts).where(eq(modelArtifacts.id, id)).limit(1);
  return row ?? null;
}

export type RunRow = typeof analysisRuns.$inferSelect;

export async function insertRun(db: Executor, values: typeof analysisRuns.$inferInsert): Promise<void> {
  await db.insert(analysisRuns).values(values);
}

export async function findRun(db: Db, id: string): Promise<RunRow | null> {
  const [row] = await db.select().from(analysisRuns).where(eq(analysisRuns.id, id)).limit(1);
  return row ?? null;
}

export async function updateRun(db: Executor, id: string, values: Partial<typeof analysisRuns.$inferInsert> & { status?: AnalysisStatus }): Promise<void> {
  await db.update(analysisRuns).set(values).where(eq(analysisRuns.id, id));
}

export type OpportunityInsert = typeof analysisOpportunities.$inferInsert;
export type GroupInsert = typeof analysisGroups.$inferInsert;

/** Replaces a run's results in one transaction (a retried job never leaves half of two attempts). */
export async function storeResults(db: Db, runId: string, opportunities: OpportunityInsert[], groups: GroupInsert[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(analysisOpportunities).where(eq(analysisOpportunities.runId, runId));
    await tx.delete(analysisGroups).where(eq(analysisGroups.runId, runId));
    for (let i = 0; i < opportunities.length; i += 1000) await tx.insert(analysisOpportunities).values(opportunities.slice(i, i + 1000));
    for (let i = 0; i < groups.length; i += 500) await tx.insert(analysisGroups).values(groups.slice(i, i + 500));
  });
}

export async function listOpportunities(db: Db, runId: string, opts: { minConfidence: number; includeFiltered: boolean; limit: number }) {
  const where = [eq(analysisOpportunities.runId, runId), gte(analysisOpportunities.mlConfidence, opts.minConfidence)];
  if (!opts.includeFiltered) where.push(eq(analysisOpportunities.allowed, true));
  return db
    .select({ betId: analysisOpportunities.betId, allowed: analysisOpportunities.allowed, violations: analysisOpportunities.violations, payload: analysisOpportunities.payload })
    .from(analysisOpportunities)
    .where(and(...where))
    .orderBy(asc(analysisOpportunities.rank))
    .limit(opts.limit);
}

export async function listGroups(db: Db, runId: string) {
  return db.select().from(analysisGroups).where(eq(analysisGroups.runId, runId)).orderBy(asc(analysisGroups.matchKey)).limit(20_000);
}

export interface StatusCounts {
  sports: number;
  bookmakers: number;
  models: number;
}

export async function statusCounts(db: Db): Promise<StatusCounts> {
  const [row] = await queryRows<StatusCounts>(
    db,
    sql`select (select count(*) from sports)::int as sports,
      (select count(distinct bookmaker_id) from odds)::int as bookmakers,
      (select count(*) from (select distinct on (competition_id, kind) id from model_artifacts where kind in ('elo', 'dixon-coles', 'bivariate-poisson', 'margin', 'ensemble', 'props-ensemble') order by competition_id, kind, data_cutoff desc) a)::int as models`,
  );
  return row ?? { sports: 0, bookmakers: 0, models: 0 };
}

/** Sports with at least one trained model. */
export async function sportsWithModels(db: Db): Promise<Set<string>> {
  const rows = await queryRows<{ code: string }>(db, sql`select distinct sp.code from model_artifacts a join sports sp on sp.id = a.sport_id`);
  return new Set(rows.map((r) => r.code));
}
