// Fan-out of messages between app instances. With REDIS_URL set, messages go through Redis
// pub/sub so a write on one instance reaches sockets held by another; without it, an
// in-process EventEmitter does the same for a single instance. Redis needs a dedicated
// connection for subscribing (a subscribed connection cannot run other commands), so this
// opens its own pair rather than borrowing the shared cache client.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export type PubSubHandler = (message: string) => void;

export interface PubSub {
  readonly kind: 'redis' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: PubSubHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createMemoryPubSub(): PubSub {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    kind: 'memory',
    async publish(channel, message) {
      // Delivered on a later turn of the event loop, as Redis would: the publisher (an HTTP
      // request) answers before subscribers do their work (e.g. fan-out to 1,000 sockets).
      setImmediate(() => bus.emit(channel, message));
    },
    async subscribe(channel, handler) {
      bus.on(channel, handler);
      return async () => {
        bus.off(channel, handler);
      };
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}

export async function createRedisPubSub(url: string, onError: (err: Error) => void): Promise<PubSub> {
  const opts = { connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(n * 200, 2_000) };
  // Publishing fails fast while Redis is away (no offline queue), and the message is then
  // delivered to this instance's subscribers directly: the service keeps working on one
  // instance; other instances catch up from the stored message log when they next hear.
  const pub = new Redis(url, { ...opts, lazyConnect: true, enableOfflineQueue: false });
  const sub = new Redis(url, { ...opts, lazyConnect: true });
  pub.on('error', onError);
  sub.on('error', onError);
  const handlers = new Map<string, Set<PubSubHandler>>();
  const deliverLocally = (channel: string, message: string) => {
    for (const h of handlers.get(channel) ?? []) h(message);
  };
  sub.on('message', deliverLocally);
  // A subscription attempted while Redis was down is made again whenever it comes back.
  sub.on('ready', () => {
    const channels = [...handlers.keys()];
    if (channels.length > 0) sub.subscribe(...channels).catch(onError);
  });
  await Promise.all([pub.connect().catch(onError), sub.connect().catch(onError)]);
  return {
    kind: 'redis',
    async publish(channel, message) {
      try {
        await pub.publish(channel, message);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
        deliverLocally(channel, message);
      }
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        if (sub.status === 'ready') await sub.subscribe(channel).catch(onError);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          if (sub.status === 'ready') await sub.unsubscribe(channel).catch(onError);
        }
      };
    },
    async close() {
      handlers.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** Redis when a URL is configured, in-process otherwise. */
export async function createPubSub(redisUrl: string | null, onError: (err: Error) => void): Promise<PubSub> {
  return redisUrl ? createRedisPubSub(redisUrl, onError) : createMemoryPubSub();
}
