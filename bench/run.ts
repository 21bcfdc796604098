// Runs every benchmark in turn, each in its own process, on PGlite and (when
// BENCH_DATABASE_URL is set) PostgreSQL. Results print as tables and land in bench/results/;
// docs/benchmarks.md records them with the command, machine and date.
//   npm run bench
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
import { execFileSync } from 'node:child_process';

const pgUrl = process.env.BENCH_DATABASE_URL ?? '';
const benches: { name: string; script: string; env?: Record<string, string> }[] = [
  { name: 'Dixon-Coles fit', script: 'bench/dixon-coles.ts' },
  { name: 'import throughput', script: 'bench/import.ts' },
  { name: 'HTTP latency (PGlite)', script: 'bench/http.ts', env: { BENCH_DATABASE_URL: '' } },
  { name: 'auth + rate-limit overhead', script: 'bench/auth-overhead.ts' },
  { name: 'live tracking: event POST and socket delivery', script: 'bench/live.ts' },
  { name: 'player props HTTP (PGlite)', script: 'bench/props-http.ts', env: { BENCH_DATABASE_URL: '' } },
];
if (pgUrl) benches.push({ name: 'HTTP latency (PostgreSQL)', script: 'bench/http.ts', env: { BENCH_DATABASE_URL: pgUrl } });

let failed = 0;
for (const b of benches) {
  process.stdout.write(`\n### ${b.name} (${b.script})\n`);
  try {
    execFileSync('npx', ['tsx', b.script], { stdio: 'inherit', env: { ...process.env, ...(b.env ?? {}) } });
  } catch {
    failed += 1;
    process.stdout.write(`(${b.script} failed or missed its target)\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
