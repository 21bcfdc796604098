// The response cache inside the app: `app.cache` (the Cache), `reply.cached(key, ttl,
// load)` for read endpoints (encoded bodies with ETags; X-Cache: HIT|MISS; response.ts), and the admin invalidation endpoint
// (seed 001: POST /cache/invalidate {keys, pattern}, also under /api/v1) plus cache stats.
//
// For other modules, a cached read endpoint is:
//   async (req, reply) => reply.cached(cacheKeys.entity('match', id, 'detail'), CACHE_TTL_SECONDS.entity, () => service.match(id))
// and an importer calls invalidateAfterImport(cache, { matchIds, teamIds, ... }) after commit.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { securedRoute } from '../auth/identity.js';
import { ValidationError } from '../errors.js';
import { versionField } from '../schemas.js';
import type { Cache } from './cache.js';
import { sendCached } from './response.js';

declare module 'fastify' {
  interface FastifyInstance {
    cache: Cache;
  }
  interface FastifyReply {
    /**
     * Answer from the response cache (the encoded body, its ETag, compressed variants;
     * If-None-Match → 304), or load, encode, store and answer. Sets X-Cache: HIT, MISS or
     * BYPASS (CACHE_RESPONSES=false). Returns the sent reply: `return reply.cached(...)`.
     */
    cached(key: string, ttlSeconds: number, load: () => Promise<unknown>): Promise<FastifyReply>;
  }
}

const KeyText = Type.String({ minLength: 1, maxLength: 512 });

export const InvalidateBody = Type.Object(
  {
    keys: Type.Optional(Type.Array(KeyText, { maxItems: 1000, description: 'Exact keys, e.g. pred:tier1:123:456' })),
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Redis glob, e.g. pred_match:*:456' })),
  },
  { additionalProperties: false },
);

export const InvalidateResponse = Type.Object(
  {
    deleted: Type.Integer({ minimum: 0, description: 'Entries removed in total' }),
    keys_deleted: Type.Integer({ minimum: 0 }),
    pattern_deleted: Type.Integer({ minimum: 0 }),
    ...versionField,
  },
  { title: 'CacheInvalidation' },
);

export const CacheStatsResponse = Type.Object(
  {
    kind: Type.Union([Type.Literal('memory'), Type.Literal('redis')]),
    connected: Type.Boolean(),
    hits: Type.Integer(),
    misses: Type.Integer(),
    sets: Type.Integer(),
    deletes: Type.Integer(),
    errors: Type.Integer(),
    hit_rate: Type.Number({ minimum: 0, maximum: 1 }),
    last_error: Type.Union([Type.String(), Type.Null()]),
    ...versionField,
  },
  { title: 'CacheStats' },
);

async function cachePlugin(app: FastifyInstance, opts: { cache: Cache; responses?: boolean }): Promise<void> {
  const { cache } = opts;
  app.decorate('cache', cache);
  app.decorateReply('cached', async function (this: FastifyReply, key: string, ttlSeconds: number, load: () => Promise<unknown>): Promise<FastifyReply> {
    if (opts.responses === false) {
      this.header('x-cache', 'BYPASS');
      return this.send(await load());
    }
    return sendCached(this, cache, key, ttlSeconds, load);
  });

  const err = { $ref: 'ErrorBody#' };
  for (const url of ['/cache/invalidate', '/api/v1/cache/invalidate']) {
    app.post(
      url,
      {
        onRequest: app.requireAdmin,
        schema: {
          operationId: url.startsWith('/api') ? 'invalidateCacheV1' : 'invalidateCache',
          tags: ['cache'],
          summary: 'Remove cache entries by exact key and/or glob pattern (admin)',
          ...securedRoute,
          body: InvalidateBody,
          response: { 200: InvalidateResponse, 400: err, 401: err, 403: err, 429: err },
        },
      },
      async (req) => {
        const body = req.body as { keys?: string[]; pattern?: string };
        if (!body.keys?.length && !body.pattern) throw new ValidationError("send 'keys', 'pattern' or both", 'keys');
        const keysDeleted = body.keys?.length ? await cache.del(body.keys) : 0;
        const patternDeleted = body.pattern ? await cache.delPattern(body.pattern) : 0;
        req.log.info({ keys: body.keys?.length ?? 0, pattern: body.pattern, deleted: keysDeleted + patternDeleted }, 'cache invalidated');
        return { deleted: keysDeleted + patternDeleted, keys_deleted: keysDeleted, pattern_deleted: patternDeleted, version: 'v1' as const };
      },
    );
  }

  app.get(
    '/api/v1/cache/stats',
    {
      onRequest: app.requireAdmin,
      schema: {
        operationId: 'getCacheStats',
        tags: ['cache'],
        summary: 'Cache kind, connectivity and hit rate since start (admin)',
        ...securedRoute,
        response: { 200: CacheStatsResponse, 401: err, 403: err, 429: err },
      },
    },
    async () => {
      const s = cache.stats();
      return {
        kind: s.kind,
        connected: await cache.ping(),
        hits: s.hits,
        misses: s.misses,
        sets: s.sets,
        deletes: s.deletes,
        errors: s.errors,
        hit_rate: s.hitRate,
        last_error: s.lastError,
        version: 'v1' as const,
      };
    },
  );
}

export default fp(cachePlugin, { name: 'sharpline-cache', dependencies: ['sharpline-auth-guard'] });
