// Access control for the whole app, registered before any feature route: form bodies (the
// OAuth2 password form), refusal of NUL characters in input, the auth guard (request.auth, app.requireUser/requireAdmin),
// rate limits per key/user/IP, login throttling, and the /api/v1/auth and
// /api/v1/api-keys routes.
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { authGuardPlugin } from '../../platform/auth/guard.js';
import type { CredentialVerifier } from '../../platform/auth/identity.js';
import { resolveSigningSecret } from '../../platform/auth/secret.js';
import { createSessionRevocations } from '../../platform/auth/sessions.js';
import { createAccessTokens } from '../../platform/auth/tokens.js';
import type { Clock } from '../../platform/clock.js';
import { UnauthorizedError } from '../../platform/errors.js';
import { inputGuardPlugin } from '../../platform/input-guard.js';
import { TooManyRequestsError } from '../../platform/rate-limit/errors.js';
import { createLoginThrottle } from '../../platform/rate-limit/login-throttle.js';
import { rateLimitPlugin } from '../../platform/rate-limit/plugin.js';
import type { SharedState } from '../../platform/shared-state.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { createApiKeyService } from './api-keys.js';
import { createAuthRepository } from './repository.js';
import { authRoutes } from './routes.js';
import { createAuthService } from './service.js';

export interface AccessControlOptions {
  config: Config;
  db: Db;
  clock: Clock;
  shared: SharedState;
  /** Other processes may use this database (PostgreSQL): an in-process deny list is then not the whole story. */
  sharedDatabase?: boolean;
}

/** The services behind the routes, also used by the CLI (create-admin). */
export function createAccessServices(opts: AccessControlOptions) {
  const { config, db, clock, shared } = opts;
  const tokens = createAccessTokens({ secret: resolveSigningSecret(config), clock, ttlSeconds: config.accessTokenTtlSeconds });
  const repo = createAuthRepository(db);
  const sessions = createSessionRevocations(shared.authCache, config.accessTokenTtlSeconds, {
    isRevoked: (sessionId) => repo.isFamilyRevoked(sessionId),
    // An in-process deny list only knows this process's sign-outs; other processes may share the database.
    always: shared.authCache.kind === 'memory' && opts.sharedDatabase === true,
    clock,
  });
  const auth = createAuthService({
    db,
    clock,
    tokens,
    sessions,
    refreshTtlSeconds: config.refreshTokenTtlSeconds,
    hashCost: { memoryKib: config.passwordHashMemoryKib, iterations: config.passwordHashIterations },
    throttle: createLoginThrottle(shared.counter, clock, config.loginThrottle),
  });
  const apiKeys = createApiKeyService({ db, clock });
  const verifier: CredentialVerifier = {
    async accessToken(token) {
      const claims = await tokens.verify(token);
      if (await sessions.isRevoked(claims.sessionId)) throw new UnauthorizedError('Session signed out; sign in again');
      return { kind: 'jwt', userId: claims.userId, role: claims.role, sessionId: claims.sessionId, apiKeyId: null };
    },
    apiKey: (key) => apiKeys.verify(key),
    async isActiveAdmin(userId) {
      const user = await repo.userById(userId);
      return user !== null && user.role === 'admin' && user.disabledAt === null;
    },
  };
  return { auth, apiKeys, verifier, tokens };
}

async function accessControl(app: FastifyInstance, opts: AccessControlOptions): Promise<void> {
  const services = createAccessServices(opts);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(inputGuardPlugin);
  // Whoever refused with 429 (rate limit, login throttle) said when to come back.
  app.addHook('onError', async (_req, reply, error) => {
    if (error instanceof TooManyRequestsError) reply.header('retry-after', error.retryAfterSeconds);
  });
  await app.register(authGuardPlugin, { verifier: services.verifier });
  if (opts.config.rateLimit.enabled) {
    await app.register(rateLimitPlugin, {
      config: opts.config.rateLimit,
      counter: opts.shared.counter,
      clock: opts.clock,
      onRefused: (tier) => app.metrics?.rateLimited.inc({ tier }),
    });
  }
  await app.register(authRoutes, { prefix: '/api/v1', auth: services.auth });
  await app.register(apiKeyRoutes, { prefix: '/api/v1', apiKeys: services.apiKeys });
}

export default fp(accessControl, { name: 'sharpline-access-control' });
