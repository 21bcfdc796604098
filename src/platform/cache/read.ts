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

/** Run `load` once for concurrent callers of one key on one cache; later callers share its result. */
export async function sharedLoad<T>(cache: Cache, key: string, load: () => Promise<T>): Promise<T> {
  let pending = inFlight.get(cache);
  if (!pending) {
    pending = new Map();
    inFlight.set(cache, pending);
  }
  const shared = pending.get(key) as Promise<T> | undefined;
  if (shared) return shared;
  const loading = load();
  pending.set(key, loading);
  try {
    return await loading;
  } finally {
    pending.delete(key);
  }
}

export async function cachedRead<T>(cache: Cache, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<CachedValue<T>> {
  const hit = await cache.get<T>(key);
  if (hit !== undefined) return { value: hit, cached: true };
  const value = await sharedLoad(cache, key, async () => {
    const loaded = await load();
    // null/undefined answers ("not there yet") are not cached: the next import may add them.
    if (loaded !== undefined && loaded !== null) await cache.set(key, loaded, ttlSeconds);
    return loaded;
  });
  return { value, cached: false };
}
