// Child process for bench/auth-overhead.ts: builds the apps to compare on ephemeral ports
// over one database (demo dataset) and prints their ports and credentials as one JSON line.
//   hello      bare Fastify hello-world (the floor)
//   open       Sharpline with rate limiting off (auth guard only)
//   memory     Sharpline, rate limits in process
//   redis      Sharpline, rate limits (and session deny list) in Redis   [with BENCH_REDIS_URL]
//   reads      GET /matches?page_size=50 through the match service: uncached, cached in
//              process, cached in Redis — the cache helper every module uses
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { ensureAdmin } from '../src/modules/auth/bootstrap.js';
import { createMatchService } from '../src/modules/catalog/matches-service.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { createMemoryCache, createRedisCache } from '../src/platform/cache/cache.js';
import { cachedRead } from '../src/platform/cache/read.js';
import { systemClock } from '../src/platform/clock.js';
import { createJobEngine } from '../src/platform/jobs.js';
import { createRedis } from '../src/platform/redis.js';

const redisUrl = process.env.BENCH_REDIS_URL ?? null;
const dbUrl = process.env.BENCH_DATABASE_URL ?? null;
const clock = systemClock;
const database = await openDatabase({ url: dbUrl, pgliteDir: dbUrl ? undefined : join(mkdtempSync(join(tmpdir(), 'sharpline-bench-auth-')), 'pglite'), poolMax: 10 });
await database.migrate();
await seedDemo({ database, clock }, { seed: 7 });

// Limits far above what the benchmark sends: every request pays for counting, none is refused.
const huge = '1000000/1s,1000000/1m,1000000/1h';
const base = loadConfig({ RATE_LIMIT_API_KEY: huge, RATE_LIMIT_USER: huge, RATE_LIMIT_ANONYMOUS: huge }, { logLevel: 'warn', jwtSecret: 'bench-secret-bench-secret-bench-secret-42' });

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
}

async function sharpline(overrides: Partial<Config>) {
  const app = await buildApp({ config: { ...base, ...overrides }, database, jobs: createJobEngine(database, clock), clock, logger: false });
  return listen(app);
}

const ports: Record<string, number> = {};
const hello = Fastify({ logger: false });
hello.get('/', async () => ({ hello: 'world' }));
ports.hello = await listen(hello);
ports.open = await sharpline({ rateLimit: { ...base.rateLimit, enabled: false } });
ports.memory = await sharpline({});
if (redisUrl) ports.redis = await sharpline({ redisUrl });

// Credentials, made through the public routes of the memory app.
const email = 'bench@example.com';
const password = 'correct horse battery staple';
await ensureAdmin({ db: database.db, clock, config: base }, { email, password });
const api = `http://127.0.0.1:${ports.memory}/api/v1`;
const login = (await (await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as { access_token: string };
const created = (await (
  await fetch(`${api}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.access_token}` }, body: JSON.stringify({ name: 'bench' }) })
).json()) as { key: string };

const matches = createMatchService({ db: database.db, clock });
const query = { page: 1, page_size: 50, sort: 'date' as const };
const memoryCache = createMemoryCache({ maxEntries: 1000, clock });
const redisCache = redisUrl ? createRedisCache({ redis: await createRedis(redisUrl), prefix: `bench:${process.pid}:` }) : null;
const reads = Fastify({ logger: false });
reads.get('/uncached', async () => matches.list(query));
reads.get('/cached-memory', async () => (await cachedRead(memoryCache, 'list:matches:bench', 300, () => matches.list(query))).value);
if (redisCache) reads.get('/cached-redis', async () => (await cachedRead(redisCache, 'list:matches:bench', 300, () => matches.list(query))).value);
ports.reads = await listen(reads);

process.stdout.write(`${JSON.stringify({ ports, accessToken: login.access_token, apiKey: created.key })}\n`);
