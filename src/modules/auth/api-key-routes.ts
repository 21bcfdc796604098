// /api/v1/api-keys: a signed-in user creates (key shown once), lists and revokes API keys.
// Managing keys takes a session: a leaked key cannot mint more keys or hide by revoking.
import type { FastifyInstance } from 'fastify';
import { securedRoute } from '../../platform/auth/identity.js';
import { IdParams } from '../../platform/schemas.js';
import { publicApiKey, type ApiKeyService } from './api-keys.js';
import { ApiKeyPage, ApiKeyResponse, CreateApiKeyBody, CreatedApiKey, UserListQuery } from './schemas.js';

const err = { $ref: 'ErrorBody#' };

export async function apiKeyRoutes(app: FastifyInstance, opts: { apiKeys: ApiKeyService }) {
  const { apiKeys } = opts;

  app.post(
    '/api-keys',
    {
      onRequest: app.requireSession,
      schema: {
        operationId: 'createApiKey',
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this response only',
        ...securedRoute,
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, 400: err, 401: err, 403: err, 429: err },
      },
    },
    async (req, reply) => {
      const body = req.body as { name: string; expires_in_days?: number };
      const { key, row } = await apiKeys.create(req.auth!.userId, body.name.trim(), body.expires_in_days ?? null);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...publicApiKey(row), key, version: 'v1' as const });
    },
  );

  app.get(
    '/api-keys',
    {
      onRequest: app.requireSession,
      schema: {
        operationId: 'listApiKeys',
        tags: ['api-keys'],
        summary: "The caller's API keys (never the keys themselves)",
        ...securedRoute,
        querystring: UserListQuery,
        response: { 200: ApiKeyPage, 400: err, 401: err, 403: err, 429: err },
      },
    },
    async (req) => {
      const q = req.query as { page: number; page_size: number };
      const { rows, total } = await apiKeys.list(req.auth!.userId, q.page_size, (q.page - 1) * q.page_size);
      return { items: rows.map(publicApiKey), total, page: q.page, page_size: q.page_size, version: 'v1' as const };
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      onRequest: app.requireSession,
      schema: {
        operationId: 'revokeApiKey',
        tags: ['api-keys'],
        summary: 'Revoke an API key (it stops working at once)',
        ...securedRoute,
        params: IdParams,
        response: { 200: ApiKeyResponse, 400: err, 401: err, 403: err, 404: err, 429: err },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      return { ...publicApiKey(await apiKeys.revoke(req.auth!, id)), version: 'v1' as const };
    },
  );
}
