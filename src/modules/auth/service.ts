// Accounts and sessions: register, sign in (argon2id, throttled), rotate refresh tokens,
// detect reuse of a rotated token (the family is revoked: someone else holds a copy),
// sign out, and the admin's view of users. Handlers call one function here each.
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/client.js';
import type { UserRole, UserRow } from '../../db/schema/auth.js';
import type { AccessTokens } from '../../platform/auth/tokens.js';
import { randomToken, REFRESH_TOKEN_PREFIX, sha256Hex } from '../../platform/auth/tokens.js';
import { assertPasswordPolicy, hashPassword, normaliseEmail, verifyPassword, type HashCost } from '../../platform/auth/passwords.js';
import type { SessionRevocations } from '../../platform/auth/sessions.js';
import type { AuthIdentity } from '../../platform/auth/identity.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../platform/errors.js';
import type { LoginThrottle } from '../../platform/rate-limit/login-throttle.js';
import { createAuthRepository, type AuthRepository } from './repository.js';

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  tokens: AccessTokens;
  refreshTtlSeconds: number;
  hashCost: HashCost;
  sessions: SessionRevocations;
  throttle: LoginThrottle;
}

export interface TokenPair {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  user: PublicUser;
}

export interface PublicUser {
  id: number;
  email: string;
  role: UserRole;
  display_name: string | null;
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export function publicUser(u: UserRow): PublicUser {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    display_name: u.displayName,
    disabled: u.disabledAt !== null,
    created_at: u.createdAt.toISOString(),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
  };
}

/** Normalise, check the policy, hash and insert; 409 when the e-mail is taken. */
export async function createUser(
  repo: AuthRepository,
  clock: Clock,
  hashCost: HashCost,
  input: { email: string; password: string; displayName?: string | null; role: UserRole },
): Promise<UserRow> {
  const email = normaliseEmail(input.email);
  assertPasswordPolicy(input.password, email);
  const passwordHash = await hashPassword(input.password, hashCost);
  const user = await repo.insertUser({ email, passwordHash, role: input.role, displayName: input.displayName?.trim() || null, now: clock.now() });
  if (!user) throw new ConflictError('An account with this e-mail already exists');
  return user;
}

interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, tokens, sessions, throttle } = deps;
  const repo = createAuthRepository(db);
  // Verified against when the account does not exist, so "no such user" costs as much time
  // as "wrong password" and response times do not reveal which e-mails are registered.
  let decoyHash: Promise<string> | null = null;
  const decoy = () => (decoyHash ??= hashPassword(randomToken(), deps.hashCost));

  async function issue(user: UserRow, familyId: string, parentId: string | null, client: ClientInfo, tx: Executor = db): Promise<TokenPair> {
    const now = clock.now();
    const refresh = `${REFRESH_TOKEN_PREFIX}${randomToken(32)}`;
    await createAuthRepository(tx).insertRefreshToken({
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refresh),
      parentId,
      expiresAt: new Date(now.getTime() + deps.refreshTtlSeconds * 1000),
      userAgent: client.userAgent?.slice(0, 256) ?? null,
      ip: client.ip,
      createdAt: now,
    });
    const access = await tokens.sign({ userId: user.id, role: user.role, sessionId: familyId });
    return {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: tokens.ttlSeconds,
      refresh_token: refresh,
      refresh_expires_in: deps.refreshTtlSeconds,
      user: publicUser(user),
    };
  }

  async function revokeFamily(familyId: string, reason: string) {
    await repo.revokeFamily(familyId, reason, clock.now());
    await sessions.revoke(familyId);
  }

  return {
    register(input: { email: string; password: string; displayName?: string | null }): Promise<UserRow> {
      return createUser(repo, clock, deps.hashCost, { ...input, role: 'user' });
    },

    async login(input: { email: string; password: string } & ClientInfo): Promise<TokenPair> {
      const email = normaliseEmail(input.email, 'email');
      await throttle.assertAllowed(email, input.ip);
      const user = await repo.userByEmail(email);
      let ok = false;
      if (user) ok = await verifyPassword(user.passwordHash, input.password);
      else await verifyPassword(await decoy(), input.password);
      if (!user || !ok || user.disabledAt !== null) {
        await throttle.recordFailure(email, input.ip);
        throw new UnauthorizedError('Incorrect e-mail or password');
      }
      await throttle.recordSuccess(email);
      const signedIn = (await repo.updateUser(user.id, { lastLoginAt: clock.now() }, clock.now())) ?? user;
      return issue(signedIn, randomUUID(), null, input);
    },

    async refresh(input: { refreshToken: string } & ClientInfo): Promise<TokenPair> {
      const row = input.refreshToken.startsWith(REFRESH_TOKEN_PREFIX) ? await repo.refreshTokenByHash(sha256Hex(input.refreshToken)) : null;
      if (!row) throw new UnauthorizedError('Invalid refresh token');
      if (row.revokedAt) throw new UnauthorizedError('Refresh token revoked; sign in again');
      if (row.usedAt) {
        // A rotated token came back: whoever presents it, the family is compromised.
        await revokeFamily(row.familyId, 'reuse_detected');
        throw new UnauthorizedError('Refresh token already used; the session was signed out for safety');
      }
      if (row.expiresAt.getTime() <= clock.now().getTime()) throw new UnauthorizedError('Refresh token expired; sign in again');
      const user = await repo.userById(row.userId);
      if (!user || user.disabledAt) throw new UnauthorizedError('Account disabled');
      const pair = await db.transaction(async (tx) => {
        const claimed = await createAuthRepository(tx).claimRefreshToken(row.id, clock.now());
        return claimed ? issue(user, row.familyId, row.id, input, tx) : null;
      });
      if (!pair) {
        // Lost a race with another use of the same token: treat it as reuse.
        await revokeFamily(row.familyId, 'reuse_detected');
        throw new UnauthorizedError('Refresh token already used; the session was signed out for safety');
      }
      return pair;
    },

    /** Sign out the caller's session, a presented refresh token's session, or (all) every session. */
    async logout(input: { identity: AuthIdentity | null; refreshToken?: string; all?: boolean }): Promise<number> {
      const families = new Set<string>();
      let userId = input.identity?.userId ?? null;
      if (input.refreshToken) {
        const row = await repo.refreshTokenByHash(sha256Hex(input.refreshToken));
        if (!row || (userId !== null && row.userId !== userId)) throw new UnauthorizedError('Invalid refresh token');
        families.add(row.familyId);
        userId = row.userId;
      }
      if (input.identity?.sessionId) families.add(input.identity.sessionId);
      if (families.size === 0 && !input.all) throw new UnauthorizedError('Send an access token or a refresh token to sign out');
      if (input.all && userId !== null) for (const f of await repo.revokeUserFamilies(userId, 'logout_all', clock.now())) families.add(f);
      for (const f of families) await revokeFamily(f, input.all ? 'logout_all' : 'logout');
      return families.size;
    },

    async me(userId: number): Promise<UserRow> {
      const user = await repo.userById(userId);
      if (!user) throw new UnauthorizedError('Account no longer exists');
      return user;
    },

    listUsers: (limit: number, offset: number) => repo.listUsers(limit, offset),

    /** Admin: change a role or disable an account (which signs it out everywhere). */
    async updateUser(actorId: number, id: number, patch: { role?: UserRole; disabled?: boolean }): Promise<UserRow> {
      if (id === actorId && (patch.role === 'user' || patch.disabled === true)) {
        throw new ValidationError('Admins cannot demote or disable themselves (ask another admin)', patch.role ? 'role' : 'disabled');
      }
      const now = clock.now();
      const user = await repo.updateUser(
        id,
        {
          ...(patch.role ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? now : null } : {}),
        },
        now,
      );
      if (!user) throw new NotFoundError('user', id);
      if (patch.disabled || patch.role === 'user') for (const f of await repo.revokeUserFamilies(id, 'admin', now)) await sessions.revoke(f);
      return user;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
