// importFiles: the one import service behind the CLI, the API's job and tests. Inputs are
// files, folders (every file of the format below them, sorted) or http(s) URLs. Each file is
// written in its own transaction and recorded in import_files with the sha256 of its bytes,
// so a file already imported is reported 'unchanged' without touching the database, and a
// run that dies part-way resumes where it stopped: completed files stay committed.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { importFiles as importFilesTable } from '../../db/schema/index.js';
import type { DataChange } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { ValidationError } from '../../platform/errors.js';
import { PARSERS, type LoadedInput } from './parsers/index.js';
import { expandInputs, httpFetcher, sha256, type Fetcher } from './source.js';
import { IMPORT_FORMATS, type Counts, type ImportFormat, type ImportSummary } from './types.js';
import { writeParsedFile, zeroCounts, type FileResult, type WriteStage } from './writer.js';

export interface ImportProgress {
  /** 0-100 over the whole run. */
  percent: number;
  filesDone: number;
  files: number;
  file: string;
  stage: 'reading' | WriteStage | 'done';
  counts: { matches: number; odds: number; players: number; rejected: number; failed: number };
}

export interface ImportOptions {
  clock: Clock;
  onProgress?: (p: ImportProgress) => void | Promise<void>;
  fetcher?: Fetcher;
  /** Import again even when the same bytes were imported before. */
  force?: boolean;
  /** Called after each file commits with what it changed (the API drops cached responses). */
  onCommitted?: (change: DataChange) => Promise<void>;
}

const STAGE_SHARE: Record<ImportProgress['stage'], number> = { reading: 0, references: 0.1, teams: 0.15, matches: 0.2, odds: 0.45, players: 0.8, done: 1 };

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

const add = (a: Counts, b: Counts) => {
  a.inserted += b.inserted;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
};
const total = (c: Counts) => c.inserted + c.updated + c.unchanged;

/** One fingerprint for an input read from one or several files (FPL reads four). */
function fingerprint(loaded: LoadedInput): string {
  const [only, ...rest] = loaded.sources;
  return rest.length === 0 && only ? only.sha256 : sha256(loaded.sources.map((s) => s.sha256).join('\n'));
}

export async function importFiles(database: Database, format: string, inputs: string[], opts: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  if (!isImportFormat(format)) throw new ValidationError(`unknown format ${JSON.stringify(format)}; expected one of ${IMPORT_FORMATS.join(', ')}`, 'format', format);
  if (inputs.length === 0) throw new ValidationError('give at least one file, folder or URL to import', 'inputs', inputs);
  const parser = PARSERS[format];
  const files = await expandInputs(inputs, parser.accepts);
  if (files.length === 0) throw new ValidationError(`no ${format} files found in ${inputs.join(', ')}`, 'inputs', inputs);

  const summary: ImportSummary = {
    format,
    files: [],
    matches: zeroCounts(),
    odds: zeroCounts(),
    players: zeroCounts(),
    player_stats: zeroCounts(),
    teams_created: 0,
    rejected: [],
    review: [],
    warnings: [],
    duration_ms: 0,
  };
  const progressCounts = () => ({
    matches: total(summary.matches),
    odds: total(summary.odds),
    players: total(summary.players),
    rejected: summary.rejected.length,
    failed: summary.files.filter((f) => f.status === 'failed').length,
  });
  const report = async (i: number, file: string, stage: ImportProgress['stage']) => {
    const percent = ((i + STAGE_SHARE[stage]) / files.length) * 100;
    await opts.onProgress?.({ percent, filesDone: stage === 'done' ? i + 1 : i, files: files.length, file, stage, counts: progressCounts() });
  };

  for (const [i, file] of files.entries()) {
    await report(i, file, 'reading');
    const startedAt = opts.clock.now();
    let loaded: LoadedInput;
    let sha = '';
    try {
      loaded = await parser.load(file, opts.fetcher ?? httpFetcher);
      sha = fingerprint(loaded);
    } catch (err) {
      await fail(database, summary, { format, file, sha, startedAt, err, clock: opts.clock });
      await report(i, file, 'done');
      continue;
    }
    if (!opts.force) {
      const [previous] = await database.db
        .select({ summary: importFilesTable.summary })
        .from(importFilesTable)
        .where(and(eq(importFilesTable.sha256, sha), eq(importFilesTable.format, format), eq(importFilesTable.status, 'imported')))
        .limit(1);
      if (previous) {
        const before = previous.summary as Partial<Record<'matches' | 'odds' | 'players', number>>;
        const entry = {
          file,
          status: 'unchanged' as const,
          matches: { inserted: 0, updated: 0, unchanged: before.matches ?? 0 },
          odds: { inserted: 0, updated: 0, unchanged: before.odds ?? 0 },
          players: { inserted: 0, updated: 0, unchanged: before.players ?? 0 },
          rejected: 0,
        };
        summary.files.push(entry);
        add(summary.matches, entry.matches);
        add(summary.odds, entry.odds);
        add(summary.players, entry.players);
        await report(i, file, 'done');
        continue;
      }
    }
    try {
      const result = await database.db.transaction(async (tx) => {
        const res = await writeParsedFile(tx, loaded.parsed, { file, now: opts.clock.now(), onStage: (stage) => report(i, file, stage) });
        await tx.insert(importFilesTable).values({
          format,
          file,
          sha256: sha,
          status: 'imported',
          summary: fileRecord(res),
          rejectedRows: res.rejected.length,
          startedAt,
          finishedAt: opts.clock.now(),
        });
        return res;
      });
      if (Object.keys(result.changed).length > 0) await opts.onCommitted?.(result.changed);
      summary.files.push({ file, status: 'imported', matches: result.matches, odds: result.odds, players: result.players, rejected: result.rejected.length });
      add(summary.matches, result.matches);
      add(summary.odds, result.odds);
      add(summary.players, result.players);
      add(summary.player_stats, result.player_stats);
      summary.teams_created += result.teams_created;
      summary.rejected.push(...result.rejected);
      summary.review.push(...result.review);
      summary.warnings!.push(...result.warnings);
    } catch (err) {
      await fail(database, summary, { format, file, sha, startedAt, err, clock: opts.clock });
    }
    await report(i, file, 'done');
  }
  // A bulk load leaves the planner's statistics describing the empty tables (so it picks
  // sequential scans and sorts for the API's paged queries) and the visibility map unset
  // (so counts cannot be index-only). Vacuum outside any transaction fixes both.
  if (summary.matches.inserted + summary.odds.inserted + summary.player_stats.inserted > 1000) {
    await database.executeSql('vacuum (analyze) matches, odds, teams, players, player_match_stats, team_match_stats');
  }
  summary.duration_ms = Math.round(performance.now() - started);
  return summary;
}

/** What import_files keeps about a file: totals to answer a later 'unchanged' with, and the changes. */
function fileRecord(res: FileResult): Record<string, unknown> {
  return {
    matches: total(res.matches),
    odds: total(res.odds),
    players: total(res.players),
    counts: { matches: res.matches, odds: res.odds, players: res.players, player_stats: res.player_stats },
    teams_created: res.teams_created,
    warnings: res.warnings.length,
    review: res.review.length,
  };
}

async function fail(
  database: Database,
  summary: ImportSummary,
  f: { format: string; file: string; sha: string; startedAt: Date; err: unknown; clock: Clock },
): Promise<void> {
  const error = f.err instanceof Error ? f.err.message : String(f.err);
  summary.files.push({ file: f.file, status: 'failed', matches: zeroCounts(), odds: zeroCounts(), players: zeroCounts(), rejected: 0, error });
  // The failure is kept as operational history; the file's own rows were rolled back.
  await database.db.insert(importFilesTable).values({
    format: f.format,
    file: f.file,
    sha256: f.sha,
    status: 'failed',
    summary: { error },
    startedAt: f.startedAt,
    finishedAt: f.clock.now(),
  });
}
