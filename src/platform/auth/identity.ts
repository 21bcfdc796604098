// Who is calling: the identity the auth guard attaches to every request, and the Fastify
// decorations other modules use to protect routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '../../db/schema/auth.js';

export interface AuthIdentity {
  /** How the caller proved it: an access token (JWT) or an API key. */
  kind: 'jwt' | 'api_key';
  userId: number;
  role: UserRole;
  /** The sign-in (refresh-token family) an access token belongs to. */
  sessionId: string | null;
  apiKeyId: number | null;
}

/** Turns presented credentials into an identity, or throws UnauthorizedError. */
export interface CredentialVerifier {
  accessToken(token: string): Promise<AuthIdentity>;
  apiKey(key: string): Promise<AuthIdentity>;
  /** Re-check against the database that the user still exists, is enabled and is an admin. */
  isActiveAdmin(userId: number): Promise<boolean>;
}

/**
 * A route guard. Use it as the route's `onRequest` hook (it runs after the global
 * authentication, before the body is read or validated), or as a `preHandler`.
 */
export type RouteGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null for anonymous requests. */
    auth: AuthIdentity | null;
  }
  interface FastifyInstance {
    /** 401 unless the caller is signed in (access token or API key). */
    requireUser: RouteGuard;
    /** 401 when anonymous, 403 unless the caller is an (active) admin. */
    requireAdmin: RouteGuard;
    /** 401 when anonymous, 403 for API keys: needs a signed-in session. */
    requireSession: RouteGuard;
  }
  interface FastifyContextConfig {
    /** Name of a per-route rate-limit policy in config.rateLimit.routes (seed 004). */
    rateLimitPolicy?: string;
    /** Count nothing and never refuse (health checks, metrics scrapes). */
    rateLimitExempt?: boolean;
  }
}

/** OpenAPI security requirement for routes that need a signed-in caller. */
export const securedRoute: { security: Record<string, string[]>[] } = { security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { oauth2: [] }] };

