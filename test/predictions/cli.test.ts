// `sharpline train`, `predict` and `evaluate` through the real CLI entry point, on an
// embedded database in a temporary SHARPLINE_HOME loaded with the importer's fixture files.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'sharpline-predictions-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function sharpline(args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? home, SHARPLINE_HOME: home, LOG_LEVEL: 'silent', SEED_DEMO_ON_EMPTY: 'false' };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/index.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sharpline train / predict / evaluate', () => {
  it('trains on imported results and reports the artifacts as JSON', async () => {
    const imported = await sharpline(['import', 'football-data', 'test/fixtures/football-data/e0-2019-20-results.csv', 'test/fixtures/football-data/e0-2019-20-fixtures-cr.csv', '--json']);
    expect(imported.code).toBe(0);
    const res = await sharpline(['train', '--competition', 'england-premier-league', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.trained).toHaveLength(1);
    expect(out.trained[0].artifacts.map((a: { kind: string }) => a.kind)).toEqual(['elo']);
    expect(out.trained[0].skipped).toEqual([{ kind: 'dixon-coles', reason: 'too few results in the training window' }]);
    // Every fixture match is in the past: nothing to predict.
    expect(out.generated.matches).toBe(0);
  }, 120_000);

  it('generates and settles with predict', async () => {
    const res = await sharpline(['predict', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ generated: { matches: 0 }, settled: { settled: 0 } });
  }, 120_000);

  it('evaluates walk-forward and explains usage errors', async () => {
    const res = await sharpline(['evaluate', '--competition', 'england-premier-league', '--seasons', '2019-20..2019-20', '--models', 'elo', '--json']);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ sport: 'soccer', seasons: ['2019-20'], models: ['elo'], margin_method: 'shin' });
    expect(report.overall.elo.n).toBe(3);
    const missing = await sharpline(['evaluate', '--seasons', '2019-20..2019-20']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--competition and --seasons are required/);
    const bad = await sharpline(['evaluate', '--competition', 'england-premier-league', '--seasons', '2019-20..2019-20', '--models', 'oracle']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown model "oracle"/);
  }, 120_000);

  it('replays a past date with --as-of: a fixture dated in the past gets a prediction', async () => {
    const imported = await sharpline(['import', 'football-data', 'test/fixtures/football-data/e0-2019-20-asof-fixture.csv', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const trained = await sharpline(['train', '--competition', 'england-premier-league', '--quick', '--as-of', '2019-08-12T09:00:00Z', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const t = JSON.parse(trained.stdout);
    expect(t).toMatchObject({ as_of: '2019-08-12T09:00:00.000Z', horizon_days: 14 });
    expect(t.generated.matches).toBe(1);
    const predicted = await sharpline(['predict', '--as-of', '2019-08-12T09:00:00+00:00', '--days', '30', '--no-settle', '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(JSON.parse(predicted.stdout)).toMatchObject({ as_of: '2019-08-12T09:00:00.000Z', horizon_days: 30, generated: { matches: 1, inserted: 0 } });
    // After its kick-off (as of the day after), the same fixture is no longer to come.
    const later = await sharpline(['predict', '--as-of', '2019-08-18', '--no-settle', '--json']);
    expect(JSON.parse(later.stdout).generated.matches).toBe(0);
    const text = await sharpline(['train', '--competition', 'england-premier-league', '--quick', '--as-of', '2019-08-12T09:00:00Z']);
    expect(text.stdout).toMatch(/kick-off within 14 days; use `sharpline predict --days N`/);
  }, 180_000);

  it('rejects an invalid --as-of and --refit-days with a clear message and a non-zero exit', async () => {
    for (const bad of ['yesterday', '2019-08-12T09:00:00', '2019-02-31']) {
      const res = await sharpline(['predict', '--as-of', bad]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/--as-of <date-time>.*expected an ISO-8601 date-time with a timezone/);
    }
    const refit = await sharpline(['evaluate', '--competition', 'england-premier-league', '--seasons', '2019-20..2019-20', '--models', 'elo', '--refit-days', '0']);
    expect(refit.code).not.toBe(0);
    expect(refit.stderr).toMatch(/expected 1\.\.365/);
    const monthly = await sharpline(['evaluate', '--competition', 'england-premier-league', '--seasons', '2019-20..2019-20', '--models', 'elo', '--refit-days', '30', '--json']);
    expect(monthly.code, monthly.stderr).toBe(0);
    expect(JSON.parse(monthly.stdout).refit_days).toBe(30);
  }, 120_000);
});
