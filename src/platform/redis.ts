// The one Redis connection a process uses (cache, rate-limit counters, revoked sessions).
// Redis is an accelerator: commands must fail fast when it is away (no offline queue, short
// timeouts) so callers fall back to answering uncached instead of hanging, and the client
// keeps reconnecting in the background so the service recovers without a restart.
import { Redis } from 'ioredis';

export type RedisClient = Redis;

export interface RedisOptions {
  /** Called on connection errors (throttled by the caller if it logs). */
  onError?: (err: Error) => void;
  /** How long createRedis waits for the first connection before returning anyway. */
  connectWaitMs?: number;
  commandTimeoutMs?: number;
}

/**
 * Connect and wait (briefly) until ready. Returns the client even when Redis is down:
 * it keeps retrying, and every caller treats a failed command as "no cache".
 */
export async function createRedis(url: string, opts: RedisOptions = {}): Promise<RedisClient> {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: opts.commandTimeoutMs ?? 1_000,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on('error', (err: Error) => opts.onError?.(err));
  await waitUntilReady(client, opts.connectWaitMs ?? 2_000);
  return client;
}

/** Resolve when the client is ready or the wait is over, whichever comes first. */
export function waitUntilReady(client: RedisClient, waitMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), waitMs);
    client.once('ready', onReady);
  });
}

export function redisReady(client: RedisClient): boolean {
  return client.status === 'ready';
}

/** PING with a deadline; false when Redis is unreachable (the error went to onError). */
export async function pingRedis(client: RedisClient, timeoutMs = 500): Promise<boolean> {
  if (!redisReady(client)) return false;
  let timer: NodeJS.Timeout | undefined;
  const answered = client.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ok = await Promise.race([answered, deadline]);
  clearTimeout(timer);
  return ok;
}

/** Close politely, or drop the connection if Redis does not answer QUIT. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (!redisReady(client)) {
    client.disconnect(false);
    return;
  }
  await client.quit().then(
    () => undefined,
    () => client.disconnect(false),
  );
}
