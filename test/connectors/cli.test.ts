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
  for (const [path, file] of [
    ['/af/fixtures', 'api-football-fixtures-39-2025.json'],
    ['/af/odds', 'api-football-odds-39-2025.json'],
    ['/af/fixtures/lineups', 'api-football-lineups-1378970.json'],
    ['/af/injuries', 'api-football-injuries-39-2025.json'],
  ] as const) {
    stub.route(path, { headers: { 'x-ratelimit-requests-remaining': '95' }, body: JSON.parse(await readFile(join(ROOT, 'test/fixtures/providers', file), 'utf8')) });
  }
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
    const rows = JSON.parse(sched.stdout) as { queue: string; enabled: boolean; cron: string | null; next_run: string | null }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ queue: 'sync.football-data', enabled: true, cron: '*/15 * * * *', next_run: '2025-08-16T10:15:00.000Z', last_outcome: expect.objectContaining({ status: 'completed' }) }),
        expect.objectContaining({ queue: 'sync.odds-api', enabled: false, next_run: null }),
        expect.objectContaining({ queue: 'sync.api-football', enabled: false, next_run: null }),
        // Seed 002's other schedules, at their defaults.
        expect.objectContaining({ queue: 'sync.history', enabled: true, cron: '0 3 * * *', next_run: '2025-08-17T03:00:00.000Z' }),
        expect.objectContaining({ queue: 'models.train', enabled: true, cron: '0 4 * * *', next_run: '2025-08-17T04:00:00.000Z' }),
        expect.objectContaining({ queue: 'predictions.generate', enabled: true, cron: '0 */4 * * *', next_run: '2025-08-16T12:00:00.000Z' }),
        expect.objectContaining({ queue: 'documents.ingest', enabled: true, cron: '0 */2 * * *', next_run: '2025-08-16T12:00:00.000Z' }),
      ]),
    );
    const off = await sharpline({}, 'sync', '--source', 'odds-api');
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/ODDS_API_KEY/);
  });

  it('syncs API-Football (matches, odds, lineups, injuries), then reports the repeat as unchanged', async () => {
    const env = { API_FOOTBALL_KEY: 'k', API_FOOTBALL_BASE_URL: `${stub.url}/af` };
    const first = await sharpline(env, 'sync', '--source', 'api-football', '--as-of', '2025-08-16T10:00:00Z');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^api-football: completed \(4 request\(s\), quota left 95/);
    expect(first.stdout).toMatch(/lineups {2}27 inserted, 0 updated, 0 unchanged/);
    expect(first.stdout).toMatch(/injuries 0 inserted, 4 updated, 0 unchanged/);
    const second = await sharpline(env, 'sync', '--source', 'api-football', '--json', '--as-of', '2025-08-16T10:05:00Z');
    expect(second.code, second.stderr).toBe(0);
    const s2 = JSON.parse(second.stdout) as SyncSummary;
    expect([s2.matches.inserted + s2.matches.updated, s2.odds.inserted + s2.odds.updated, s2.odds_history, s2.lineups.inserted + s2.lineups.updated, s2.injuries.updated, s2.players_created]).toEqual([0, 0, 0, 0, 0, 0]);
    const bad = await sharpline(env, 'sync', '--source', 'api-football', '--competition', 'XX');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown API-Football league XX; known: 39 \(PL\), 61 \(FL1\), 78 \(BL1\)/);
  });

  it('backfills the N finished seasons before the current one; bad --seasons or no source exits 2', async () => {
    const env = { FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_BASE_URL: `${stub.url}/v4` };
    const before = stub.requests.length;
    const res = await sharpline(env, 'backfill', '--seasons', '2', '--json', '--as-of', '2025-08-16T10:00:00Z');
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { seasons: number[]; status: string; skipped: { source: string }[]; runs: { season: number; name: string; status: string }[] };
    expect(out.seasons).toEqual([2023, 2024]);
    expect(out.status).toBe('completed');
    expect(out.runs.map((r) => [r.name, r.season, r.status])).toEqual([
      ['football-data', 2023, 'completed'],
      ['football-data', 2024, 'completed'],
    ]);
    expect(out.skipped).toEqual([{ source: 'api-football', reason: 'no API key configured' }]);
    expect(stub.requests.slice(before).map((r) => r.query.get('season'))).toEqual(['2023', '2024']);
    expect((await sharpline(env, 'backfill', '--seasons', '0')).code).toBe(2);
    expect((await sharpline(env, 'backfill', '--seasons', 'x')).code).toBe(2);
    const none = await sharpline({}, 'backfill', '--seasons', '1');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/FOOTBALL_DATA_API_KEY or API_FOOTBALL_KEY/);
  });
});
