// Access tokens: short-lived HS256 JWTs (15 minutes by default) naming the user, role and
// sign-in session. Verification pins the algorithm (so `alg: none` and algorithm swaps
// fail), checks issuer, audience and expiry against the injected clock. Refresh tokens and
// API keys are opaque random strings, stored only as SHA-256 digests.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { USER_ROLES, type UserRole } from '../../db/schema/auth.js';
import type { Clock } from '../clock.js';
import { UnauthorizedError } from '../errors.js';

export const TOKEN_ISSUER = 'sharpline';
export const TOKEN_AUDIENCE = 'sharpline-api';

export interface AccessClaims {
  userId: number;
  role: UserRole;
  sessionId: string;
}

export interface AccessTokens {
  readonly ttlSeconds: number;
  sign(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }>;
  /** Throws UnauthorizedError (expired, bad signature, wrong algorithm, malformed). */
  verify(token: string): Promise<AccessClaims>;
}

export function createAccessTokens(opts: { secret: string; clock: Clock; ttlSeconds: number }): AccessTokens {
  const key = new TextEncoder().encode(opts.secret);
  // A token whose signature checked out once needs no second HMAC (WebCrypto's verify is
  // most of the cost of an authenticated request); it is still refused once it expires.
  const verified = new LRUCache<string, { claims: AccessClaims; expMs: number }>({ max: 10_000 });
  return {
    ttlSeconds: opts.ttlSeconds,
    async sign(claims) {
      const now = Math.floor(opts.clock.now().getTime() / 1000);
      const exp = now + opts.ttlSeconds;
      const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(String(claims.userId))
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expMs > opts.clock.now().getTime()) return known.claims;
        verified.delete(token);
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          currentDate: opts.clock.now(),
          requiredClaims: ['sub', 'exp', 'iat', 'sid'],
        }));
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw new UnauthorizedError('Access token expired; refresh it');
        if (err instanceof errors.JOSEError) throw new UnauthorizedError('Invalid access token');
        throw err;
      }
      const userId = Number(payload.sub);
      const role = payload.role as UserRole;
      const sessionId = payload.sid;
      if (!Number.isSafeInteger(userId) || userId < 1 || !USER_ROLES.includes(role) || typeof sessionId !== 'string') {
        throw new UnauthorizedError('Invalid access token');
      }
      const claims: AccessClaims = { userId, role, sessionId };
      verified.set(token, { claims, expMs: Number(payload.exp) * 1000 });
      return claims;
    },
  };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** 256 random bits, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const REFRESH_TOKEN_PREFIX = 'rt_';
export const API_KEY_PREFIX = 'shl_';

/** `shl_<8 lookup chars>_<43 secret chars>`; the lookup part is stored in clear. */
export function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
  return { key: `${API_KEY_PREFIX}${prefix}_${randomToken(32)}`, prefix };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const m = /^shl_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? { prefix: m[1]! } : null;
}
