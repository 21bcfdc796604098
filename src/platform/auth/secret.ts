// The access-token signing secret. Configured deployments pass JWT_SECRET; the embedded
// mode generates a random one on first start and keeps it in the data directory (mode
// 0600), so tokens survive restarts and no default secret exists anywhere in the code.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'secret.key';

export function resolveSigningSecret(opts: { jwtSecret: string | null; dataDir: string }): string {
  if (opts.jwtSecret !== null) return opts.jwtSecret;
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = join(opts.dataDir, SECRET_FILE);
  try {
    // 'wx': create only if absent, so two processes starting together agree on one secret.
    writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Someone may have loosened the permissions since; the secret is for this user only.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret, 'utf8') < 32) throw new Error(`${file} holds a secret shorter than 32 bytes; delete it to generate a new one`);
  return secret;
}
