// The one write path of every connector: provider rows become a ParsedFile and go through
// the ingest writer (same team resolution, merge rules, idempotence and counts as a file
// import), one transaction per fetched page. Before writing, team names are replaced by
// the name of the team already carrying the provider's team id, so a team the provider
// renames keeps its row; after writing, the provider's team ids are recorded on the teams
// the writer resolved. Each run updates data_sources (what /api/v1/health/data-sources
// reads) and stops cleanly on a spent quota: pages written stay written (docs/decisions/0025).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { bookmakers, dataSources, externalIds, teams } from '../../db/schema/index.js';
import type { DataChange } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { queryRows } from '../../db/client.js';
import { writeParsedFile, zeroCounts } from '../ingest/writer.js';
import { writeOddsHistory, type PriceSeen } from '../ingest/writer-odds.js';
import { recordProviderError, recordRowsWritten } from './metrics.js';
import type { Counts, ParsedFile, ParsedMatch, Rejection } from '../ingest/types.js';
import { ProviderError, QuotaExhaustedError, type ProviderClient } from './http-client.js';

export interface ProviderMatch {
  parsed: ParsedMatch;
  /** The provider's team ids (null: the provider has none, e.g. The Odds API). */
  homeExternalId: string | null;
  awayExternalId: string | null;
}

export interface SyncSummary {
  source: string;
  status: 'completed' | 'stopped' | 'failed';
  /** Where a stopped or failed run stopped: the request it could not make. */
  stopped_at: string | null;
  error: string | null;
  pages: { page: string; matches: Counts; odds: Counts; rejected: number }[];
  matches: Counts;
  odds: Counts;
  /** Prices appended to odds_history (each a price that differs from the key's last one). */
  odds_history: number;
  /** Player-prop prices (The Odds API's player markets): opening and closing rows. */
  player_odds: Counts;
  /** Lineup rows (API-Football). */
  lineups: Counts;
  /** Players whose injury status this run set or cleared (updated) or confirmed (unchanged). */
  injuries: Counts;
  players_created: number;
  teams_created: number;
  rejected: Rejection[];
  requests: number;
  quota_remaining: number | null;
  duration_ms: number;
}

export interface SyncContext {
  database: Database;
  clock: Clock;
  client: ProviderClient;
  onCommitted?: (change: DataChange) => Promise<void>;
}

export const add = (a: Counts, b: Counts) => {
  a.inserted += b.inserted;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
};

export function emptySummary(source: string): SyncSummary {
  return {
    source,
    status: 'completed',
    stopped_at: null,
    error: null,
    pages: [],
    matches: zeroCounts(),
    odds: zeroCounts(),
    odds_history: 0,
    player_odds: zeroCounts(),
    lineups: zeroCounts(),
    injuries: zeroCounts(),
    players_created: 0,
    teams_created: 0,
    rejected: [],
    requests: 0,
    quota_remaining: null,
    duration_ms: 0,
  };
}

/** Renames incoming team names to the stored name of the team holding the provider id. */
async function namesByExternalId(tx: Tx, source: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ ext: externalIds.externalId, name: teams.name })
    .from(externalIds)
    .innerJoin(teams, eq(teams.id, externalIds.entityId))
    .where(and(eq(externalIds.entityType, 'team'), eq(externalIds.source, source), inArray(externalIds.externalId, ids)));
  return new Map(rows.map((r) => [r.ext, r.name]));
}

/** Writes one page of provider matches through the ingest writer, in one transaction. */
export async function writeProviderPage(
  ctx: SyncContext,
  summary: SyncSummary,
  source: string,
  page: string,
  rows: ProviderMatch[],
  rejected: Rejection[] = [],
  bookmakers: NonNullable<ParsedFile['bookmakers']> = [],
  /** false: the rows are already counted (a page that only adds odds to this run's fixtures). */
  countMatches = true,
) {
  const now = ctx.clock.now();
  let history = 0;
  const result = await ctx.database.db.transaction(async (tx) => {
    const known = await namesByExternalId(tx, source, [...new Set(rows.flatMap((r) => [r.homeExternalId, r.awayExternalId].filter((x): x is string => x !== null)))]);
    const matches = rows.map((r) => ({ ...r.parsed, home: (r.homeExternalId && known.get(r.homeExternalId)) || r.parsed.home, away: (r.awayExternalId && known.get(r.awayExternalId)) || r.parsed.away }));
    const res = await writeParsedFile(tx, { source, matches, players: [], rejected, bookmakers }, { file: page, now });
    // The provider's team ids onto the teams the writer resolved, through the stored matches.
    const matchExt = rows.map((r) => r.parsed.externalId!).filter(Boolean);
    if (matchExt.length > 0) {
      const stored = await queryRows<{ ext: string; id: number; home: number; away: number }>(
        tx,
        sql`select e.external_id as ext, m.id, m.home_team_id as home, m.away_team_id as away from external_ids e join matches m on m.id = e.entity_id
            where e.entity_type = 'match' and e.source = ${source} and e.external_id in (select json_array_elements_text(${JSON.stringify(matchExt)}::json))`,
      );
      const byExt = new Map(stored.map((s) => [s.ext, s]));
      history = await writeHistory(tx, source, rows, new Map(stored.map((s) => [s.ext, s.id])), now);
      const teamRows = new Map<string, number>();
      for (const r of rows) {
        const s = byExt.get(r.parsed.externalId!);
        if (!s) continue;
        if (r.homeExternalId) teamRows.set(r.homeExternalId, s.home);
        if (r.awayExternalId) teamRows.set(r.awayExternalId, s.away);
      }
      if (teamRows.size > 0) {
        await tx
          .insert(externalIds)
          .values([...teamRows].map(([ext, id]) => ({ entityType: 'team', entityId: id, source, externalId: ext, createdAt: now })))
          .onConflictDoNothing();
      }
    }
    return res;
  });
  summary.pages.push({ page, matches: countMatches ? result.matches : zeroCounts(), odds: result.odds, rejected: result.rejected.length });
  if (countMatches) add(summary.matches, result.matches);
  summary.odds_history += history;
  add(summary.odds, result.odds);
  summary.teams_created += result.teams_created;
  summary.rejected.push(...result.rejected);
  if (Object.keys(result.changed).length > 0) await ctx.onCommitted?.(result.changed);
}

/** The prices this page shows now (its 'closing' rows: the latest before kick-off) into odds_history. */
async function writeHistory(tx: Tx, source: string, rows: ProviderMatch[], matchIds: Map<string, number>, now: Date): Promise<number> {
  const seen = rows.flatMap((r) => r.parsed.odds.filter((o) => o.phase === 'closing').map((o) => ({ o, match: matchIds.get(r.parsed.externalId ?? '') })));
  if (seen.length === 0) return 0;
  const codes = [...new Set(seen.map((s) => s.o.bookmaker))];
  const books = await tx.select({ id: bookmakers.id, code: bookmakers.code }).from(bookmakers).where(inArray(bookmakers.code, codes));
  const bookId = new Map(books.map((b) => [b.code, b.id]));
  const out: PriceSeen[] = [];
  for (const { o, match } of seen) {
    const b = bookId.get(o.bookmaker);
    if (match === undefined || b === undefined) continue;
    out.push([match, b, o.market, o.selection, o.line, o.price, o.providerUpdatedAt?.toISOString() ?? null]);
  }
  return writeOddsHistory(tx, out, source, now);
}

/**
 * Runs `body` as one sync of `source`: a spent quota stops the run ('stopped'), a provider
 * error fails it ('failed'); either way what was committed stays and data_sources records it.
 */
export async function runSync(ctx: SyncContext, source: string, body: (summary: SyncSummary, at: (page: string) => void) => Promise<void>): Promise<SyncSummary> {
  const started = performance.now();
  const summary = emptySummary(source);
  let current: string | null = null;
  let unexpected: unknown = null;
  try {
    await body(summary, (page) => {
      current = page;
    });
  } catch (err) {
    summary.status = err instanceof QuotaExhaustedError ? 'stopped' : 'failed';
    summary.stopped_at = current;
    summary.error = err instanceof Error ? err.message : String(err);
    // Not the provider's fault (a bug, the database): recorded, then raised.
    if (!(err instanceof ProviderError)) unexpected = err;
    else if (!(err instanceof QuotaExhaustedError) && err.status !== null && err.status < 300) recordProviderError(source);
  }
  summary.requests = ctx.client.requests;
  summary.quota_remaining = ctx.client.quota.remaining;
  summary.duration_ms = Math.round(performance.now() - started);
  recordRowsWritten(source, summary);
  await recordRun(ctx.database, ctx.clock.now(), summary);
  if (unexpected) throw unexpected;
  return summary;
}

/** data_sources after a run: success resets the error streak; a stopped run is not an error. */
export async function recordRun(database: Database, now: Date, s: SyncSummary): Promise<void> {
  const failed = s.status === 'failed';
  const outcome = { status: s.status, stopped_at: s.stopped_at, matches: s.matches, odds: s.odds, odds_history: s.odds_history, player_odds: s.player_odds, lineups: s.lineups, injuries: s.injuries, rejected: s.rejected.length, requests: s.requests };
  await database.db
    .insert(dataSources)
    .values({
      source: s.source,
      lastRunAt: now,
      lastSuccessAt: s.status === 'completed' ? now : null,
      lastError: s.error,
      lastErrorAt: s.error ? now : null,
      errorStreak: failed ? 1 : 0,
      quotaRemaining: s.quota_remaining,
      lastOutcome: outcome,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: dataSources.source,
      set: {
        lastRunAt: now,
        lastSuccessAt: s.status === 'completed' ? now : sql`${dataSources.lastSuccessAt}`,
        lastError: s.error ? s.error : sql`${dataSources.lastError}`,
        lastErrorAt: s.error ? now : sql`${dataSources.lastErrorAt}`,
        errorStreak: failed ? sql`${dataSources.errorStreak} + 1` : 0,
        quotaRemaining: s.quota_remaining ?? sql`${dataSources.quotaRemaining}`,
        lastOutcome: outcome,
        updatedAt: now,
      },
    });
}
