// What every entry point (serve, worker, CLI command) starts from: the validated config,
// the migrated database, a job engine that knows every queue, and the process's one Redis
// client and response cache (shared by the API and the job handlers that invalidate it). On
// PostgreSQL without Redis each process has its own in-process cache, and their deletions
// travel over LISTEN/NOTIFY (platform/cache/broadcast.ts), so a worker's import or training
// clears what the API processes cached.
import { join } from 'node:path';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { registerJobs } from './jobs.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createJobEngine, type JobEngine } from './platform/jobs.js';
import { broadcastDeletions } from './platform/cache/broadcast.js';
import type { Cache } from './platform/cache/cache.js';
import { createPostgresPubSub, type PubSub } from './platform/pubsub.js';
import { closeRedis, createRedis, type RedisClient } from './platform/redis.js';
import { createResponseCache } from './platform/shared-state.js';

export interface Runtime {
  config: Config;
  database: Database;
  jobs: JobEngine;
  clock: Clock;
  redis: RedisClient | null;
  cache: Cache;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, clock: Clock = systemClock): Promise<Runtime> {
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
    poolMax: config.dbPoolMax,
  });
  await database.migrate();
  const redis = config.redisUrl
    ? await createRedis(config.redisUrl, {
        onError: throttledStderr(clock, (err) => `[redis] unavailable (${err.message}); serving uncached until it returns`),
      })
    : null;
  let cache: Cache = createResponseCache(config, clock, redis);
  let pubsub: PubSub | null = null;
  let stopBroadcast: (() => Promise<void>) | null = null;
  if (!redis && database.url) {
    const report = throttledStderr(clock, (err) => `[cache] invalidation channel: ${err.message}`);
    pubsub = await createPostgresPubSub(database.url, report);
    const broadcast = await broadcastDeletions(cache, pubsub, report);
    stopBroadcast = broadcast.stop;
    cache = broadcast;
  }
  const jobs = createJobEngine(database, clock);
  registerJobs(jobs, { database, clock, config, cache });
  return {
    config,
    database,
    jobs,
    clock,
    redis,
    cache,
    async close() {
      await jobs.stop();
      await stopBroadcast?.();
      await pubsub?.close();
      await database.close();
      if (redis) await closeRedis(redis);
    },
  };
}

/** Writes at most one line per 30 s: an outage reconnects every second or two and must not flood stderr. */
function throttledStderr(clock: Clock, line: (err: Error) => string): (err: Error) => void {
  let last = -Infinity;
  return (err) => {
    const now = clock.now().getTime();
    if (now - last < 30_000) return;
    last = now;
    process.stderr.write(`${line(err)}\n`);
  };
}
