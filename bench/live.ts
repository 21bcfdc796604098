// Live tracking benchmark: a Sharpline server in a child process (PGlite, or PostgreSQL with
// BENCH_DATABASE_URL), 1,000 viewers on one match's share socket, then
//   1. event POST latency (sequential POSTs, p50/p95/p99),
//   2. POST-to-socket delivery latency (from sending the POST until each viewer has the
//      event_logged message), p50/p95/p99 over every viewer and event,
//   3. messages per second delivered to all viewers during a burst of concurrent POSTs.
//   npx tsx bench/live.ts          (BENCH_VIEWERS=1000 BENCH_EVENTS=200 by default)
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server process.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { freePort, jsonClient, machine, startProcess, stopProcess, waitFor } from './lib.js';

const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const engine = dbUrl ? 'postgres' : 'pglite';
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const BURST = Number(process.env.BENCH_BURST ?? 200);
/** Pause between sequential events (a real match has seconds between them); 0 by default. */
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 0);
const home = mkdtempSync(join(tmpdir(), 'sharpline-bench-live-'));
const env: Record<string, string> = { SHARPLINE_HOME: home, LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false' };
if (dbUrl) env.DATABASE_URL = dbUrl;

const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const summary = (xs: number[]) => ({ n: xs.length, p50: +pct(xs, 50).toFixed(2), p95: +pct(xs, 95).toFixed(2), p99: +pct(xs, 99).toFixed(2), max: +xs.reduce((a, b) => Math.max(a, b), 0).toFixed(2) });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = startProcess('node', [...nodeArgs, 'bin/sharpline.js', 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
let viewers: Worker | undefined;
// The touchline client POSTs with node:http over kept-alive connections (fetch adds about a
// millisecond of its own per request on this machine: the client's cost, not the server's).
const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
try {
  await waitFor(`${base}/health`);
  const json = jsonClient(base);
  const email = `bench.${Date.now()}@example.com`;
  await json('POST', '/api/v1/auth/register', { email, password: 'correct horse battery staple' });
  const token = String((await json('POST', '/api/v1/auth/login', { email, password: 'correct horse battery staple' })).access_token);
  const a = await json('POST', '/api/v1/live/teams', { name: 'Bench Home' }, token);
  const b = await json('POST', '/api/v1/live/teams', { name: 'Bench Away' }, token);
  const match = await json('POST', '/api/v1/live/matches', { home_team_id: a.id, away_team_id: b.id }, token);
  const share = await json('POST', `/api/v1/live/matches/${match.id}/shares`, {}, token);

  // The viewers live in a worker thread with its own event loop, so the client that POSTs (the
  // parent on the touchline) is not slowed by the 1,000 viewers (the grandparents' phones)
  // receiving the previous message. Times are absolute (timeOrigin + now) in both threads.
  // A worker does not inherit tsx's loader: register it there, then load the viewers module.
  const viewersModule = new URL('./live-viewers.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(viewersModule)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { url: `ws://127.0.0.1:${port}/ws/match/${match.id}/share?token=${share.token}`, viewers: VIEWERS } });
  viewers = worker;
  const complete = new Map<string, () => void>();
  type Counts = { delivered: number; times: Record<string, number[]> };
  let onCounts: ((c: Counts) => void) | null = null;
  worker.on('message', (m: { done?: string; counts?: Counts }) => {
    if (m.done) complete.get(m.done)?.();
    if (m.counts) onCounts?.(m.counts);
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  process.stderr.write(`connecting ${VIEWERS} viewers...\n`);
  await ready;
  const collect = () =>
    new Promise<Counts>((resolve) => {
      onCounts = resolve;
      worker.postMessage({ collect: true });
    });

  const eventsPath = `/api/v1/live/matches/${match.id}/events`;
  const postEvent = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: eventsPath, method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${eventsPath}: ${res.statusCode} ${Buffer.concat(chunks).toString()}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const post = async (kind: string) => {
    const id = randomUUID();
    const done = new Promise<void>((resolve) => complete.set(id, resolve));
    const body = JSON.stringify({ id, kind, side: 'home' });
    const t0 = now();
    await postEvent(body);
    return { id, t0, ms: now() - t0, done };
  };
  const withDeadline = (p: Promise<void>) => Promise.race([p, new Promise<void>((r) => setTimeout(r, 60_000).unref())]);

  // 1 + 2: sequential POSTs; wait for every viewer before the next one so runs do not overlap.
  const postMs: number[] = [];
  const deliveryMs: number[] = [];
  const starts = new Map<string, number>();
  for (let i = 0; i < EVENTS; i += 1) {
    const r = await post('key_pass');
    postMs.push(r.ms);
    starts.set(r.id, r.t0);
    await withDeadline(r.done);
    if (GAP_MS > 0) await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  for (const [id, times] of Object.entries((await collect()).times)) for (const t of times) deliveryMs.push(t - starts.get(id)!);
  // The server's own share of the delivery time: writing one message to all viewers
  // (live_fanout_seconds on /metrics), read before the burst so it covers the sequential events.
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const buckets = [...metrics.matchAll(/^live_fanout_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => ({ le: Number(m[1]), n: Number(m[2]) }));
  const count = Number(/^live_fanout_seconds_count (\d+)$/m.exec(metrics)?.[1] ?? 0);
  const sum = Number(/^live_fanout_seconds_sum (\S+)$/m.exec(metrics)?.[1] ?? 0);
  const bucketP = (p: number) => (buckets.find((b) => b.n >= (p / 100) * count)?.le ?? Infinity) * 1000;
  const route = (name: string) => Number(new RegExp(`^http_request_duration_seconds_${name}\\{method="POST",route="/api/v1/live/matches/:id/events",status_code="201"\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const serverPostMeanMs = +((route('sum') / route('count')) * 1000).toFixed(2);
  const fanout = { n: count, mean_ms: +((sum / Math.max(count, 1)) * 1000).toFixed(2), p50_at_most_ms: bucketP(50), p95_at_most_ms: bucketP(95) };

  // 3: a burst of concurrent POSTs (10 at a time); messages/s over all viewers.
  const before = (await collect()).delivered;
  const t0 = now();
  const posted: Awaited<ReturnType<typeof post>>[] = [];
  for (let i = 0; i < BURST; i += 10) posted.push(...(await Promise.all(Array.from({ length: 10 }, () => post('tackle')))));
  await withDeadline(Promise.all(posted.map((r) => r.done)).then(() => undefined));
  const burstS = (now() - t0) / 1000;
  const final = await collect();
  const delivered = final.delivered - before;
  const complete_ = posted.every((r) => (final.times[r.id]?.length ?? 0) === VIEWERS);
  worker.postMessage({ stop: true });

  const out = {
    engine, machine: machine(), date: new Date().toISOString(), viewers: VIEWERS,
    event_post_ms: summary(postMs),
    post_to_socket_ms: summary(deliveryMs),
    server_fanout_ms: fanout,
    server_event_post_mean_ms: serverPostMeanMs,
    burst: { events: BURST, seconds: +burstS.toFixed(2), messages_delivered: delivered, messages_per_s: Math.round(delivered / burstS), every_viewer_got_every_event: complete_ },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/live-${engine}.json`, JSON.stringify(out, null, 2));
  process.stdout.write(`\nlive — ${engine} — ${out.machine} — ${out.date} — ${VIEWERS} viewers\n`);
  process.stdout.write(`event POST            p50 ${out.event_post_ms.p50} ms  p95 ${out.event_post_ms.p95} ms  p99 ${out.event_post_ms.p99} ms (n=${out.event_post_ms.n})\n`);
  process.stdout.write(`POST → socket         p50 ${out.post_to_socket_ms.p50} ms  p95 ${out.post_to_socket_ms.p95} ms  p99 ${out.post_to_socket_ms.p99} ms (n=${out.post_to_socket_ms.n})\n`);
  process.stdout.write(`event POST in server  mean ${serverPostMeanMs} ms (http_request_duration_seconds: request received to response written)\n`);
  process.stdout.write(`server fan-out        mean ${fanout.mean_ms} ms  p50 ≤ ${fanout.p50_at_most_ms} ms  p95 ≤ ${fanout.p95_at_most_ms} ms (n=${fanout.n}, histogram buckets)\n`);
  process.stdout.write(`burst                 ${out.burst.messages_per_s} messages/s (${delivered} messages in ${out.burst.seconds} s; complete: ${complete_})\n`);
} finally {
  await viewers?.terminate();
  agent.destroy();
  await stopProcess(server);
}
