// State shared by the instances of the service: the response cache, the auth cache (signed-
// out sessions) and rate-limit counters — in Redis when REDIS_URL is set, in process
// otherwise. One Redis client per process: the runtime opens it and passes it in; an app
// built without one (tests) opens and closes its own.
import type { Config } from '../config.js';
import type { HealthProbe } from '../modules/health/routes.js';
import { createMemoryCache, createRedisCache, type Cache } from './cache/cache.js';
import type { Clock } from './clock.js';
import { createMemoryCounter, createRedisCounter, withFallback, type WindowCounter } from './rate-limit/counter.js';
import { closeRedis, createRedis, type RedisClient } from './redis.js';

export const CACHE_PREFIX = 'sharpline:cache:';
export const AUTH_CACHE_PREFIX = 'sharpline:auth:';
export const RATE_LIMIT_PREFIX = 'sharpline:rl:';

/** The response cache every module reads through and importers invalidate. */
export function createResponseCache(config: Pick<Config, 'cacheMaxEntries'>, clock: Clock, redis: RedisClient | null): Cache {
  return redis ? createRedisCache({ redis, prefix: CACHE_PREFIX }) : createMemoryCache({ maxEntries: config.cacheMaxEntries, clock });
}

export interface SharedState {
  redis: RedisClient | null;
  cache: Cache;
  authCache: Cache;
  counter: WindowCounter;
  healthProbes: HealthProbe[];
  /** Report Redis trouble (the app passes a throttled logger). */
  onRedisError(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

export async function openSharedState(opts: {
  config: Pick<Config, 'redisUrl' | 'cacheMaxEntries'>;
  clock: Clock;
  /** The process's client (runtime); undefined → open one from config.redisUrl. */
  redis?: RedisClient | null;
  cache?: Cache;
}): Promise<SharedState> {
  const listeners: ((err: Error) => void)[] = [];
  const report = (err: Error) => {
    for (const l of listeners) l(err);
  };
  const owned = opts.redis === undefined && opts.config.redisUrl !== null;
  const redis = opts.redis !== undefined ? opts.redis : opts.config.redisUrl ? await createRedis(opts.config.redisUrl, { onError: report }) : null;
  const cache = opts.cache ?? createResponseCache(opts.config, opts.clock, redis);
  const authCache = redis ? createRedisCache({ redis, prefix: AUTH_CACHE_PREFIX }) : createMemoryCache({ maxEntries: 100_000, clock: opts.clock });
  for (const c of [cache, authCache]) c.onError((_op, err) => report(err));
  const counter = redis ? withFallback(createRedisCounter(redis, RATE_LIMIT_PREFIX), createMemoryCounter(), report) : createMemoryCounter();
  const healthProbes: HealthProbe[] = cache.kind === 'redis' ? [{ name: 'cache', required: false, check: () => cache.ping() }] : [];
  return {
    redis,
    cache,
    authCache,
    counter,
    healthProbes,
    onRedisError: (l) => listeners.push(l),
    async close() {
      // A client passed in belongs to the runtime, which closes it after the app.
      if (redis && owned) await closeRedis(redis);
    },
  };
}
