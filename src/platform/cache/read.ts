// Read-through caching for endpoints and services: look the key up, otherwise load, store
// and return. Concurrent misses for one key in one process share a single load, so a
// cold popular key costs one query, not one per request.
import type { Cache } from './cache.js';

export interface CachedValue<T> {
  value: T;
  /** True when the value came from the cache (seed 001's `cached` field). */
  cached: boolean;
}

const inFlight = new WeakMap<Cache, Map<string, Promise<unknown>>>();

export async function cachedRead<T>(cache: Cache, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<CachedValue<T>> {
  const hit = await cache.get<T>(key);
  if (hit !== undefined) return { value: hit, cached: true };
  let pending = inFlight.get(cache);
  if (!pending) {
    pending = new Map();
    inFlight.set(cache, pending);
  }
  const shared = pending.get(key) as Promise<T> | undefined;
  if (shared) return { value: await shared, cached: false };
  const loading = (async () => {
    const value = await load();
    // null/undefined answers ("not there yet") are not cached: the next import may add them.
    if (value !== undefined && value !== null) await cache.set(key, value, ttlSeconds);
    return value;
  })();
  pending.set(key, loading);
  try {
    return { value: await loading, cached: false };
  } finally {
    pending.delete(key);
  }
}
