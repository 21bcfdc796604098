// `sharpline users create-admin` through the real CLI entry point, on an embedded database
// in a temporary SHARPLINE_HOME.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { users } from '../../src/db/schema/auth.js';

const home = mkdtempSync(join(tmpdir(), 'sharpline-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function sharpline(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? home, SHARPLINE_HOME: home, LOG_LEVEL: 'silent', ...opts.env };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/index.ts', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

async function storedUsers() {
  const database = await openDatabase({ url: null, pgliteDir: join(home, 'pglite') });
  try {
    return await database.db.select().from(users);
  } finally {
    await database.close();
  }
}

describe('sharpline users create-admin', () => {
  it('creates the admin from flags, with the password on stdin', async () => {
    const res = await sharpline(['users', 'create-admin', '--email', 'Boss@Example.com', '--password-stdin'], { stdin: 'correct horse battery staple\n' });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^created admin: boss@example.com \(id \d+\)/);
  }, 120_000);

  it('reads SHARPLINE_ADMIN_EMAIL / SHARPLINE_ADMIN_PASSWORD, and promotes an existing account', async () => {
    const created = await sharpline(['users', 'create-admin'], { env: { SHARPLINE_ADMIN_EMAIL: 'ops@example.com', SHARPLINE_ADMIN_PASSWORD: 'another good passphrase' } });
    expect(created.stdout).toMatch(/created admin: ops@example.com/);
    const again = await sharpline(['users', 'create-admin', '--email', 'ops@example.com', '--password', 'ignored for existing accounts']);
    expect(again.stdout).toMatch(/already admin: ops@example.com/);
    const rows = await storedUsers();
    expect(rows.map((u) => [u.email, u.role]).sort()).toEqual([
      ['boss@example.com', 'admin'],
      ['ops@example.com', 'admin'],
    ]);
    expect(rows.every((u) => u.passwordHash.startsWith('$argon2id$'))).toBe(true);
  }, 120_000);

  it('fails with the policy reason and a non-zero exit for a weak password', async () => {
    const res = await sharpline(['users', 'create-admin', '--email', 'weak@example.com', '--password', 'admin']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/password must be at least 10 characters/);
  }, 120_000);
});
