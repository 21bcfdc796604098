// One cache interface, two implementations: Redis when configured (shared by every
// instance) and an in-process LRU otherwise. Values are JSON, so both behave alike (a Date
// comes back as a string). Encoded HTTP responses (StoredResponse: the serialised body, its
// ETag and compressed variants) are stored as bytes beside them, under the same keys, so the
// same invalidation drops both. A failing Redis never fails a request: reads miss, writes are
// dropped, and the error is counted and reported to listeners (the app logs them).
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { RedisClient } from '../redis.js';
import { pingRedis } from '../redis.js';

export interface CacheStats {
  kind: 'memory' | 'redis';
  hits: number;
  misses: number;
  sets: number;
  deletes: number;
  errors: number;
  /** hits / (hits + misses) since start; 0 before the first read. */
  hitRate: number;
  lastError: string | null;
}

/** A response as sent: what a cache hit writes without serialising or compressing again. */
export interface StoredResponse {
  /** Strong validator, quoted (RFC 9110), e.g. "\"3q2-…\"". */
  etag: string;
  contentType: string;
  body: Buffer;
  /** The body compressed, added on the first request that accepts the encoding. */
  br?: Buffer;
  gzip?: Buffer;
}

const VARIANTS = ['body', 'br', 'gzip'] as const;

/** StoredResponse → bytes for Redis: one JSON header line (etag, type, part lengths), then the parts. */
export function packResponse(r: StoredResponse): Buffer {
  const parts = VARIANTS.map((v) => r[v]).filter((b): b is Buffer => b !== undefined);
  const header = JSON.stringify({ e: r.etag, t: r.contentType, l: VARIANTS.map((v) => r[v]?.length ?? -1) });
  return Buffer.concat([Buffer.from(`${header}\n`), ...parts]);
}

/** The inverse of packResponse; undefined for bytes that are not a packed response. */
export function unpackResponse(buf: Buffer): StoredResponse | undefined {
  const nl = buf.indexOf(10);
  if (nl < 0) return undefined;
  let header: { e?: unknown; t?: unknown; l?: unknown };
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as typeof header;
  } catch {
    return undefined;
  }
  const { e, t, l } = header;
  if (typeof e !== 'string' || typeof t !== 'string' || !Array.isArray(l) || l.length !== VARIANTS.length) return undefined;
  const out: StoredResponse = { etag: e, contentType: t, body: Buffer.alloc(0) };
  let at = nl + 1;
  for (let i = 0; i < VARIANTS.length; i++) {
    const n = l[i] as number;
    if (!Number.isInteger(n) || n < -1) return undefined;
    if (n === -1) continue;
    if (at + n > buf.length) return undefined;
    out[VARIANTS[i]!] = buf.subarray(at, at + n);
    at += n;
  }
  return at === buf.length ? out : undefined;
}

export type CacheErrorListener = (op: string, err: Error) => void;

export interface Cache {
  readonly kind: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  /** Store a JSON-serialisable value for ttlSeconds (> 0). */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** An encoded response stored by setResponse (counted as a hit or miss like get). */
  getResponse(key: string): Promise<StoredResponse | undefined>;
  /** Store an encoded response for ttlSeconds (> 0); keepTtl replaces it without extending its life. */
  setResponse(key: string, value: StoredResponse, ttlSeconds: number, opts?: { keepTtl?: boolean }): Promise<void>;
  /** Whether a key is present, without counting a hit or miss. */
  has(key: string): Promise<boolean>;
  del(keys: string[]): Promise<number>;
  /** Delete every key matching a Redis-style glob (`*`, `?`, `[abc]`, `\\` escapes). */
  delPattern(pattern: string): Promise<number>;
  stats(): CacheStats;
  /** Whether the backing store answers (always true in memory). */
  ping(): Promise<boolean>;
  onError(listener: CacheErrorListener): void;
}

/** Redis glob → anchored RegExp, so the in-process cache matches exactly what SCAN would. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) out += escapeRe(glob[++i]!);
    else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function counters(kind: 'memory' | 'redis') {
  const s = { kind, hits: 0, misses: 0, sets: 0, deletes: 0, errors: 0, lastError: null as string | null };
  return {
    s,
    snapshot: (): CacheStats => ({ ...s, hitRate: s.hits + s.misses === 0 ? 0 : s.hits / (s.hits + s.misses) }),
  };
}

export interface MemoryCacheOptions {
  maxEntries: number;
  clock: Clock;
}

export function createMemoryCache(opts: MemoryCacheOptions): Cache {
  // JSON values are kept as text (a hit hands out a fresh copy, as Redis would); encoded
  // responses as they are: their buffers are never written to after they are stored.
  const lru = new LRUCache<string, { json?: string; response?: StoredResponse; expiresAt: number }>({ max: opts.maxEntries });
  const { s, snapshot } = counters('memory');
  const now = () => opts.clock.now().getTime();
  const live = (key: string) => {
    const e = lru.get(key);
    if (e && e.expiresAt <= now()) {
      lru.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    kind: 'memory',
    async get<T>(key: string) {
      const e = live(key);
      if (e?.json === undefined) {
        s.misses++;
        return undefined;
      }
      s.hits++;
      return JSON.parse(e.json) as T;
    },
    async set(key, value, ttlSeconds) {
      if (!(ttlSeconds > 0) || value === undefined) return;
      lru.set(key, { json: JSON.stringify(value), expiresAt: now() + ttlSeconds * 1000 });
      s.sets++;
    },
    async getResponse(key) {
      const e = live(key);
      if (e?.response === undefined) {
        s.misses++;
        return undefined;
      }
      s.hits++;
      return e.response;
    },
    async setResponse(key, value, ttlSeconds, o) {
      if (!(ttlSeconds > 0)) return;
      const old = o?.keepTtl ? live(key) : undefined;
      if (o?.keepTtl && !old) return; // dropped meanwhile (an invalidation): do not bring it back
      lru.set(key, { response: value, expiresAt: old?.expiresAt ?? now() + ttlSeconds * 1000 });
      s.sets++;
    },
    async has(key) {
      return live(key) !== undefined;
    },
    async del(keys) {
      let n = 0;
      for (const k of keys) if (lru.delete(k)) n++;
      s.deletes += n;
      return n;
    },
    async delPattern(pattern) {
      const re = globToRegExp(pattern);
      const doomed = [...lru.keys()].filter((k) => re.test(k));
      for (const k of doomed) lru.delete(k);
      s.deletes += doomed.length;
      return doomed.length;
    },
    stats: snapshot,
    ping: async () => true,
    onError: () => undefined,
  };
}

export interface RedisCacheOptions {
  redis: RedisClient;
  /** Namespace inside Redis; the cache never touches keys outside it. */
  prefix: string;
}

export function createRedisCache(opts: RedisCacheOptions): Cache {
  const { redis, prefix } = opts;
  const { s, snapshot } = counters('redis');
  const listeners: CacheErrorListener[] = [];
  const failed = (op: string, err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    s.errors++;
    s.lastError = `${op}: ${e.message}`;
    for (const l of listeners) l(op, e);
  };
  return {
    kind: 'redis',
    async get<T>(key: string) {
      try {
        const raw = await redis.get(prefix + key);
        if (raw === null) {
          s.misses++;
          return undefined;
        }
        s.hits++;
        return JSON.parse(raw) as T;
      } catch (err) {
        failed('get', err);
        s.misses++;
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      if (!(ttlSeconds > 0) || value === undefined) return;
      try {
        await redis.set(prefix + key, JSON.stringify(value), 'PX', Math.round(ttlSeconds * 1000));
        s.sets++;
      } catch (err) {
        failed('set', err);
      }
    },
    async getResponse(key) {
      try {
        const raw = await redis.getBuffer(prefix + key);
        const value = raw === null ? undefined : unpackResponse(raw);
        if (value === undefined) {
          s.misses++;
          return undefined;
        }
        s.hits++;
        return value;
      } catch (err) {
        failed('getResponse', err);
        s.misses++;
        return undefined;
      }
    },
    async setResponse(key, value, ttlSeconds, o) {
      if (!(ttlSeconds > 0)) return;
      try {
        // XX + KEEPTTL: add a variant only to an entry that is still there, without extending it.
        if (o?.keepTtl) await redis.set(prefix + key, packResponse(value), 'KEEPTTL', 'XX');
        else await redis.set(prefix + key, packResponse(value), 'PX', Math.round(ttlSeconds * 1000));
        s.sets++;
      } catch (err) {
        failed('setResponse', err);
      }
    },
    async has(key) {
      try {
        return (await redis.exists(prefix + key)) === 1;
      } catch (err) {
        failed('has', err);
        return false;
      }
    },
    async del(keys) {
      if (keys.length === 0) return 0;
      try {
        const n = await redis.unlink(...keys.map((k) => prefix + k));
        s.deletes += n;
        return n;
      } catch (err) {
        failed('del', err);
        return 0;
      }
    },
    async delPattern(pattern) {
      let n = 0;
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', prefix + pattern, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) n += await redis.unlink(...keys);
        } while (cursor !== '0');
      } catch (err) {
        failed('delPattern', err);
      }
      s.deletes += n;
      return n;
    },
    stats: snapshot,
    ping: () => pingRedis(redis),
    onError(listener) {
      listeners.push(listener);
    },
  };
}
