// `sharpline sync` through its entry point, against a local stub provider.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/modules/connectors/sync.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startStub, type Stub } from './stub-server.js';

const ROOT = join(import.meta.dirname, '../..');
let home: string;
let stub: Stub;
let pg: TestDatabase | null = null;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sharpline-sync-'));
  stub = await startStub();
  stub.route('/v4/competitions/PL/matches', { body: JSON.parse(await readFile(join(ROOT, 'test/fixtures/providers/football-data-org-pl-matches.json'), 'utf8')) });
  if (process.env.TEST_DATABASE_URL) pg = await createTestDatabase();
});
afterAll(async () => {
  await stub.close();
  await pg?.cleanup();
  await rm(home, { recursive: true, force: true });
});

function sharpline(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const full: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, SHARPLINE_HOME: home, LOG_LEVEL: 'silent', ...env };
  if (pg?.url) full.DATABASE_URL = pg.url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/sharpline.js'), ...args], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sharpline sync', () => {
  it('syncs football-data.org, then reports the repeat as unchanged; a source without a key exits 2', async () => {
    const env = { FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_BASE_URL: `${stub.url}/v4` };
    const first = await sharpline(env, 'sync', '--source', 'football-data', '--json', '--as-of', '2025-08-16T10:00:00Z');
    expect(first.code, first.stderr).toBe(0);
    const s1 = JSON.parse(first.stdout) as SyncSummary;
    expect(s1.matches).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const second = await sharpline(env, 'sync', '--source', 'football-data', '--as-of', '2025-08-16T10:05:00Z');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/matches {2}0 inserted, 0 updated, 3 unchanged/);
    const sched = await sharpline(env, 'schedules', '--json', '--as-of', '2025-08-16T10:07:00Z');
    expect(sched.code, sched.stderr).toBe(0);
    expect(JSON.parse(sched.stdout)).toEqual([
      expect.objectContaining({ queue: 'sync.football-data', enabled: true, cron: '*/15 * * * *', next_run: '2025-08-16T10:15:00.000Z', last_outcome: expect.objectContaining({ status: 'completed' }) }),
      expect.objectContaining({ queue: 'sync.odds-api', enabled: false, next_run: null }),
    ]);
    const off = await sharpline({}, 'sync', '--source', 'odds-api');
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/ODDS_API_KEY/);
  });
});
