// A/B of two checkouts of the server on one database, alternating rounds, so that a change's
// effect on server CPU per request is read under the same conditions (the shared machine's
// load moves req/s between runs far more than most changes do).
//   BENCH_DATABASE_URL=postgres://…/sl_bench npx tsx bench/ab.ts /path/to/checkout-a /path/to/checkout-b [rounds]
// Each round measures every path on A, then on B (order alternating), BENCH_DURATION s each
// (default 4) at 50 connections; prints per-path medians of server CPU µs/request and req/s.
// Each checkout runs compiled (built into a temporary directory; lib.ts sharplineEntry), or
// through its bin/sharpline.js with BENCH_RUNTIME=tsx (which runs a checkout's dist/ if it has one).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, measure, sharplineEntry, startProcess, stopProcess, waitFor } from './lib.js';

const a = resolve(process.argv[2] ?? '.');
const b = resolve(process.argv[3] ?? '.');
const rounds = Number(process.argv[4] ?? 3);
const duration = Number(process.env.BENCH_DURATION ?? 4);
const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const paths = (process.env.BENCH_PATHS ?? '/health,/api/v1/matches?page_size=50,/api/v1/teams?page_size=50').split(',');
const gzip = { 'accept-encoding': 'gzip' };

async function start(dir: string) {
  const port = await freePort();
  const env: Record<string, string> = { SHARPLINE_HOME: mkdtempSync(join(tmpdir(), 'sharpline-ab-')), LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false', PORT: String(port), HOST: '127.0.0.1' };
  if (dbUrl) env.DATABASE_URL = dbUrl;
  const proc = startProcess(process.execPath, [sharplineEntry(dir).entry, 'serve'], env);
  await waitFor(`http://127.0.0.1:${port}/health`);
  return { proc, base: `http://127.0.0.1:${port}` };
}

const servers = { A: await start(a), B: await start(b) };
const cpu: Record<string, number[]> = {};
const rps: Record<string, number[]> = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      for (const p of paths) {
        const url = servers[side].base + p.replace(/ gzip$/, '');
        const res = await measure(`${side} ${p}`, url, { connections: 50, duration, pid: servers[side].proc.pid, headers: p.endsWith(' gzip') ? gzip : undefined });
        (cpu[`${side} ${p}`] ??= []).push(res.cpu_us_per_req ?? NaN);
        (rps[`${side} ${p}`] ??= []).push(res.rps);
        process.stderr.write(`round ${r + 1} ${side} ${p}: ${res.rps} req/s, ${res.cpu_us_per_req} µs/req\n`);
      }
    }
  }
} finally {
  await stopProcess(servers.A.proc);
  await stopProcess(servers.B.proc);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
process.stdout.write(`A = ${a}\nB = ${b}\n\n| path | A µs/req | B µs/req | B/A | A req/s | B req/s |\n|---|---:|---:|---:|---:|---:|\n`);
for (const p of paths) {
  const ca = median(cpu[`A ${p}`]!);
  const cb = median(cpu[`B ${p}`]!);
  process.stdout.write(`| ${p} | ${ca} | ${cb} | ${(cb / ca).toFixed(2)} | ${median(rps[`A ${p}`]!)} | ${median(rps[`B ${p}`]!)} |\n`);
}
