// `sharpline import` through its entry point, as a user runs it: a child process with its own
// embedded database (SHARPLINE_HOME) or a fresh PostgreSQL database (DATABASE_URL).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/modules/ingest/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/football-data');

let home: string;
let pg: TestDatabase | null = null;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sharpline-cli-'));
  if (process.env.TEST_DATABASE_URL) pg = await createTestDatabase();
});
afterAll(async () => {
  await pg?.cleanup();
  await rm(home, { recursive: true, force: true });
});

function sharpline(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, SHARPLINE_HOME: home, LOG_LEVEL: 'silent' };
  if (pg?.url) env.DATABASE_URL = pg.url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sharpline.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sharpline import', () => {
  it('imports files and prints exactly one JSON line with --json (exit 0 despite rejected rows)', async () => {
    const r = await sharpline('import', 'football-data', join(FIXTURES, 'e0-2000-01.csv'), join(FIXTURES, 'sp1-2004-05-latin1.csv'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0]!) as ImportSummary;
    expect(s.matches).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
    expect(s.odds).toEqual({ inserted: 93, updated: 0, unchanged: 0 });
    expect(s.players).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
    expect(s.rejected).toHaveLength(5);
    expect(s.rejected[0]).toEqual({ file: join(FIXTURES, 'sp1-2004-05-latin1.csv'), line: 4, reason: 'duplicate of line 3: Real Madrid v Mallorca on 2004-08-29' });
    expect(s.review).toEqual([]);
  });

  it('says a second run changed nothing, in a human summary without --json', async () => {
    const r = await sharpline('import', 'football-data', join(FIXTURES, 'e0-2000-01.csv'), join(FIXTURES, 'sp1-2004-05-latin1.csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 file(s): 0 imported, 2 unchanged, 0 failed');
    expect(r.stdout).toContain('matches  0 inserted, 0 updated, 7 unchanged');
  });

  it('exits 1 when a file fails, still importing the others', async () => {
    const r = await sharpline('import', 'football-data', join(FIXTURES, 'not-football-data.csv'), join(FIXTURES, 'e0-2019-20-fixtures-cr.csv'), '--json');
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as ImportSummary;
    expect(s.files.map((f) => f.status)).toEqual(['failed', 'imported']);
    expect(s.matches.inserted).toBe(3);
  });

  it('reports a lookalike name for review, and `teams alias add` merges the team it created', async () => {
    const typo = join(home, 'typo.csv');
    await writeFile(typo, 'Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,26/08/2000,Charltn,Chelsea,2,0\n');
    const r = await sharpline('import', 'football-data', typo, '--json');
    expect(r.code).toBe(0);
    const [review] = (JSON.parse(r.stdout) as ImportSummary).review;
    expect(review).toMatchObject({ name: 'Charltn', resembles: { name: 'Charlton Athletic' } });
    const alias = await sharpline('teams', 'alias', 'add', 'Charltn', String(review!.resembles.team_id), '--json');
    expect(alias.code).toBe(0);
    expect(JSON.parse(alias.stdout)).toEqual({
      alias: 'Charltn',
      team_id: review!.resembles.team_id,
      source: '*',
      merged: [{ team_id: review!.created_team_id, name: 'Charltn', matches_moved: 1, matches_folded: 0 }],
    });
    const unknown = await sharpline('teams', 'alias', 'add', 'Charltn', '999999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Team with id 999999 not found');
  });

  it('exits 2 on bad usage: unknown format, missing path, no arguments', async () => {
    const unknown = await sharpline('import', 'csv', join(FIXTURES, 'e0-2000-01.csv'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown format "csv"');
    const missing = await sharpline('import', 'football-data', join(FIXTURES, 'nope.csv'), '--json');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('no such file or folder');
    const bare = await sharpline('import');
    expect(bare.code).toBe(2);
  });
});
