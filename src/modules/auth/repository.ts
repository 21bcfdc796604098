// All SQL for accounts: users, refresh-token families and API keys. Every list is bounded.
import { and, asc, count, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { apiKeys, refreshTokens, users, type ApiKeyRow, type RefreshTokenRow, type UserRole, type UserRow } from '../../db/schema/auth.js';

export function createAuthRepository(db: Executor) {
  return {
    async userByEmail(email: string): Promise<UserRow | null> {
      const rows = await db.select().from(users).where(eq(users.email, email)).limit(1);
      return rows[0] ?? null;
    },
    async userById(id: number): Promise<UserRow | null> {
      const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return rows[0] ?? null;
    },
    /** Insert, or null when the e-mail is taken (unique index). */
    async insertUser(values: { email: string; passwordHash: string; role: UserRole; displayName: string | null; now: Date }): Promise<UserRow | null> {
      const rows = await db
        .insert(users)
        .values({ email: values.email, passwordHash: values.passwordHash, role: values.role, displayName: values.displayName, createdAt: values.now, updatedAt: values.now })
        .onConflictDoNothing({ target: users.email })
        .returning();
      return rows[0] ?? null;
    },
    async updateUser(id: number, patch: Partial<Pick<UserRow, 'role' | 'disabledAt' | 'lastLoginAt' | 'passwordHash' | 'displayName'>>, now: Date): Promise<UserRow | null> {
      const rows = await db.update(users).set({ ...patch, updatedAt: now }).where(eq(users.id, id)).returning();
      return rows[0] ?? null;
    },
    async listUsers(limit: number, offset: number): Promise<{ rows: UserRow[]; total: number }> {
      const rows = await db.select().from(users).orderBy(asc(users.id)).limit(limit).offset(offset);
      const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(users);
      return { rows, total: Number(n) };
    },

    async insertRefreshToken(row: typeof refreshTokens.$inferInsert): Promise<void> {
      await db.insert(refreshTokens).values(row);
    },
    async refreshTokenByHash(tokenHash: string): Promise<RefreshTokenRow | null> {
      const rows = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
      return rows[0] ?? null;
    },
    /** Mark a token used, only if nobody did first; false means a concurrent or repeated use. */
    async claimRefreshToken(id: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(refreshTokens)
        .set({ usedAt: now })
        .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length === 1;
    },
    async revokeFamily(familyId: string, reason: string, now: Date): Promise<number> {
      const rows = await db
        .update(refreshTokens)
        .set({ revokedAt: now, revokedReason: reason })
        .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length;
    },
    /** Whether a sign-in session (a refresh-token family) was revoked: the record behind the deny list. */
    async isFamilyRevoked(familyId: string): Promise<boolean> {
      const rows = await db
        .select({ id: refreshTokens.id })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.familyId, familyId), isNotNull(refreshTokens.revokedAt)))
        .limit(1);
      return rows.length > 0;
    },
    /** Revoke every live family of a user; returns the family ids that were live. */
    async revokeUserFamilies(userId: number, reason: string, now: Date): Promise<string[]> {
      const rows = await db
        .update(refreshTokens)
        .set({ revokedAt: now, revokedReason: reason })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
        .returning({ familyId: refreshTokens.familyId });
      return [...new Set(rows.map((r) => r.familyId))];
    },

    async insertApiKey(row: { userId: number; name: string; prefix: string; keyHash: string; expiresAt: Date | null; now: Date }): Promise<ApiKeyRow | null> {
      const rows = await db
        .insert(apiKeys)
        .values({ userId: row.userId, name: row.name, prefix: row.prefix, keyHash: row.keyHash, expiresAt: row.expiresAt, createdAt: row.now })
        .onConflictDoNothing({ target: apiKeys.prefix })
        .returning();
      return rows[0] ?? null;
    },
    async apiKeyByPrefix(prefix: string): Promise<(ApiKeyRow & { role: UserRole; userDisabledAt: Date | null }) | null> {
      const rows = await db
        .select({ key: apiKeys, role: users.role, userDisabledAt: users.disabledAt })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(eq(apiKeys.prefix, prefix))
        .limit(1);
      const r = rows[0];
      return r ? { ...r.key, role: r.role, userDisabledAt: r.userDisabledAt } : null;
    },
    async listApiKeys(userId: number, limit: number, offset: number): Promise<{ rows: ApiKeyRow[]; total: number }> {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(limit).offset(offset);
      const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.userId, userId));
      return { rows, total: Number(n) };
    },
    async apiKeyById(id: number): Promise<ApiKeyRow | null> {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return rows[0] ?? null;
    },
    async revokeApiKey(id: number, now: Date): Promise<ApiKeyRow | null> {
      const rows = await db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()}::timestamptz)` })
        .where(eq(apiKeys.id, id))
        .returning();
      return rows[0] ?? null;
    },
    async touchApiKey(id: number, now: Date): Promise<void> {
      await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
