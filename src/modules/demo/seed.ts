// Writes the demo dataset through the import writer (one transaction per league-season, as
// for a real file), flags every demo row with is_demo, and records the seed in app_meta.
// Idempotent: the generator is deterministic and the writer upserts by natural identity, so
// a second run with the same seed and day changes nothing; a later day completes fixtures.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.js';
import { appMeta, competitions, externalIds, matches, players, teams } from '../../db/schema/index.js';
import type { DataChange } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError } from '../../platform/errors.js';
import type { Counts } from '../ingest/types.js';
import { writeParsedFile, zeroCounts, type FileResult } from '../ingest/writer.js';
import { isoDay } from './common.js';
import { DEFAULT_DEMO_SEED, DEMO_BOOKMAKERS, DEMO_SOURCE, generateDemoDataset, type DemoFile } from './generate.js';

export const DEMO_META_KEY = 'demo_seed';

export interface SeedDemoDeps {
  database: Database;
  clock: Clock;
}

export interface SeedDemoOptions {
  seed?: number;
  /** YYYY-MM-DD; defaults to the clock's UTC day. */
  today?: string;
  onProgress?: (p: { percent: number; stage: string; counts: Record<string, number> }) => void;
  /** Called after each league-season commits with what it changed (to drop cached responses). */
  onCommitted?: (change: DataChange) => Promise<void>;
}

export interface DemoFileSummary {
  file: string;
  matches: Counts;
  odds: Counts;
  players: Counts;
  player_stats: Counts;
}

export interface SeedDemoSummary {
  seed: number;
  today: string;
  files: DemoFileSummary[];
  matches: Counts;
  odds: Counts;
  players: Counts;
  player_stats: Counts;
  teams_created: number;
  /** Rows the writer refused; a correct generator produces none. */
  rejected: number;
  duration_ms: number;
}

function add(into: Counts, c: Counts): void {
  into.inserted += c.inserted;
  into.updated += c.updated;
  into.unchanged += c.unchanged;
}

/** The writer knows real bookmakers; the demo ones are named here. */
function withBookmakers(file: DemoFile): DemoFile {
  const bookmakers = Object.entries(DEMO_BOOKMAKERS).map(([code, name]) => ({ code, name, kind: 'bookmaker' as const }));
  return { ...file, parsed: { ...file.parsed, bookmakers } };
}

/** Flag the rows of one demo competition (and its teams and players) as demo data. */
async function markDemo(tx: Tx, competitionCode: string): Promise<void> {
  await tx.update(competitions).set({ isDemo: true }).where(and(eq(competitions.code, competitionCode), eq(competitions.isDemo, false)));
  const comp = tx.select({ id: competitions.id }).from(competitions).where(eq(competitions.code, competitionCode));
  await tx.update(matches).set({ isDemo: true }).where(and(inArray(matches.competitionId, comp), eq(matches.isDemo, false)));
  const sides = sql`(select home_team_id from matches where competition_id in ${comp} union select away_team_id from matches where competition_id in ${comp})`;
  await tx.update(teams).set({ isDemo: true }).where(and(sql`${teams.id} in ${sides}`, eq(teams.isDemo, false)));
  const demoPlayers = tx
    .select({ id: externalIds.entityId })
    .from(externalIds)
    .where(and(eq(externalIds.entityType, 'player'), eq(externalIds.source, DEMO_SOURCE)));
  await tx.update(players).set({ isDemo: true }).where(and(inArray(players.id, demoPlayers), eq(players.isDemo, false)));
}

export async function seedDemo(deps: SeedDemoDeps, opts: SeedDemoOptions = {}): Promise<SeedDemoSummary> {
  const started = Date.now();
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const today = opts.today ?? isoDay(deps.clock.now());
  const previous = await readDemoSeed(deps.database);
  // Another seed schedules other fixtures: both would land side by side as two leagues' worth.
  if (previous && previous.seed !== seed) {
    throw new ConflictError(`the demo dataset with seed ${previous.seed} is already loaded; seed ${seed} would be written beside it`, { loaded_seed: previous.seed });
  }
  const dataset = generateDemoDataset({ seed, today });
  const summary: SeedDemoSummary = {
    seed,
    today: dataset.today,
    files: [],
    matches: zeroCounts(),
    odds: zeroCounts(),
    players: zeroCounts(),
    player_stats: zeroCounts(),
    teams_created: 0,
    rejected: 0,
    duration_ms: 0,
  };
  const db = deps.database.db;
  for (const [i, file] of dataset.files.map(withBookmakers).entries()) {
    opts.onProgress?.({
      percent: (100 * i) / dataset.files.length,
      stage: file.name,
      counts: { files_done: i, files: dataset.files.length, matches_inserted: summary.matches.inserted },
    });
    const res: FileResult = await db.transaction(async (tx) => {
      const r = await writeParsedFile(tx, file.parsed, { file: file.name, now: deps.clock.now() });
      await markDemo(tx, file.competition);
      return r;
    });
    if (Object.keys(res.changed).length > 0) await opts.onCommitted?.(res.changed);
    summary.files.push({ file: file.name, matches: res.matches, odds: res.odds, players: res.players, player_stats: res.player_stats });
    add(summary.matches, res.matches);
    add(summary.odds, res.odds);
    add(summary.players, res.players);
    add(summary.player_stats, res.player_stats);
    summary.teams_created += res.teams_created;
    summary.rejected += res.rejected.length;
  }
  const total = summary.matches.inserted + summary.matches.updated + summary.matches.unchanged;
  const value = { seed, today: dataset.today, matches: total, seeded_at: deps.clock.now().toISOString() };
  // Rewritten only when what it says changed, so a repeated run leaves app_meta alone too.
  if (!previous || previous.today !== dataset.today || previous.matches !== total) {
    await db
      .insert(appMeta)
      .values({ key: DEMO_META_KEY, value, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: appMeta.key, set: { value, updatedAt: deps.clock.now() } });
  }
  opts.onProgress?.({ percent: 100, stage: 'done', counts: { files_done: dataset.files.length, files: dataset.files.length, matches_inserted: summary.matches.inserted } });
  summary.duration_ms = Date.now() - started;
  return summary;
}

export interface DemoSeedRecord {
  seed: number;
  today: string;
  matches: number;
  seeded_at: string;
}

export async function readDemoSeed(database: Database): Promise<DemoSeedRecord | null> {
  const rows = await database.db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, DEMO_META_KEY)).limit(1);
  return (rows[0]?.value as DemoSeedRecord | undefined) ?? null;
}

export type SeedIfEmptyResult = { seeded: true; summary: SeedDemoSummary } | { seeded: false; existingMatches: number };

/** Seed the demo dataset only when the database holds no matches at all. */
export async function seedDemoWhenEmpty(deps: SeedDemoDeps, opts: SeedDemoOptions = {}): Promise<SeedIfEmptyResult> {
  const [row] = await deps.database.db.select({ n: sql<number>`count(*)::int` }).from(matches);
  const existing = Number(row?.n ?? 0);
  if (existing > 0) return { seeded: false, existingMatches: existing };
  return { seeded: true, summary: await seedDemo(deps, opts) };
}
