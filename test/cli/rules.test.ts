// `sharpline rules validate`, `rules reload`, `audit verify` and `audit export` through the
// CLI entry point, on an embedded database in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'sharpline.js');
const home = mkdtempSync(join(tmpdir(), 'sharpline-rules-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SHARPLINE_HOME: home, LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
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

describe('rules and audit commands', () => {
  it('validate names the line of a bad file and accepts the shipped example', async () => {
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, 'rules:\n  - id: a\n    type: odds_min\n    value: "x"\n');
    const r = await run(['rules', 'validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4: rules.0.value`);
    const ok = await run(['rules', 'validate', join(ROOT, 'config', 'business-rules.example.yaml')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid — version example-1');
  }, 60_000);

  it('reload puts the file in force, verify checks the chain, export writes JSONL', async () => {
    const file = join(home, 'rules.yaml');
    writeFileSync(file, 'ruleset_version: "cli-1"\nrules:\n  - id: ev\n    type: expected_value_min\n    value: 0.03\n');
    const reload = await run(['rules', 'reload', '--reason', 'first'], { BUSINESS_RULES_FILE: file });
    expect(reload.code).toBe(0);
    expect(reload.stdout).toContain('business rules cli-1 in force');
    const verify = await run(['audit', 'verify', '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, entries: 2 });
    const out = join(home, 'audit.jsonl');
    const exported = await run(['audit', 'export', '--out', out]);
    expect(exported.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.seq, l.action, l.rule_id])).toEqual([
      [1, 'init', 'ev'],
      [2, 'init', null],
    ]);
    for (const k of ['timestamp', 'user_id', 'action', 'rule_id', 'before', 'after', 'reason', 'request_ip', 'hash', 'prev_hash']) expect(lines[0]).toHaveProperty(k);
  }, 90_000);
});
