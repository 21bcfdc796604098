// The auth guard. Every request's credentials (`Authorization: Bearer <access token or
// API key>` or `X-API-Key`) are verified in onRequest, before rate limiting, so limits are
// counted per key or user; a request with bad credentials is counted against its IP and
// then refused with 401 (even on public routes: a client sending a broken token should
// learn about it rather than silently become anonymous).
//
// For other modules: protect a route with its onRequest hook (401/403 come before the body
// is read or validated) —
//   app.post('/imports', { onRequest: app.requireAdmin, schema: { ...securedRoute, ... } }, handler)
// and read the caller from `request.auth` ({ kind, userId, role, sessionId, apiKeyId } or null).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ForbiddenError, UnauthorizedError } from '../errors.js';
import type { CredentialVerifier } from './identity.js';
import { API_KEY_PREFIX } from './tokens.js';

type Presented = { kind: 'jwt' | 'api_key'; value: string };

function presentedCredentials(req: FastifyRequest): Presented | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const m = /^Bearer\s+(\S{1,4096})\s*$/i.exec(header);
    if (!m) throw new UnauthorizedError('Unsupported Authorization header; use "Bearer <access token or API key>"');
    const value = m[1]!;
    return { kind: value.startsWith(API_KEY_PREFIX) ? 'api_key' : 'jwt', value };
  }
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return { kind: 'api_key', value: key.trim() };
  if (Array.isArray(key)) throw new UnauthorizedError('Send one X-API-Key header');
  return null;
}

const refused = new WeakMap<FastifyRequest, AppError>();

function challenge(reply: FastifyReply) {
  reply.header('www-authenticate', 'Bearer realm="sharpline"');
}

async function authGuard(app: FastifyInstance, opts: { verifier: CredentialVerifier }): Promise<void> {
  const { verifier } = opts;
  app.decorateRequest('auth', null);

  // Callback style: an anonymous request (most reads) costs no promise.
  app.addHook('onRequest', (req, _reply, done) => {
    // Remembered, not thrown: the rate limiter still counts this request against its IP.
    const remember = (err: unknown) => {
      if (err instanceof AppError) {
        refused.set(req, err);
        done();
      } else done(err as Error);
    };
    let presented: Presented | null;
    try {
      presented = presentedCredentials(req);
    } catch (err) {
      return remember(err);
    }
    if (!presented) return done();
    (presented.kind === 'jwt' ? verifier.accessToken(presented.value) : verifier.apiKey(presented.value)).then((auth) => {
      req.auth = auth;
      done();
    }, remember);
  });

  /** Throw the reason the presented credentials failed, or 401 when there were none. */
  const requireIdentity = (req: FastifyRequest, reply: FastifyReply) => {
    const err = refused.get(req);
    if (err) {
      if (err.statusCode === 401) challenge(reply);
      throw err;
    }
    if (!req.auth) {
      challenge(reply);
      throw new UnauthorizedError();
    }
    return req.auth;
  };

  // Public routes: refuse bad credentials once every onRequest hook (rate limit) has run.
  app.addHook('preParsing', (req, reply, payload, done) => {
    if (!refused.has(req)) return done(null, payload);
    try {
      requireIdentity(req, reply);
      done(null, payload);
    } catch (err) {
      done(err as Error);
    }
  });

  app.decorate('requireUser', async (req: FastifyRequest, reply: FastifyReply) => {
    requireIdentity(req, reply);
  });

  app.decorate('requireSession', async (req: FastifyRequest, reply: FastifyReply) => {
    if (requireIdentity(req, reply).kind !== 'jwt') throw new ForbiddenError('This needs a signed-in session; API keys cannot do it');
  });

  app.decorate('requireAdmin', async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = requireIdentity(req, reply);
    // The token's role may be up to 15 minutes old; admin rights are re-read from the database.
    if (caller.role !== 'admin' || !(await verifier.isActiveAdmin(caller.userId))) {
      throw new ForbiddenError('Admin role required');
    }
  });
}

export const authGuardPlugin = fp(authGuard, { name: 'sharpline-auth-guard' });
