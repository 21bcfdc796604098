// In-process caches kept in step across processes that share a PostgreSQL database but no
// Redis (the API and a separate `sharpline worker`, or several API instances). Every deletion
// (an import's or a training's invalidation, an admin purge) is applied here and published;
// each other process applies it to its own cache. A process that lost the connection cannot
// know what it missed, so when its subscription is made again it drops its whole cache.
// Reads and writes stay local: each process caches what it served.
import { randomUUID } from 'node:crypto';
import type { PubSub } from '../pubsub.js';
import { NOTIFY_MAX_BYTES } from '../pubsub.js';
import type { Cache } from './cache.js';

export const CACHE_CHANNEL = 'sharpline:cache';

interface Deletion {
  /** The publishing cache, which has applied the deletion already (its own pub/sub delivers it back). */
  from: string;
  keys?: string[];
  pattern?: string;
}

/** Wraps `cache` so its deletions reach the same cache in every process listening on `pubsub`. */
export async function broadcastDeletions(cache: Cache, pubsub: PubSub, report: (err: Error) => void): Promise<Cache & { stop(): Promise<void> }> {
  const self = randomUUID();
  const unsubscribe = await pubsub.subscribe(CACHE_CHANNEL, (raw) => {
    let d: Deletion;
    try {
      d = JSON.parse(raw) as Deletion;
    } catch (err) {
      report(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (d.from === self) return;
    if (typeof d.pattern === 'string') void cache.delPattern(d.pattern);
    else if (Array.isArray(d.keys)) void cache.del(d.keys.filter((k): k is string => typeof k === 'string'));
  });
  pubsub.onResubscribed(() => void cache.delPattern('*'));
  const publish = async (d: Omit<Deletion, 'from'>) => {
    let text = JSON.stringify({ from: self, ...d });
    // A key list too long for one notification becomes "drop everything": never a lost deletion.
    if (Buffer.byteLength(text) > NOTIFY_MAX_BYTES) text = JSON.stringify({ from: self, pattern: '*' });
    await pubsub.publish(CACHE_CHANNEL, text);
  };
  return {
    kind: cache.kind,
    get: (key) => cache.get(key),
    set: (key, value, ttl) => cache.set(key, value, ttl),
    getResponse: (key) => cache.getResponse(key),
    setResponse: (key, value, ttl, o) => cache.setResponse(key, value, ttl, o),
    has: (key) => cache.has(key),
    stats: () => cache.stats(),
    ping: () => cache.ping(),
    onError: (l) => cache.onError(l),
    async del(keys) {
      const n = await cache.del(keys);
      if (keys.length > 0) await publish({ keys });
      return n;
    },
    async delPattern(pattern) {
      const n = await cache.delPattern(pattern);
      await publish({ pattern });
      return n;
    },
    stop: unsubscribe,
  };
}
