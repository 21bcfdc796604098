// Signed-out sessions. Access tokens are stateless for 15 minutes; to make logout (and
// refresh-token reuse) take effect at once, the session id is put on a deny list for the
// lifetime of the tokens it may have issued. The list lives in the auth cache (Redis when
// configured, so every instance sees it); the database stays the record of revocation.
import type { Cache } from '../cache/cache.js';

export interface SessionRevocations {
  revoke(sessionId: string): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export function createSessionRevocations(cache: Cache, accessTokenTtlSeconds: number): SessionRevocations {
  // A little longer than a token lives, to cover clock skew between instances.
  const ttl = accessTokenTtlSeconds + 60;
  return {
    revoke: (sessionId) => cache.set(`session:${sessionId}`, 1, ttl),
    isRevoked: (sessionId) => cache.has(`session:${sessionId}`),
  };
}
