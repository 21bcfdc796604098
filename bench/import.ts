// Import throughput: the five big-league files of SHARPLINE_DATA_DIR/soccer/leagues (23,568
// matches, ~304,000 odds rows) into an empty database through the import service, on
// embedded PGlite (on disk, as `npm start` uses it) and on PostgreSQL when BENCH_DATABASE_URL
// names a server (a fresh database is created there and dropped afterwards). Then the same
// files again, forced through the writer (every row compared, nothing written): the cost of
// an idempotent re-import. Targets: under 60 s on PGlite, under 20 s on PostgreSQL.
//   npx tsx bench/import.ts
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/import.ts
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/client.js';
import { importFiles } from '../src/modules/ingest/service.js';
import type { ImportSummary } from '../src/modules/ingest/types.js';
import { systemClock } from '../src/platform/clock.js';
import { machine } from './lib.js';

const dataDir = resolve(process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const leagues = join(dataDir, 'soccer', 'leagues');
const serverUrl = process.env.BENCH_DATABASE_URL ?? '';
if (!existsSync(leagues)) {
  process.stderr.write(`no real data at ${leagues} (set SHARPLINE_DATA_DIR); nothing to measure\n`);
  process.exit(2);
}

interface Run {
  engine: string;
  pass: 'cold' | 'forced re-import';
  seconds: number;
  matches: number;
  odds_rows: number;
  matches_per_s: number;
  odds_rows_per_s: number;
  target_s: number;
}

async function measure(engine: string, database: Database, targetSeconds: number): Promise<Run[]> {
  const runs: Run[] = [];
  for (const pass of ['cold', 'forced re-import'] as const) {
    const t0 = performance.now();
    const s: ImportSummary = await importFiles(database, 'football-data', [leagues], { clock: systemClock, force: pass !== 'cold' });
    const seconds = (performance.now() - t0) / 1000;
    const failed = s.files.filter((f) => f.status === 'failed');
    if (failed.length > 0) throw new Error(`import failed: ${failed.map((f) => `${f.file}: ${f.error}`).join('; ')}`);
    const matches = s.matches.inserted + s.matches.updated + s.matches.unchanged;
    const oddsRows = s.odds.inserted + s.odds.updated + s.odds.unchanged;
    runs.push({
      engine,
      pass,
      seconds: Math.round(seconds * 100) / 100,
      matches,
      odds_rows: oddsRows,
      matches_per_s: Math.round(matches / seconds),
      odds_rows_per_s: Math.round(oddsRows / seconds),
      target_s: targetSeconds,
    });
    process.stderr.write(`${engine} ${pass}: ${seconds.toFixed(1)} s\n`);
  }
  return runs;
}

const runs: Run[] = [];
const home = mkdtempSync(join(tmpdir(), 'sharpline-bench-import-'));
try {
  const lite = await openDatabase({ url: null, pgliteDir: join(home, 'pglite') });
  await lite.migrate();
  runs.push(...(await measure('pglite', lite, 60)));
  await lite.close();
} finally {
  rmSync(home, { recursive: true, force: true });
}

if (serverUrl) {
  const name = `sharpline_bench_import_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const database = await openDatabase({ url: url.toString(), poolMax: 4 });
    await database.migrate();
    runs.push(...(await measure('postgres', database, 20)));
    await database.close();
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  process.stderr.write('BENCH_DATABASE_URL not set: PostgreSQL skipped\n');
}

const out = { machine: machine(), date: new Date().toISOString(), input: leagues, runs };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/import.json', JSON.stringify(out, null, 2));
const rows = runs.map(
  (r) => `| ${r.engine} | ${r.pass} | ${r.seconds} | ${r.target_s} | ${r.matches} | ${r.odds_rows} | ${r.matches_per_s} | ${r.odds_rows_per_s} |`,
);
process.stdout.write(
  `\nimport of ${leagues} — ${out.machine} — ${out.date}\n` +
    '| engine | pass | seconds | target s | matches | odds rows | matches/s | odds rows/s |\n|---|---|---:|---:|---:|---:|---:|---:|\n' +
    `${rows.join('\n')}\n`,
);
