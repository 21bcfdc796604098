import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authGuardPlugin } from '../../src/platform/auth/guard.js';
import cachePlugin from '../../src/platform/cache/plugin.js';
import { ErrorBody, UnauthorizedError } from '../../src/platform/errors.js';
import { matches } from '../../src/db/schema/index.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { createMemoryCache, createRedisCache, globToRegExp, type Cache } from '../../src/platform/cache/cache.js';
import { CACHE_TTL_SECONDS, cacheKeys, invalidateAfterImport, invalidationPatterns } from '../../src/platform/cache/keys.js';
import { cachedRead } from '../../src/platform/cache/read.js';
import { fixedClock } from '../../src/platform/clock.js';
import { closeRedis, createRedis, type RedisClient } from '../../src/platform/redis.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { expectErrorShape, signUp, signUpAdmin } from '../auth/helpers.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe('key scheme (seed 001) and invalidation patterns', () => {
  it('builds the seed keys and keeps glob syntax out of ids', () => {
    expect(cacheKeys.prediction('tier1', 123, 456)).toBe('pred:tier1:123:456');
    expect(cacheKeys.matchPrediction('tier2', 456)).toBe('pred_match:tier2:456');
    expect(cacheKeys.features(123, '2024-11-15')).toBe('features:123:2024-11-15');
    expect(cacheKeys.modelMetadata('ensemble')).toBe('model:ensemble:metadata');
    expect(cacheKeys.entity('match', '1*:x', 'detail')).toBe('match:1__x:detail:_');
    expect(cacheKeys.list('matches', { b: 2, a: 1, c: undefined })).toBe(cacheKeys.list('matches', { a: 1, b: 2 }));
    expect(cacheKeys.list('matches', { a: 1 })).not.toBe(cacheKeys.list('matches', { a: 2 }));
    expect(CACHE_TTL_SECONDS).toMatchObject({ prediction: 300, features: 3600, modelMetadata: 86_400 });
  });

  it('derives what a data change invalidates', () => {
    expect(invalidationPatterns({})).toEqual([]);
    expect(invalidationPatterns({ matchIds: [456], playerIds: [123] }).sort()).toEqual(
      ['features:123:*', 'list:*', 'match:456:*', 'player:123:*', 'pred:*:*:456', 'pred:*:123:*', 'pred_match:*:456'].sort(),
    );
  });

  it('matches globs exactly as Redis does', () => {
    const cases: [string, string, boolean][] = [
      ['pred_match:*:456', 'pred_match:tier1:456', true],
      ['pred_match:*:456', 'pred_match:tier1:4567', false],
      ['pred:tier?:1:2', 'pred:tier2:1:2', true],
      ['pred:tier[12]:1:2', 'pred:tier3:1:2', false],
      ['pred:tier[^3]:1:2', 'pred:tier1:1:2', true],
      ['a.b', 'axb', false],
      ['lit\\*', 'lit*', true],
      ['lit\\*', 'litx', false],
      ['(x)+', '(x)+', true],
    ];
    for (const [glob, key, expected] of cases) expect(globToRegExp(glob).test(key), `${glob} ~ ${key}`).toBe(expected);
  });
});

/** The same behaviour, whichever store is underneath. */
function cacheContract(name: string, make: () => Promise<{ cache: Cache; expire?: (seconds: number) => void; done: () => Promise<void> }>) {
  describe(`${name} cache`, () => {
    let c: Awaited<ReturnType<typeof make>>;
    beforeAll(async () => {
      c = await make();
    });
    afterAll(async () => {
      await c.done();
    });

    it('misses, stores JSON, hits, and counts both', async () => {
      const before = c.cache.stats();
      expect(await c.cache.get('match:1:detail:_')).toBeUndefined();
      await c.cache.set('match:1:detail:_', { id: 1, at: new Date('2024-01-01T00:00:00Z'), tags: ['a'] }, 60);
      expect(await c.cache.get('match:1:detail:_')).toEqual({ id: 1, at: '2024-01-01T00:00:00.000Z', tags: ['a'] });
      const after = c.cache.stats();
      expect(after.hits - before.hits).toBe(1);
      expect(after.misses - before.misses).toBe(1);
      expect(after.hitRate).toBeGreaterThan(0);
      expect(await c.cache.has('match:1:detail:_')).toBe(true);
    });

    it('deletes by key and by pattern, touching nothing else', async () => {
      for (const k of ['pred:tier1:123:456', 'pred:tier2:123:456', 'pred_match:tier1:456', 'pred_match:tier1:4567', 'model:tier1:metadata']) await c.cache.set(k, 1, 60);
      expect(await c.cache.del(['pred:tier1:123:456', 'no-such-key'])).toBe(1);
      expect(await c.cache.delPattern('pred_match:*:456')).toBe(1);
      expect(await c.cache.get('pred:tier1:123:456')).toBeUndefined();
      expect(await c.cache.get('pred_match:tier1:456')).toBeUndefined();
      for (const k of ['pred:tier2:123:456', 'pred_match:tier1:4567', 'model:tier1:metadata']) expect(await c.cache.get(k), k).toBe(1);
    });

    it.runIf(name === 'in-process')('expires entries on the injected clock', async () => {
      await c.cache.set('features:1:2024-01-01', { x: 1 }, 3600);
      c.expire?.(3599);
      expect(await c.cache.get('features:1:2024-01-01')).toEqual({ x: 1 });
      c.expire?.(2);
      expect(await c.cache.get('features:1:2024-01-01')).toBeUndefined();
    });

    it('reads through: one load for concurrent misses, then hits; null answers are not cached', async () => {
      let loads = 0;
      const load = async () => {
        loads += 1;
        await new Promise((r) => setTimeout(r, 20));
        return { answer: 42 };
      };
      const key = `list:matches:${randomBytes(4).toString('hex')}`;
      const results = await Promise.all([1, 2, 3].map(() => cachedRead(c.cache, key, 60, load)));
      expect(loads).toBe(1);
      expect(results.every((r) => r.value.answer === 42 && !r.cached)).toBe(true);
      expect(await cachedRead(c.cache, key, 60, load)).toEqual({ value: { answer: 42 }, cached: true });
      const nothing = `match:404:detail:${randomBytes(4).toString('hex')}`;
      await cachedRead(c.cache, nothing, 60, async () => null);
      expect(await c.cache.has(nothing)).toBe(false);
    });

    it('stores encoded responses under the same keys: same invalidation, no resurrection by a late variant', async () => {
      const key = `list:teams:${randomBytes(4).toString('hex')}`;
      const body = Buffer.from('{"items":[]}');
      await c.cache.setResponse(key, { etag: 'W/"abc"', contentType: 'application/json; charset=utf-8', body }, 60);
      const got = await c.cache.getResponse(key);
      expect(got?.etag).toBe('W/"abc"');
      expect(got?.body.equals(body)).toBe(true);
      expect(got?.gzip).toBeUndefined();
      await c.cache.setResponse(key, { ...got!, gzip: Buffer.from([1, 2, 3]) }, 60, { keepTtl: true });
      expect(Array.from((await c.cache.getResponse(key))!.gzip!)).toEqual([1, 2, 3]);
      // A JSON read of a response key is a miss, not a crash.
      expect(await c.cache.get(key)).toBeUndefined();
      expect(await c.cache.delPattern('list:*')).toBeGreaterThanOrEqual(1);
      expect(await c.cache.getResponse(key)).toBeUndefined();
      // A compressed variant finished after the entry was invalidated must not bring it back.
      await c.cache.setResponse(key, { ...got!, br: Buffer.from([9]) }, 60, { keepTtl: true });
      expect(await c.cache.has(key)).toBe(false);
    });
  });
}

cacheContract('in-process', async () => {
  const clock = fixedClock('2024-01-01T00:00:00Z');
  return {
    cache: createMemoryCache({ maxEntries: 100, clock }),
    expire: (s) => clock.set(new Date(clock.now().getTime() + s * 1000)),
    done: async () => undefined,
  };
});

let redis: RedisClient | null = null;
if (redisUrl) {
  cacheContract('Redis', async () => {
    redis = await createRedis(redisUrl);
    // A namespace of its own: other test runs may share this Redis.
    return { cache: createRedisCache({ redis, prefix: `test:${randomBytes(6).toString('hex')}:` }), done: () => closeRedis(redis!) };
  });
}

describe('reply.cached (for read endpoints)', () => {
  it('answers MISS then HIT with the stored value, and loads again after invalidation', async () => {
    const app = Fastify({ logger: false });
    app.addSchema(ErrorBody);
    const nobody = async () => {
      throw new UnauthorizedError('no credentials in this test');
    };
    await app.register(authGuardPlugin, { verifier: { accessToken: nobody, apiKey: nobody, isActiveAdmin: async () => false } });
    await app.register(cachePlugin, { cache: createMemoryCache({ maxEntries: 10, clock: fixedClock('2024-01-01T00:00:00Z') }) });
    let loads = 0;
    app.get('/things/:id', async (req, reply) => {
      const { id } = req.params as { id: string };
      return reply.cached(cacheKeys.entity('thing', id, 'detail'), CACHE_TTL_SECONDS.entity, async () => ({ id, load: ++loads }));
    });
    try {
      const first = await app.inject({ method: 'GET', url: '/things/7' });
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await app.inject({ method: 'GET', url: '/things/7' });
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.json()).toEqual({ id: '7', load: 1, version: 'v1' });
      expect((await app.inject({ method: 'GET', url: '/things/8' })).json()).toEqual({ id: '8', load: 2, version: 'v1' });
      await app.cache.delPattern('thing:7:*');
      const third = await app.inject({ method: 'GET', url: '/things/7' });
      expect(third.headers['x-cache']).toBe('MISS');
      expect(third.json()).toEqual({ id: '7', load: 3, version: 'v1' });
    } finally {
      await app.close();
    }
  });
});

describe('encoded responses: ETag, 304 and compressed variants', () => {
  const stores: [string, () => Promise<{ cache: Cache; done: () => Promise<void> }>][] = [
    ['in-process', async () => ({ cache: createMemoryCache({ maxEntries: 100, clock: fixedClock('2024-01-01T00:00:00Z') }), done: async () => undefined })],
  ];
  if (redisUrl) {
    stores.push([
      'Redis',
      async () => {
        const r = await createRedis(redisUrl);
        return { cache: createRedisCache({ redis: r, prefix: `test:${randomBytes(6).toString('hex')}:` }), done: () => closeRedis(r) };
      },
    ]);
  }
  for (const [name, make] of stores) {
    it(`serialises once through the response schema and writes the stored bytes on a hit (${name})`, async () => {
      const { cache, done } = await make();
      const app = Fastify({ logger: false });
      app.addSchema(ErrorBody);
      const nobody = async () => {
        throw new UnauthorizedError('no credentials in this test');
      };
      await app.register(authGuardPlugin, { verifier: { accessToken: nobody, apiKey: nobody, isActiveAdmin: async () => false } });
      await app.register(cachePlugin, { cache });
      let loads = 0;
      const Item = { type: 'object', properties: { id: { type: 'integer' }, text: { type: 'string' } } };
      app.get(
        '/big',
        { schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: Item }, version: { type: 'string' } } } } } },
        async (_req, reply) =>
          reply.cached(cacheKeys.list('big'), 60, async () => {
            loads += 1;
            // `secret` is not in the response schema: it must never reach the stored bytes.
            return { items: Array.from({ length: 200 }, (_, i) => ({ id: i, text: `row ${i} of the list`, secret: 'x' })) };
          }),
      );
      try {
        const first = await app.inject({ method: 'GET', url: '/big' });
        expect(first.statusCode).toBe(200);
        expect(first.headers['x-cache']).toBe('MISS');
        expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
        const etag = first.headers.etag as string;
        expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
        const plain = first.json() as { items: Record<string, unknown>[]; version: string };
        expect(plain.items).toHaveLength(200);
        expect(plain.items[5]).toEqual({ id: 5, text: 'row 5 of the list' });
        expect(plain.version).toBe('v1');

        const again = await app.inject({ method: 'GET', url: '/big' });
        expect(again.headers['x-cache']).toBe('HIT');
        expect(again.headers.etag).toBe(etag);
        expect(again.rawPayload.equals(first.rawPayload)).toBe(true);

        for (const enc of ['gzip', 'br'] as const) {
          const res = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': enc } });
          expect(res.headers['content-encoding']).toBe(enc);
          expect(res.headers.vary).toMatch(/accept-encoding/i);
          expect(res.headers.etag).toBe(etag);
          const decoded = enc === 'gzip' ? gunzipSync(res.rawPayload) : brotliDecompressSync(res.rawPayload);
          expect(decoded.equals(first.rawPayload)).toBe(true);
          expect(res.rawPayload.length).toBeLessThan(first.rawPayload.length / 3);
        }
        // The variants were stored with the entry: the next compressed hit is the same bytes.
        const stored = await cache.getResponse(cacheKeys.list('big'));
        expect(stored?.gzip && stored.br).toBeTruthy();

        const revalidated = await app.inject({ method: 'GET', url: '/big', headers: { 'if-none-match': `"other", ${etag}` } });
        expect(revalidated.statusCode).toBe(304);
        expect(revalidated.rawPayload.length).toBe(0);
        expect((await app.inject({ method: 'GET', url: '/big', headers: { 'if-none-match': 'W/"stale"' } })).statusCode).toBe(200);
        expect(loads).toBe(1);

        // Invalidation drops the entry with its variants; the next answer is loaded and re-tagged.
        await cache.delPattern('list:*');
        const fresh = await app.inject({ method: 'GET', url: '/big', headers: { 'accept-encoding': 'gzip' } });
        expect(fresh.headers['x-cache']).toBe('MISS');
        expect(loads).toBe(2);
        expect(gunzipSync(fresh.rawPayload).equals(first.rawPayload)).toBe(true);
      } finally {
        await app.close();
        await done();
      }
    });
  }
});

describe('invalidation after an import', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'sharpline-cache-'));
  const fixture = readFileSync(fileURLToPath(new URL('../fixtures/nba/games.csv', import.meta.url)), 'utf8').split('\n');
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops what showed a changed match, and keeps what did not', async () => {
    const first = join(dir, 'games-a.csv');
    writeFileSync(first, [fixture[0], fixture[1], fixture[2]].join('\n') + '\n');
    const onCommitted = async (change: Parameters<typeof invalidateAfterImport>[1]) => void (await invalidateAfterImport(t.app.cache, change));
    await importFiles(t.database, 'nba-games', [first], { clock: t.clock, onCommitted });
    const rows = await t.database.db.select({ id: matches.id, away: matches.awayScore }).from(matches).orderBy(matches.id);
    expect(rows).toHaveLength(2);
    const [changed, untouched] = [rows[0]!, rows[1]!];

    const keys = {
      changed: cacheKeys.entity('match', changed.id, 'detail'),
      untouched: cacheKeys.entity('match', untouched.id, 'detail'),
      prediction: cacheKeys.matchPrediction('tier1', changed.id),
      list: cacheKeys.list('matches', { page: 1 }),
      model: cacheKeys.modelMetadata('tier1'),
    };
    for (const k of Object.values(keys)) await t.app.cache.set(k, { cached: true }, 600);

    // the same game, now with a corrected score: 98 instead of 97 for the away side
    const second = join(dir, 'games-b.csv');
    writeFileSync(second, [fixture[0], fixture[1]!.replace(',97,106,', ',98,106,')].join('\n') + '\n');
    await importFiles(t.database, 'nba-games', [second], { clock: t.clock, onCommitted });

    expect(await t.app.cache.has(keys.changed)).toBe(false);
    expect(await t.app.cache.has(keys.prediction)).toBe(false);
    expect(await t.app.cache.has(keys.list)).toBe(false);
    expect(await t.app.cache.has(keys.untouched)).toBe(true);
    expect(await t.app.cache.has(keys.model)).toBe(true);
  });
});

describe('POST /cache/invalidate (seed 001)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is for admins only, on both paths', async () => {
    const user = await signUp(t);
    for (const url of ['/cache/invalidate', '/api/v1/cache/invalidate']) {
      const anon = await t.app.inject({ method: 'POST', url, payload: { pattern: '*' } });
      expect(anon.statusCode).toBe(401);
      // refused before the body is even validated
      expect((await t.app.inject({ method: 'POST', url, payload: { nonsense: true } })).statusCode).toBe(401);
      const res = await t.app.inject({ method: 'POST', url, headers: user.bearer, payload: { pattern: '*' } });
      expect(res.statusCode).toBe(403);
      expectErrorShape(res.json(), 'Forbidden');
    }
  });

  it('removes exact keys and a pattern in one call, and reports the counts', async () => {
    const admin = await signUpAdmin(t);
    for (const k of ['pred:tier1:123:456', 'pred_match:tier1:456', 'pred_match:tier2:456', 'pred_match:tier1:457']) await t.app.cache.set(k, 1, 60);
    const res = await t.app.inject({ method: 'POST', url: '/cache/invalidate', headers: admin.bearer, payload: { keys: ['pred:tier1:123:456'], pattern: 'pred_match:*:456' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deleted: 3, keys_deleted: 1, pattern_deleted: 2, version: 'v1' });
    expect(await t.app.cache.has('pred_match:tier1:457')).toBe(true);
    const stats = await t.app.inject({ method: 'GET', url: '/api/v1/cache/stats', headers: admin.bearer });
    expect(stats.json()).toMatchObject({ kind: 'memory', connected: true, deletes: 3, version: 'v1' });
  });

  it('needs keys or a pattern, and bounds them', async () => {
    const admin = await signUpAdmin(t);
    for (const payload of [{}, { keys: [] }, { pattern: '' }, { keys: ['x'.repeat(513)] }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/cache/invalidate', headers: admin.bearer, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expectErrorShape(res.json(), 'ValidationError');
    }
  });
});

describe('when Redis goes away', () => {
  it.runIf(redisUrl)('keeps answering uncached, says so in /health, and recovers without a restart', async () => {
    const target = new URL(redisUrl!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const t = await createTestApp({ config: { redisUrl: `redis://127.0.0.1:${proxy.port}` } });
    const waitFor = async (want: boolean) => {
      // Reconnection is Redis's own pace (a retry every ≤2 s); poll, with a generous ceiling.
      for (let i = 0; i < 100; i++) {
        if ((await t.app.inject({ method: 'GET', url: '/health' })).json().cache_connected === want) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`cache_connected never became ${want}`);
    };
    try {
      const key = `list:test:${randomBytes(4).toString('hex')}`;
      expect(t.app.cache.kind).toBe('redis');
      await t.app.cache.set(key, { v: 1 }, 60);
      expect(await t.app.cache.get(key)).toEqual({ v: 1 });
      expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'healthy', cache_connected: true });

      await proxy.stop();
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'degraded', cache_connected: false, failing: ['cache'] });
      expect(await t.app.cache.get(key)).toBeUndefined(); // a miss, not an error
      // the service still signs people up and in (argon2, tokens, session checks, limits)
      const s = await signUp(t);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(200);
      expect(t.app.cache.stats().errors).toBeGreaterThan(0);

      await proxy.start();
      await waitFor(true);
      expect(await t.app.cache.get(key)).toEqual({ v: 1 });
    } finally {
      await t.close();
      await proxy.stop();
    }
  });

  it('answers with the cache pointed at a port where nothing listens', async () => {
    const t = await createTestApp({ config: { redisUrl: 'redis://127.0.0.1:9' } });
    try {
      const health = await t.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'degraded', database_connected: true, cache_connected: false });
      const s = await signUp(t);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.bearer });
      expect(res.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
