// What authentication and rate limiting cost per request, with limits counted in process
// and in Redis, and what the response cache saves on a read endpoint — each next to a bare
// Fastify hello-world measured in the same run. Prints a table and writes
// bench/results/auth-overhead.json.
//   npx tsx bench/auth-overhead.ts
//   BENCH_REDIS_URL=redis://127.0.0.1:6379 BENCH_DURATION=10 npx tsx bench/auth-overhead.ts
//
// Overhead is measured on the cheapest answer the app gives (the 404 of an unknown path):
// every hook runs (request id, auth guard, rate limit, metrics), no handler does work, so
// the differences between rows are the cost of the checks themselves.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { cpus } from 'node:os';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

interface Row {
  name: string;
  rps: number;
  /** Server time per request at saturation (1 / throughput): what a check costs in CPU. */
  us_per_request: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  await autocannon({ url, connections, duration: 1, headers }); // warm-up: JIT, pools, caches
  // Every response time, so percentiles are exact (autocannon's own are whole milliseconds).
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections, duration, headers }, (err, result) => (err ? reject(err) : resolve(result)));
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const rps = r.requests.total / duration;
  return { name, rps: Math.round(rps), us_per_request: Math.round(1e6 / rps), p50_ms: round(pct(times, 50)), p99_ms: round(pct(times, 99)), non2xx: r.non2xx, errors: r.errors };
}

// One process (tsx as a loader, not a wrapper), so stopping it stops every server.
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/auth-overhead-server.ts'], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once('line', resolve);
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});
const { ports, accessToken, apiKey } = JSON.parse(first) as { ports: Record<string, number>; accessToken: string; apiKey: string };
const at = (p: number | undefined, path: string) => `http://127.0.0.1:${p}${path}`;
const rows: Row[] = [];
try {
  rows.push(await measure('hello-world (bare Fastify)', at(ports.hello, '/')));
  rows.push(await measure('404, no credentials, rate limit off', at(ports.open, '/bench/nothing')));
  for (const store of ['memory', 'redis'] as const) {
    if (ports[store] === undefined) continue;
    rows.push(await measure(`404, anonymous (per-IP limit, ${store})`, at(ports[store], '/bench/nothing')));
    rows.push(await measure(`404, access token (JWT + deny list, ${store})`, at(ports[store], '/bench/nothing'), { authorization: `Bearer ${accessToken}` }));
    rows.push(await measure(`404, API key (lookup + 3 windows, ${store})`, at(ports[store], '/bench/nothing'), { 'x-api-key': apiKey }));
  }
  rows.push(await measure('matches page of 50, uncached', at(ports.reads, '/uncached')));
  rows.push(await measure('matches page of 50, cached in process', at(ports.reads, '/cached-memory')));
  if (ports.redis !== undefined) rows.push(await measure('matches page of 50, cached in Redis', at(ports.reads, '/cached-redis')));
} finally {
  child.kill('SIGTERM');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
const out = { machine, date: new Date().toISOString(), duration_s: duration, connections, rows };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/auth-overhead.json', JSON.stringify(out, null, 2));
const table = [
  '| scenario | req/s | µs/request | p50 ms | p99 ms | non-2xx |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.rps} | ${r.us_per_request} | ${r.p50_ms} | ${r.p99_ms} | ${r.non2xx} |`),
];
process.stdout.write(`\n${machine} — ${duration} s × ${connections} connections per row\n${table.join('\n')}\n`);
