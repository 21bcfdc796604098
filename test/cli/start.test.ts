// The CLI end to end, as a newcomer runs it: `sharpline seed demo` writes the demo dataset
// and a second run changes nothing; `sharpline start` on an empty data folder seeds it,
// serves it over HTTP, and exits 0 on SIGTERM. Embedded PGlite in a temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'sharpline.js');
const homes: string[] = [];

function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sharpline-cli-'));
  homes.push(dir);
  return dir;
}

/** The environment of a fresh machine: embedded database, no Redis, this data folder. */
function envFor(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SHARPLINE_HOME: home, LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function poll<T>(probe: () => Promise<T | null>, what: string, timeoutMs: number, child?: ChildProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} while waiting for ${what}`);
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

afterAll(() => {
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

describe('sharpline seed demo and jobs', () => {
  it('writes the demo dataset, then changes nothing on a second run', async () => {
    const env = envFor(tempHome());
    const first = await run(['seed', 'demo', '--json', '--today', '2024-03-15'], env);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout.trim());
    expect(a).toMatchObject({ seed: 20240601, today: '2024-03-15', rejected: 0, matches: { inserted: 1932, updated: 0, unchanged: 0 } });

    const second = await run(['seed', 'demo', '--json', '--today', '2024-03-15'], env);
    expect(second.code, second.stderr).toBe(0);
    const b = JSON.parse(second.stdout.trim());
    expect(b.matches).toEqual({ inserted: 0, updated: 0, unchanged: 1932 });
    expect(b.odds).toMatchObject({ inserted: 0, updated: 0 });
    expect(b.player_stats).toMatchObject({ inserted: 0, updated: 0 });

    const wrong = await run(['seed', 'demo', '--seed', 'many'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("option '--seed <n>' argument 'many' is invalid");

    // Seeding is not a queued job: the job list is empty and every known queue is idle.
    const jobs = await run(['jobs', 'list', '--json'], env);
    expect(jobs.code, jobs.stderr).toBe(0);
    const listed = JSON.parse(jobs.stdout.trim());
    expect(listed.items).toEqual([]);
    expect(Object.values(listed.queue_depth).every((n) => n === 0)).toBe(true);
    const missing = await run(['jobs', 'show', '123e4567-e89b-12d3-a456-426614174000'], env);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'no job with id 123e4567-e89b-12d3-a456-426614174000']);
  }, 300_000);
});

describe('sharpline start', () => {
  it('seeds an empty data folder, serves the demo data, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env: envFor(tempHome(), { PORT: String(port), HOST: '127.0.0.1' }) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await poll(
        async () => {
          const res = await fetch(`${base}/health`);
          return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
        },
        '/health',
        180_000,
        child,
      );
      expect(health).toMatchObject({ status: 'healthy', database_connected: true });
      expect(stderr).toMatch(/seeded the demo dataset \(seed 20240601\) - 1932 matches/);

      const res = await fetch(`${base}/api/v1/matches?competition=demo-premier-league&page_size=3`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { total: number; items: { competition: { name: string } }[] };
      expect(page.total).toBe(1140);
      expect(page.items[0]!.competition.name).toBe('Demo Premier League');
      const upcoming = (await (await fetch(`${base}/api/v1/matches?status=scheduled&page_size=1`)).json()) as { total: number };
      expect(upcoming.total).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited, stderr).toBe(0);
  }, 300_000);
});
