// Benchmark: GET /api/v1/predictions/games/{id} with no response cache in front (the route
// reads the stored prediction row every time), cycling over every upcoming predicted match.
// Target (issue 4): p95 under 10 ms. The server runs in a child process on PGlite (default)
// or BENCH_DATABASE_URL, loaded with the demo dataset (which has upcoming fixtures) plus the
// five big-league files from SHARPLINE_DATA_DIR when present, then `sharpline train`.
//   npx tsx bench/predictions-http.ts
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sl_bench npx tsx bench/predictions-http.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { freePort, machine, startProcess, stopProcess, waitFor } from './lib.js';

const TARGET_P95_MS = 10;
const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const engine = dbUrl ? 'postgres' : 'pglite';
const dataDir = resolve(process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const home = mkdtempSync(join(tmpdir(), 'sharpline-bench-pred-'));
const env: Record<string, string> = { SHARPLINE_HOME: home, LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false' };
if (dbUrl) env.DATABASE_URL = dbUrl;
const cli = (args: string[]) => execFileSync('node', ['bin/sharpline.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

process.stderr.write(`seeding the demo dataset into ${engine}...\n`);
cli(['seed', 'demo', '--json']);
const leagues = join(dataDir, 'soccer', 'leagues');
if (existsSync(leagues)) {
  process.stderr.write(`loading ${leagues} (a realistic table size)...\n`);
  cli(['import', 'football-data', leagues, '--json']);
}
process.stderr.write('training and predicting...\n');
const trained = JSON.parse(cli(['train', '--quick', '--json'])) as { generated: { inserted: number } };

const port = await freePort();
const server = startProcess('node', ['bin/sharpline.js', 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
try {
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`);
  const upcoming = (await (await fetch(`${base}/api/v1/predictions/upcoming?days=366&page_size=200`)).json()) as { items: { game_id: number }[] };
  const ids = upcoming.items.map((i) => i.game_id);
  if (ids.length === 0) throw new Error('no predictions to benchmark');
  const requests = ids.map((id) => ({ method: 'GET' as const, path: `/api/v1/predictions/games/${id}` }));
  // Warm-up (JIT, connection pool), then the timed run recording every response time.
  await autocannon({ url: base, connections, duration: 2, requests });
  const times: number[] = [];
  // The callback form returns the instance, whose 'response' events carry each latency.
  let done!: (r: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((r) => (done = r));
  const run = autocannon({ url: base, connections, duration, requests }, (err, res) => {
    if (err) throw err;
    done(res);
  });
  run.on('response', (_c: unknown, _s: number, _b: number, ms: number) => {
    times.push(ms);
  });
  const result = await finished;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil((p / 100) * times.length) - 1))]!;
  const out = {
    engine,
    machine: machine(),
    date: new Date().toISOString(),
    predicted_matches: ids.length,
    predictions_stored: trained.generated.inserted,
    connections,
    duration_s: duration,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    non2xx: result.non2xx,
    p50_ms: pct(50),
    p95_ms: pct(95),
    p99_ms: pct(99),
    max_ms: times[times.length - 1],
    target_p95_ms: TARGET_P95_MS,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/predictions-http-${engine}.json`, JSON.stringify(out, null, 2));
  process.stdout.write(
    `\nGET /api/v1/predictions/games/{id} (uncached), ${engine} — ${out.machine}\n` +
      `| connections | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx |\n|---:|---:|---:|---:|---:|---:|---:|\n` +
      `| ${connections} | ${out.rps} | ${out.p50_ms} | ${out.p95_ms} | ${out.p99_ms} | ${out.max_ms} | ${out.non2xx} |\n` +
      `target: p95 < ${TARGET_P95_MS} ms — ${out.p95_ms < TARGET_P95_MS && out.non2xx === 0 ? 'met' : 'MISSED'}\n`,
  );
  if (!(out.p95_ms < TARGET_P95_MS) || out.non2xx > 0) process.exitCode = 1;
} finally {
  await stopProcess(server);
}
