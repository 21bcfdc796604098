// /api/v1/auth: register, login (JSON or the OAuth2 password form that /docs uses),
// refresh, logout, me, and the admin's user list. Seed 002's /auth/token/ and
// /auth/token/refresh/ are the same handlers under Django simplejwt's names.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { securedRoute } from '../../platform/auth/identity.js';
import { ValidationError } from '../../platform/errors.js';
import { IdParams } from '../../platform/schemas.js';
import {
  LoginBody,
  LogoutBody,
  LogoutResponse,
  RefreshBody,
  RegisterBody,
  TokenResponse,
  UserListQuery,
  UserPage,
  UserPatchBody,
  UserResponse,
} from './schemas.js';
import { publicUser, type AuthService, type TokenPair } from './service.js';

const err = { $ref: 'ErrorBody#' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, err]));

type LoginInput = { email?: string; username?: string; password: string };
type RefreshInput = { refresh_token?: string; refresh?: string };

function clientOf(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? ua : null };
}

// Token responses must never be stored by browsers or proxies (RFC 6749 §5.1).
function tokens(reply: FastifyReply, pair: TokenPair) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return { ...pair, version: 'v1' as const };
}

export async function authRoutes(app: FastifyInstance, opts: { auth: AuthService }) {
  const { auth } = opts;

  app.post(
    '/auth/register',
    {
      config: { rateLimitPolicy: 'auth.register' },
      schema: {
        operationId: 'register',
        tags: ['auth'],
        summary: 'Create an account (password: 10+ characters, not a common one)',
        body: RegisterBody,
        response: { 201: UserResponse, ...errors(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const body = req.body as { email: string; password: string; display_name?: string };
      const user = await auth.register({ email: body.email, password: body.password, displayName: body.display_name ?? null });
      return reply.code(201).send({ ...publicUser(user), version: 'v1' as const });
    },
  );

  for (const [url, operationId] of [
    ['/auth/login', 'login'],
    ['/auth/token', 'obtainToken'],
  ] as const) {
    app.post(
      url,
      {
        config: { rateLimitPolicy: 'auth.login' },
        schema: {
          operationId,
          tags: ['auth'],
          summary: url === '/auth/login' ? 'Sign in: JSON {email, password} or the OAuth2 password form' : 'Sign in (seed 002 path)',
          body: LoginBody,
          response: { 200: TokenResponse, ...errors(400, 401, 429) },
        },
      },
      async (req, reply) => {
        const body = req.body as LoginInput;
        const email = body.email ?? body.username;
        if (!email) throw new ValidationError("body field 'email' (or the form's 'username') is required", 'email');
        return tokens(reply, await auth.login({ email, password: body.password, ...clientOf(req) }));
      },
    );
  }

  for (const [url, operationId] of [
    ['/auth/refresh', 'refreshToken'],
    ['/auth/token/refresh', 'refreshTokenSeed002'],
  ] as const) {
    app.post(
      url,
      {
        schema: {
          operationId,
          tags: ['auth'],
          summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)',
          body: RefreshBody,
          response: { 200: TokenResponse, ...errors(400, 401, 429) },
        },
      },
      async (req, reply) => {
        const body = req.body as RefreshInput;
        const refreshToken = body.refresh_token ?? body.refresh;
        if (!refreshToken) throw new ValidationError("body field 'refresh_token' is required", 'refresh_token');
        return tokens(reply, await auth.refresh({ refreshToken, ...clientOf(req) }));
      },
    );
  }

  app.post(
    '/auth/logout',
    {
      // The body is optional (a bearer token alone signs out its session).
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        operationId: 'logout',
        tags: ['auth'],
        summary: "Sign out: the access token's session, a refresh token's session, or every session (all)",
        ...securedRoute,
        body: LogoutBody,
        response: { 200: LogoutResponse, ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const body = req.body as { refresh_token?: string; all?: boolean };
      const revoked = await auth.logout({ identity: req.auth, refreshToken: body.refresh_token, all: body.all === true });
      return { status: 'signed_out' as const, sessions_revoked: revoked, version: 'v1' as const };
    },
  );

  app.get(
    '/auth/me',
    {
      onRequest: app.requireUser,
      schema: { operationId: 'getMe', tags: ['auth'], summary: 'The signed-in account', ...securedRoute, response: { 200: UserResponse, ...errors(401, 429) } },
    },
    async (req) => ({ ...publicUser(await auth.me(req.auth!.userId)), version: 'v1' as const }),
  );

  app.get(
    '/auth/users',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'listUsers',
        tags: ['auth'],
        summary: 'All accounts (admin)',
        ...securedRoute,
        querystring: UserListQuery,
        response: { 200: UserPage, ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const q = req.query as { page: number; page_size: number };
      const { rows, total } = await auth.listUsers(q.page_size, (q.page - 1) * q.page_size);
      return { items: rows.map(publicUser), total, page: q.page, page_size: q.page_size, version: 'v1' as const };
    },
  );

  app.patch(
    '/auth/users/:id',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'updateUser',
        tags: ['auth'],
        summary: 'Change a role or disable an account (admin); disabling signs it out everywhere',
        ...securedRoute,
        params: IdParams,
        body: UserPatchBody,
        response: { 200: UserResponse, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const user = await auth.updateUser(req.auth!.userId, id, req.body as { role?: 'user' | 'admin'; disabled?: boolean });
      return { ...publicUser(user), version: 'v1' as const };
    },
  );
}
