// HTTP latency benchmark: GET /health and GET /api/v1/matches?page_size=50 under autocannon
// (50 connections), next to a bare Fastify hello-world measured in the same run.
// The Sharpline server runs in a child process on the database chosen by BENCH_DATABASE_URL
// (PostgreSQL) or embedded PGlite otherwise, loaded with the five big-league files from
// SHARPLINE_DATA_DIR when present, or the demo dataset.
//   npx tsx bench/http.ts            # PGlite
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sharpline_bench npx tsx bench/http.ts
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { freePort, machine, measure, startProcess, stopProcess, table, waitFor } from './lib.js';

const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const engine = dbUrl ? 'postgres' : 'pglite';
const dataDir = resolve(process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const home = mkdtempSync(join(tmpdir(), 'sharpline-bench-'));
// Rate limits off: the benchmark measures latency, and every request comes from one IP.
const env: Record<string, string> = { SHARPLINE_HOME: home, LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false' };
if (dbUrl) env.DATABASE_URL = dbUrl;
const cli = (args: string[]) => execFileSync('node', ['bin/sharpline.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

const leagues = join(dataDir, 'soccer', 'leagues');
if (existsSync(leagues)) {
  process.stderr.write(`loading ${leagues} into ${engine}...\n`);
  cli(['import', 'football-data', leagues, '--json']);
} else {
  process.stderr.write(`no real data at ${leagues}; seeding the demo dataset\n`);
  cli(['seed', 'demo']);
}

const helloPort = await freePort();
// Started with node itself (not npx), so SIGTERM reaches the server and not a wrapper.
const hello = startProcess(process.execPath, ['--import', 'tsx/esm', 'bench/hello.ts', String(helloPort)], {});

/** Start Sharpline, measure the given paths, stop it (PGlite admits one process at a time). */
async function measureServer(label: string, extraEnv: Record<string, string>, paths: [string, string][]) {
  const port = await freePort();
  const server = startProcess('node', ['bin/sharpline.js', 'serve'], { ...env, ...extraEnv, PORT: String(port), HOST: '127.0.0.1' });
  try {
    await waitFor(`http://127.0.0.1:${port}/health`);
    const out = [];
    for (const [name, path] of paths) out.push(await measure(`${name} ${label}`.trim(), `http://127.0.0.1:${port}${path}`, { duration }));
    return out;
  } finally {
    await stopProcess(server);
  }
}

try {
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  const list = '/api/v1/matches?page_size=50';
  const rows = [
    await measure('hello-world (bare Fastify)', `http://127.0.0.1:${helloPort}/`, { duration }),
    ...(await measureServer('', {}, [
      ['GET /health', '/health'],
      [`GET ${list} (response cache)`, list],
    ])),
    ...(await measureServer('(uncached)', { CACHE_RESPONSES: 'false' }, [[`GET ${list}`, list]])),
  ];
  const out = { engine, machine: machine(), date: new Date().toISOString(), rows };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/http-${engine}.json`, JSON.stringify(out, null, 2));
  process.stdout.write(`\n${engine} — ${out.machine} — ${out.date}\n${table(rows)}\n`);
} finally {
  await stopProcess(hello);
}
