// The first admin: `sharpline users create-admin` or SHARPLINE_ADMIN_EMAIL /
// SHARPLINE_ADMIN_PASSWORD at start-up. Creates the account, or promotes (and re-enables)
// an existing one; never changes an existing password.
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { UserRow } from '../../db/schema/auth.js';
import { normaliseEmail } from '../../platform/auth/passwords.js';
import type { Clock } from '../../platform/clock.js';
import { createAuthRepository } from './repository.js';
import { createUser } from './service.js';

export type AdminOutcome = 'created' | 'promoted' | 'unchanged';

export async function ensureAdmin(
  deps: { db: Db; clock: Clock; config: Pick<Config, 'passwordHashMemoryKib' | 'passwordHashIterations'> },
  input: { email: string; password: string },
): Promise<{ user: UserRow; outcome: AdminOutcome }> {
  const repo = createAuthRepository(deps.db);
  const existing = await repo.userByEmail(normaliseEmail(input.email));
  if (!existing) {
    const hashCost = { memoryKib: deps.config.passwordHashMemoryKib, iterations: deps.config.passwordHashIterations };
    return { user: await createUser(repo, deps.clock, hashCost, { ...input, role: 'admin' }), outcome: 'created' };
  }
  if (existing.role === 'admin' && existing.disabledAt === null) return { user: existing, outcome: 'unchanged' };
  const user = await repo.updateUser(existing.id, { role: 'admin', disabledAt: null }, deps.clock.now());
  return { user: user ?? existing, outcome: 'promoted' };
}

/** Start-up hook: create the configured admin when both variables are set. */
export async function ensureConfiguredAdmin(deps: { db: Db; clock: Clock; config: Config }): Promise<{ email: string; outcome: AdminOutcome } | null> {
  const { adminEmail, adminPassword } = deps.config;
  if (!adminEmail || !adminPassword) return null;
  const { user, outcome } = await ensureAdmin(deps, { email: adminEmail, password: adminPassword });
  return { email: user.email, outcome };
}
