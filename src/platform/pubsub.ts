// Fan-out of messages between app instances (and between the API and a separate worker).
// With REDIS_URL set, messages go through Redis pub/sub; on PostgreSQL without Redis, through
// the database's own LISTEN/NOTIFY; on embedded PGlite (one process) an in-process
// EventEmitter does the same. Redis needs a dedicated connection for subscribing (a
// subscribed connection cannot run other commands), so this opens its own pair rather than
// borrowing the shared cache client; PostgreSQL uses one dedicated connection for both.
// A transport that lost its connection cannot replay what it missed: subscribers that need to
// know register onResubscribed (live viewers catch up from the message log anyway; the
// in-process cache drops everything).
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import pg from 'pg';

export type PubSubHandler = (message: string) => void;

export interface PubSub {
  readonly kind: 'redis' | 'postgres' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, handler: PubSubHandler): Promise<() => Promise<void>>;
  /** Called each time the subscriptions are made again after a lost connection (messages may have been missed). */
  onResubscribed(listener: () => void): void;
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
    onResubscribed: () => undefined,
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
  const resubscribed: (() => void)[] = [];
  let readyBefore = false;
  // A subscription attempted while Redis was down is made again whenever it comes back.
  sub.on('ready', () => {
    const channels = [...handlers.keys()];
    if (channels.length > 0) sub.subscribe(...channels).catch(onError);
    if (readyBefore) for (const l of resubscribed) l();
    readyBefore = true;
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
    onResubscribed: (l) => resubscribed.push(l),
    async close() {
      handlers.clear();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; live messages are a few hundred. */
export const NOTIFY_MAX_BYTES = 7_999;
/** Bytes of each NOTIFY payload taken by the sender's id. */
const SENDER_ID_BYTES = 36;

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/**
 * LISTEN/NOTIFY on one dedicated connection (`application_name` sharpline-pubsub), reconnected
 * every `retryMs` while the server is away. Channel names are hashed into identifiers
 * (PostgreSQL truncates names past 63 bytes). This process's own subscribers get a message on
 * the next turn of the event loop, as with the in-process bus, without the round trip; the
 * others through the notification (each payload starts with the sender's id, so a process
 * skips its own). A failed NOTIFY (connection down, payload too large) is reported; the other
 * processes miss that message. `publish` does not wait for the NOTIFY.
 */
export async function createPostgresPubSub(url: string, onError: (err: Error) => void, opts: { retryMs?: number } = {}): Promise<PubSub> {
  const retryMs = opts.retryMs ?? 1_000;
  const self = randomUUID();
  const handlers = new Map<string, Set<PubSubHandler>>();
  const channelOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const resubscribed: (() => void)[] = [];
  /** The channel's LISTEN/NOTIFY name (a hash: names past 63 bytes would be truncated). */
  const pgName = (channel: string) => {
    let name = nameOf.get(channel);
    if (name === undefined) {
      name = `sl_${createHash('sha256').update(channel).digest('hex').slice(0, 40)}`;
      nameOf.set(channel, name);
      channelOf.set(name, channel);
    }
    return name;
  };
  const deliverLocally = (channel: string, message: string) => {
    for (const h of [...(handlers.get(channel) ?? [])]) h(message);
  };
  let client: pg.Client | null = null;
  // One statement at a time on the connection (pg no longer queues overlapping queries for us).
  let tail: Promise<unknown> = Promise.resolve();
  const run = (c: pg.Client, text: string, values?: unknown[]) => {
    const next = tail.then(() => c.query(text, values));
    tail = next.catch(() => undefined);
    return next;
  };
  let connecting: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let connectedBefore = false;
  let closed = false;

  function lost(c: pg.Client) {
    if (client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    schedule();
  }
  function schedule() {
    if (closed || retry || connecting) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, retryMs);
    retry.unref();
  }
  async function open() {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'sharpline-pubsub' });
    c.on('notification', (n) => {
      const channel = channelOf.get(n.channel);
      if (channel === undefined || n.payload === undefined || n.payload.startsWith(self)) return;
      deliverLocally(channel, n.payload.slice(SENDER_ID_BYTES));
    });
    c.on('error', (err) => {
      onError(err);
      lost(c);
    });
    c.on('end', () => lost(c));
    await c.connect();
    if (closed) {
      await c.end();
      return;
    }
    client = c;
    for (const channel of handlers.keys()) await run(c, `listen "${pgName(channel)}"`);
    if (connectedBefore) for (const l of resubscribed) l();
    connectedBefore = true;
  }
  function connect(): Promise<void> {
    connecting ??= open()
      .catch((err: unknown) => onError(asError(err)))
      .finally(() => {
        connecting = null;
        if (!client) schedule();
      });
    return connecting;
  }
  await connect();
  return {
    kind: 'postgres',
    async publish(channel, message) {
      setImmediate(() => deliverLocally(channel, message));
      // Not awaited: the publisher (an HTTP request) answers before this process's fan-out
      // runs, as with the in-process bus. The one connection sends NOTIFYs in publish order.
      const c = client;
      const bytes = SENDER_ID_BYTES + Buffer.byteLength(message);
      if (!c) onError(new Error('pub/sub: the PostgreSQL connection is down'));
      else if (bytes > NOTIFY_MAX_BYTES) onError(new Error(`pub/sub: a ${bytes}-byte message is over PostgreSQL's NOTIFY limit`));
      else run(c, 'select pg_notify($1, $2)', [pgName(channel), self + message]).catch((err: unknown) => onError(asError(err)));
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        if (client) await run(client, `listen "${pgName(channel)}"`).catch((err: unknown) => onError(asError(err)));
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          if (client) await run(client, `unlisten "${pgName(channel)}"`).catch((err: unknown) => onError(asError(err)));
        }
      };
    },
    onResubscribed: (l) => resubscribed.push(l),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      handlers.clear();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/** Redis when configured, else PostgreSQL LISTEN/NOTIFY on a PostgreSQL database, else in-process. */
export async function createPubSub(where: { redisUrl: string | null; databaseUrl: string | null }, onError: (err: Error) => void): Promise<PubSub> {
  if (where.redisUrl) return createRedisPubSub(where.redisUrl, onError);
  if (where.databaseUrl) return createPostgresPubSub(where.databaseUrl, onError);
  return createMemoryPubSub();
}
