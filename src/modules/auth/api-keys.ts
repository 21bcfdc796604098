// API keys for programmatic clients: random (256-bit secret), shown once, stored as a
// SHA-256 digest (a key is high-entropy, so a slow hash adds nothing), found by a short
// clear-text prefix. Verified keys are remembered in process for a few seconds so a busy
// client costs one indexed lookup per key per interval, not one per request; revoking on
// this instance forgets at once, other instances within that interval.
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/client.js';
import type { ApiKeyRow, UserRole } from '../../db/schema/auth.js';
import type { AuthIdentity } from '../../platform/auth/identity.js';
import { digestsEqual, newApiKey, parseApiKey, sha256Hex } from '../../platform/auth/tokens.js';
import type { Clock } from '../../platform/clock.js';
import { NotFoundError, UnauthorizedError } from '../../platform/errors.js';
import { createAuthRepository } from './repository.js';

export const API_KEY_CACHE_SECONDS = 10;
const TOUCH_EVERY_MS = 60_000;

export interface PublicApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function publicApiKey(k: ApiKeyRow): PublicApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    expires_at: k.expiresAt?.toISOString() ?? null,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

type KnownKey = { id: number; userId: number; role: UserRole; keyHash: string; expiresAt: Date | null; usable: boolean; checkedAt: number; touchedAt: number };

export function createApiKeyService(deps: { db: Db; clock: Clock }) {
  const repo = createAuthRepository(deps.db);
  const known = new LRUCache<string, KnownKey>({ max: 10_000 });
  const now = () => deps.clock.now().getTime();

  async function lookup(prefix: string): Promise<KnownKey | null> {
    const cached = known.get(prefix);
    if (cached && now() - cached.checkedAt < API_KEY_CACHE_SECONDS * 1000) return cached;
    const row = await repo.apiKeyByPrefix(prefix);
    if (!row) {
      known.delete(prefix);
      return null;
    }
    const entry: KnownKey = {
      id: row.id,
      userId: row.userId,
      role: row.role,
      keyHash: row.keyHash,
      expiresAt: row.expiresAt,
      usable: row.revokedAt === null && row.userDisabledAt === null,
      checkedAt: now(),
      touchedAt: cached?.touchedAt ?? row.lastUsedAt?.getTime() ?? 0,
    };
    known.set(prefix, entry);
    return entry;
  }

  return {
    async create(userId: number, name: string, expiresInDays: number | null): Promise<{ key: string; row: ApiKeyRow }> {
      // A prefix collision (48 random bits) is retried rather than reported.
      for (let attempt = 0; attempt < 3; attempt++) {
        const { key, prefix } = newApiKey();
        const expiresAt = expiresInDays === null ? null : new Date(now() + expiresInDays * 86_400_000);
        const row = await repo.insertApiKey({ userId, name, prefix, keyHash: sha256Hex(key), expiresAt, now: deps.clock.now() });
        if (row) return { key, row };
      }
      throw new Error('could not allocate a unique API key prefix');
    },

    list: (userId: number, limit: number, offset: number) => repo.listApiKeys(userId, limit, offset),

    /** Revoke one of the caller's keys (admins may revoke anyone's). */
    async revoke(actor: AuthIdentity, id: number): Promise<ApiKeyRow> {
      const row = await repo.apiKeyById(id);
      // Someone else's key is reported as missing, so ids cannot be probed.
      if (!row || (row.userId !== actor.userId && actor.role !== 'admin')) throw new NotFoundError('API key', id);
      const revoked = (await repo.revokeApiKey(id, deps.clock.now())) ?? row;
      known.delete(row.prefix);
      return revoked;
    },

    async verify(key: string): Promise<AuthIdentity> {
      const parsed = parseApiKey(key);
      const entry = parsed ? await lookup(parsed.prefix) : null;
      if (!entry || !digestsEqual(entry.keyHash, sha256Hex(key))) throw new UnauthorizedError('Invalid API key');
      if (!entry.usable) throw new UnauthorizedError('API key revoked');
      if (entry.expiresAt && entry.expiresAt.getTime() <= now()) throw new UnauthorizedError('API key expired');
      if (now() - entry.touchedAt >= TOUCH_EVERY_MS) {
        entry.touchedAt = now();
        await repo.touchApiKey(entry.id, deps.clock.now());
      }
      return { kind: 'api_key', userId: entry.userId, role: entry.role, sessionId: null, apiKeyId: entry.id };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
