// `sharpline evaluate-props` through the CLI entry point on an embedded database in a
// temporary folder: import the FPL fixture folders, evaluate a season, reject a season
// without player data.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'sharpline.js');
const home = mkdtempSync(join(tmpdir(), 'sharpline-props-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, SHARPLINE_HOME: home, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.REDIS_URL;

afterAll(() => rmSync(home, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

describe('sharpline evaluate-props', () => {
  it('evaluates an imported season as JSON and refuses a season without player data', async () => {
    const imported = await run(['import', 'fpl', join(ROOT, 'test/fixtures/fpl'), '--json']);
    expect(imported.code).toBe(0);
    const res = await run(['evaluate-props', '--season', '2021-22', '--draws', '2000', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const e = JSON.parse(res.stdout) as { season: string; params: { draws: number }; report: { matches: number; props: Record<string, Record<string, { n: number }>> } };
    expect(e.season).toBe('2021-22');
    expect(e.params.draws).toBe(2000);
    expect(e.report.matches).toBe(1);
    expect(Object.keys(e.report.props).sort()).toEqual(['assists', 'cards', 'goals']);
    expect(e.report.props.goals!.ensemble!.n).toBeGreaterThan(0);
    const missing = await run(['evaluate-props', '--season', '2020-21']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no player data for season 2020-21');
    const bad = await run(['evaluate-props', '--season', '2021-22', '--draws', '10']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('at least 1000');
  }, 120_000);
});
