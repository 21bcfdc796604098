import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { hashPassword, normaliseEmail, passwordProblems, verifyPassword } from '../../src/platform/auth/passwords.js';
import { resolveSigningSecret, SECRET_FILE } from '../../src/platform/auth/secret.js';
import { ValidationError } from '../../src/platform/errors.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sharpline-secret-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('signing secret', () => {
  it('uses JWT_SECRET when configured and writes nothing', () => {
    const dir = tmp();
    expect(resolveSigningSecret({ jwtSecret: 'x'.repeat(40), dataDir: dir })).toBe('x'.repeat(40));
    expect(() => statSync(join(dir, SECRET_FILE))).toThrow();
  });

  it('generates a random secret once in the data directory, readable by the owner only', () => {
    const dir = join(tmp(), 'nested', 'data');
    const first = resolveSigningSecret({ jwtSecret: null, dataDir: dir });
    const file = join(dir, SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect(resolveSigningSecret({ jwtSecret: null, dataDir: dir })).toBe(first);
    expect(resolveSigningSecret({ jwtSecret: null, dataDir: tmp() })).not.toBe(first);
  });

  it('tightens loosened permissions and refuses a truncated secret', () => {
    const dir = tmp();
    const secret = resolveSigningSecret({ jwtSecret: null, dataDir: dir });
    const file = join(dir, SECRET_FILE);
    chmodSync(file, 0o644);
    expect(resolveSigningSecret({ jwtSecret: null, dataDir: dir })).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'short\n');
    expect(() => resolveSigningSecret({ jwtSecret: null, dataDir: dir })).toThrow(/shorter than 32 bytes/);
    expect(readFileSync(file, 'utf8')).toBe('short\n');
  });

  it('refuses a short JWT_SECRET at boot', () => {
    expect(() => loadConfig({ JWT_SECRET: 'too-short' })).toThrow(ConfigError);
    expect(loadConfig({ JWT_SECRET: 's'.repeat(32) }).jwtSecret).toBe('s'.repeat(32));
  });
});

describe('passwords and e-mails', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashPassword('a long passphrase here', { memoryKib: 1024, iterations: 1 });
    expect(h).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verifyPassword(h, 'a long passphrase here')).toBe(true);
    expect(await verifyPassword(h, 'a long passphrase herE')).toBe(false);
    expect(await hashPassword('a long passphrase here', { memoryKib: 1024, iterations: 1 })).not.toBe(h);
  });

  it('normalises e-mails (trim, case, Unicode NFC) and rejects non-addresses', () => {
    expect(normaliseEmail('  Bob@Example.COM\t')).toBe('bob@example.com');
    expect(normaliseEmail('Jose\u0301@example.com')).toBe(normaliseEmail('Jos\u00e9@example.com'));
    for (const bad of ['', 'bob', 'bob@', '@example.com', 'bob@example', `${'a'.repeat(65)}@example.com`, 'a b@example.com']) {
      expect(() => normaliseEmail(bad), bad).toThrow(ValidationError);
    }
  });

  it('explains every reason a password is refused', () => {
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
    expect(passwordProblems('Password123')).toEqual(['is too common']);
    expect(passwordProblems(' padded password ')).toContain('must not start or end with whitespace');
    expect(passwordProblems('x'.repeat(129))).toEqual(expect.arrayContaining(['must be at most 128 characters', 'must use at least 5 different characters']));
    expect(passwordProblems('my-name-is-johnsmith!', 'johnsmith@example.com')).toEqual(['must not contain your e-mail name']);
    // length counts characters, not UTF-16 units: 10 emoji are 10 characters
    expect(passwordProblems('😀😁😂🤣😃😄😅😆😉😊')).toEqual([]);
  });
});
