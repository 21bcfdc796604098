// A mixed soak (issue 15): one Sharpline server on PostgreSQL + Redis under a steady mix of
// reads (matches, teams, standings, upcoming predictions, health), player props and live
// events for BENCH_SOAK_MINUTES (10), with an import run by the CLI in the middle. Reports
// every status code seen (the bar: no 5xx) and the server's resident memory sampled every
// 10 s (the bar: RSS at the end within 15% of the 5-minute mark), and writes
// bench/results/soak-<engine>.json.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sl_soak BENCH_REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/soak.ts
// The database is seeded with the demo dataset and a quick training first (it should be an
// empty database: the seed refuses to mix with other data). The import in the middle is
// ../shared/data/soccer/football-data-co-uk/E0 when it exists, otherwise the demo seed again.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { freePort, jsonClient, machine, sharplineEntry, startProcess, stopProcess, waitFor } from './lib.js';

const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const redisUrl = process.env.BENCH_REDIS_URL ?? '';
const engine = `${dbUrl ? 'postgres' : 'pglite'}${redisUrl ? '+redis' : ''}`;
const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const dataDir = resolve(process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const COMPETITION = 'demo-premier-league';
const home = mkdtempSync(join(tmpdir(), 'sharpline-soak-'));
const env: Record<string, string> = { SHARPLINE_HOME: home, LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false' };
if (dbUrl) env.DATABASE_URL = dbUrl;
if (redisUrl) env.REDIS_URL = redisUrl;
const cli = (args: string[]) => execFileSync('node', ['bin/sharpline.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

process.stderr.write(`seeding the demo dataset into ${engine} and training ${COMPETITION} (quick)...\n`);
cli(['seed', 'demo', '--json']);
cli(['train', '--quick', '--competition', COMPETITION, '--json']);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// The server runs compiled, as deployed (lib.ts sharplineEntry; BENCH_RUNTIME=tsx: the sources).
const sharpline = sharplineEntry();
const server = startProcess(process.execPath, [sharpline.entry, 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
try {
  await waitFor(`${base}/health`);
  const json = jsonClient(base);
  // Props: an upcoming demo match and a player of its squad.
  const fixtures = (await json('GET', `/api/v1/matches?competition=${COMPETITION}&status=scheduled&sort=date&page_size=5`)).items as { id: number }[];
  if (fixtures.length === 0) throw new Error('the demo dataset has no upcoming match');
  const squad = (await json('POST', '/predict/match', { match_id: fixtures[0]!.id, tier: 'tier1' })).predictions as { player_id: number }[];
  // Live: a signed-in user's own match to log events on.
  const email = `soak.${Date.now()}@example.com`;
  await json('POST', '/api/v1/auth/register', { email, password: 'correct horse battery staple' });
  const token = String((await json('POST', '/api/v1/auth/login', { email, password: 'correct horse battery staple' })).access_token);
  const a = await json('POST', '/api/v1/live/teams', { name: 'Soak Home' }, token);
  const b = await json('POST', '/api/v1/live/teams', { name: 'Soak Away' }, token);
  const live = await json('POST', '/api/v1/live/matches', { home_team_id: a.id, away_team_id: b.id }, token);

  const jsonHeaders = { 'content-type': 'application/json' };
  let n = 0;
  const requests: autocannon.Request[] = [
    { method: 'GET', path: '/api/v1/matches?page_size=50' },
    { method: 'GET', path: '/api/v1/matches?page_size=50&page=3' },
    { method: 'GET', path: '/api/v1/teams?page_size=50' },
    { method: 'GET', path: `/api/v1/competitions/${COMPETITION}/standings` },
    { method: 'GET', path: '/api/v1/predictions/upcoming' },
    { method: 'GET', path: '/health' },
    { method: 'POST', path: '/predict/player', headers: jsonHeaders, body: JSON.stringify({ match_id: fixtures[0]!.id, player_id: squad[0]!.player_id }) },
    { method: 'POST', path: '/predict/match', headers: jsonHeaders, body: JSON.stringify({ match_id: fixtures[(fixtures.length > 1 ? 1 : 0)]!.id, tier: 'tier1' }) },
    {
      method: 'POST',
      path: `/api/v1/live/matches/${live.id}/events`,
      headers: { ...jsonHeaders, authorization: `Bearer ${token}` },
      // A fresh event id each time (an idempotent retry would be answered from the log).
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ id: crypto.randomUUID(), kind: (n++ % 7 === 0 ? 'save' : 'key_pass'), side: n % 2 ? 'home' : 'away' }) }),
    },
  ];

  const samples: { t_s: number; rss_mb: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(() => samples.push({ t_s: Math.round((Date.now() - t0) / 1000), rss_mb: rssMb() }), 10_000);
  samples.push({ t_s: 0, rss_mb: rssMb() });

  // The import in the middle, from another process (the CLI), as an operator would run it.
  const source = join(dataDir, 'soccer', 'football-data-co-uk', 'E0');
  const importArgs = existsSync(source) ? ['import', 'football-data', source, '--json'] : ['seed', 'demo', '--json'];
  let importOutcome = 'not run';
  const importer = setTimeout(() => {
    process.stderr.write(`${new Date().toISOString()} import: ${importArgs.join(' ')}\n`);
    const started = Date.now();
    const child = spawn('node', ['bin/sharpline.js', ...importArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      importOutcome = `exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s, at t=${Math.round((started - t0) / 1000)} s`;
      process.stderr.write(`${new Date().toISOString()} import ${importOutcome}\n`);
    });
  }, (minutes * 60_000) / 2);

  process.stderr.write(`${new Date().toISOString()} soak: ${minutes} min, ${connections} connections, ${requests.length} request kinds\n`);
  const result = await autocannon({ url: base, connections, duration: minutes * 60, requests });
  clearInterval(sampler);
  clearTimeout(importer);
  samples.push({ t_s: Math.round((Date.now() - t0) / 1000), rss_mb: rssMb() });

  const at = (s: number) => samples.reduce((best, x) => (Math.abs(x.t_s - s) < Math.abs(best.t_s - s) ? x : best));
  const mid = at((minutes * 60) / 2);
  const end = samples[samples.length - 1]!;
  const statusCodes = (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats;
  const fiveXx = Object.entries(statusCodes).filter(([c]) => c.startsWith('5')).reduce((s, [, v]) => s + v.count, 0);
  const out = {
    engine,
    machine: machine(),
    runtime: sharpline.runtime,
    date: new Date().toISOString(),
    minutes,
    connections,
    requests: result.requests.total,
    req_per_s: Math.round(result.requests.average),
    latency_ms: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
    status_codes: Object.fromEntries(Object.entries(statusCodes).map(([c, v]) => [c, v.count])),
    errors: result.errors,
    timeouts: result.timeouts,
    five_xx: fiveXx,
    import: importOutcome,
    rss_mb: { start: samples[0]!.rss_mb, at_half: mid.rss_mb, at_half_t_s: mid.t_s, end: end.rss_mb, max: Math.max(...samples.map((s) => s.rss_mb)) },
    rss_end_vs_half: +(end.rss_mb / mid.rss_mb - 1).toFixed(3),
    samples,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/soak-${engine}.json`, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\n${engine} — ${out.machine} — ${out.date}\n`);
  process.stdout.write(`| minutes | connections | requests | req/s | p50 ms | p99 ms | max ms | status codes | errors | 5xx | RSS start / half / end / max MB | end vs half |\n|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|\n`);
  process.stdout.write(
    `| ${minutes} | ${connections} | ${out.requests} | ${out.req_per_s} | ${out.latency_ms.p50} | ${out.latency_ms.p99} | ${out.latency_ms.max} | ${Object.entries(out.status_codes).map(([c, v]) => `${c}: ${v}`).join(', ')} | ${out.errors} | ${fiveXx} | ${out.rss_mb.start} / ${out.rss_mb.at_half} / ${out.rss_mb.end} / ${out.rss_mb.max} | ${(out.rss_end_vs_half * 100).toFixed(1)}% |\n`,
  );
  process.stdout.write(`import: ${importOutcome}\n`);
  process.stdout.write(`soak ${fiveXx === 0 && Math.abs(out.rss_end_vs_half) <= 0.15 ? 'passed' : 'FAILED'}: 5xx=${fiveXx} rss_end_vs_half=${out.rss_end_vs_half}\n`);
} finally {
  await stopProcess(server);
}
