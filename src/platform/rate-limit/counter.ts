// Fixed-window hit counters, in process or in Redis. Windows are aligned to the injected
// clock (window start = floor(now / window) * window), so every instance sharing a Redis
// counts into the same window and reports the same reset instant, and tests move time
// instead of sleeping. The price of fixed windows — up to twice the limit across a
// boundary — is bounded by the short burst window that sits alongside the long ones.
import { LRUCache } from 'lru-cache';
import type { RedisClient } from '../redis.js';

export interface WindowCount {
  /** Hits in the current window, including this one for hit(). */
  count: number;
  /** When the current window ends (epoch ms on the injected clock). */
  resetAtMs: number;
}

export interface WindowCounter {
  readonly kind: 'memory' | 'redis';
  hit(key: string, windowMs: number, nowMs: number): Promise<WindowCount>;
  peek(key: string, windowMs: number, nowMs: number): Promise<WindowCount>;
  reset(key: string, windowMs: number, nowMs: number): Promise<void>;
}

function windowOf(key: string, windowMs: number, nowMs: number) {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return { slot: `${key}|${windowMs}|${start}`, resetAtMs: start + windowMs };
}

export function createMemoryCounter(maxKeys = 100_000): WindowCounter {
  // Old windows are never read again (their start is in the key); the LRU bound and a
  // real-time TTL of one window keep memory flat.
  const counts = new LRUCache<string, number>({ max: maxKeys, ttl: 3_600_000, ttlAutopurge: false });
  return {
    kind: 'memory',
    async hit(key, windowMs, nowMs) {
      const { slot, resetAtMs } = windowOf(key, windowMs, nowMs);
      const count = (counts.get(slot) ?? 0) + 1;
      counts.set(slot, count, { ttl: windowMs + 1_000 });
      return { count, resetAtMs };
    },
    async peek(key, windowMs, nowMs) {
      const { slot, resetAtMs } = windowOf(key, windowMs, nowMs);
      return { count: counts.get(slot) ?? 0, resetAtMs };
    },
    async reset(key, windowMs, nowMs) {
      counts.delete(windowOf(key, windowMs, nowMs).slot);
    },
  };
}

// INCR, and set the expiry on the first hit, in one command. The expiry (one window plus
// slack, in real time) only garbage-collects; the window itself comes from the key.
const HIT_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

type CountingRedis = RedisClient & { sharplineHit(key: string, ttlMs: number): Promise<number> };

export function createRedisCounter(redis: RedisClient, prefix = 'sharpline:rl:'): WindowCounter {
  if (!('sharplineHit' in redis)) redis.defineCommand('sharplineHit', { numberOfKeys: 1, lua: HIT_LUA });
  const counting = redis as CountingRedis;
  return {
    kind: 'redis',
    async hit(key, windowMs, nowMs) {
      const { slot, resetAtMs } = windowOf(key, windowMs, nowMs);
      const count = await counting.sharplineHit(prefix + slot, windowMs + 1_000);
      return { count: Number(count), resetAtMs };
    },
    async peek(key, windowMs, nowMs) {
      const { slot, resetAtMs } = windowOf(key, windowMs, nowMs);
      const raw = await redis.get(prefix + slot);
      return { count: raw === null ? 0 : Number(raw), resetAtMs };
    },
    async reset(key, windowMs, nowMs) {
      await redis.del(prefix + windowOf(key, windowMs, nowMs).slot);
    },
  };
}

/**
 * Redis first; while Redis fails, count in process so limits still hold per instance
 * (instead of failing open or failing every request).
 */
export function withFallback(primary: WindowCounter, fallback: WindowCounter, onError: (err: Error) => void): WindowCounter {
  const guard =
    <A extends unknown[], R>(op: (c: WindowCounter) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await op(primary)(...args);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
        return op(fallback)(...args);
      }
    };
  return {
    kind: primary.kind,
    hit: guard((c) => c.hit),
    peek: guard((c) => c.peek),
    reset: guard((c) => c.reset),
  };
}
