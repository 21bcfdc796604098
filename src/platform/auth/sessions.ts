// Signed-out sessions. Access tokens are stateless for 15 minutes; to make logout (and
// refresh-token reuse) take effect at once, the session id is put on a deny list for the
// lifetime of the tokens it may have issued. The list lives in the auth cache (Redis when
// configured, so every instance sees it); the database stays the record of revocation, and
// is asked whenever the cache cannot vouch for a "no": Redis failed on the look-up, or the
// cache is in-process while other processes share the database (several API instances on
// PostgreSQL without Redis; another one may have signed the session out). Its "not revoked"
// is remembered for RECHECK_SECONDS per session (like the API-key cache), so a busy session
// costs one read per interval: a sign-out on another instance reaches this one within it,
// and one on this instance at once (revoke forgets the remembered answer).
import { LRUCache } from 'lru-cache';
import type { Cache } from '../cache/cache.js';
import type { Clock } from '../clock.js';

export const RECHECK_SECONDS = 5;

export interface SessionRevocations {
  revoke(sessionId: string): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export interface RevocationRecord {
  /** The database's answer (refresh-token families). */
  isRevoked(sessionId: string): Promise<boolean>;
  /** Ask it on every cache miss, not only when the cache failed. */
  always: boolean;
  clock: Clock;
}

export function createSessionRevocations(cache: Cache, accessTokenTtlSeconds: number, record?: RevocationRecord): SessionRevocations {
  // A little longer than a token lives, to cover clock skew between instances.
  const ttl = accessTokenTtlSeconds + 60;
  const live = new LRUCache<string, number>({ max: 100_000 });
  const askRecord = async (r: RevocationRecord, sessionId: string) => {
    const now = r.clock.now().getTime();
    const checkedAt = live.get(sessionId);
    if (checkedAt !== undefined && now - checkedAt < RECHECK_SECONDS * 1000) return false;
    if (await r.isRevoked(sessionId)) {
      live.delete(sessionId);
      return true;
    }
    live.set(sessionId, now);
    return false;
  };
  return {
    async revoke(sessionId) {
      live.delete(sessionId);
      await cache.set(`session:${sessionId}`, 1, ttl);
    },
    async isRevoked(sessionId) {
      const errorsBefore = cache.stats().errors;
      if (await cache.has(`session:${sessionId}`)) return true;
      if (!record) return false;
      // A failed look-up reads as "absent": then only the database can say.
      if (record.always || cache.stats().errors > errorsBefore) return askRecord(record, sessionId);
      return false;
    },
  };
}
