// Live tracking benchmark: a Sharpline server in a child process (PGlite, or PostgreSQL with
// BENCH_DATABASE_URL), 1,000 viewers on one match's share socket, then
//   1. event POST latency (sequential POSTs, p50/p95/p99),
//   2. POST-to-socket delivery latency (from sending the POST until each viewer has the
//      event_logged message), p50/p95/p99 over every viewer and event,
//   3. messages per second delivered to all viewers during a burst of concurrent POSTs.
//   npx tsx bench/live.ts          (BENCH_VIEWERS=1000 BENCH_EVENTS=200 by default)
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server process.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { freePort, machine, startProcess, stopProcess, waitFor } from './lib.js';

const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
const engine = dbUrl ? 'postgres' : 'pglite';
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const BURST = Number(process.env.BENCH_BURST ?? 200);
const home = mkdtempSync(join(tmpdir(), 'sharpline-bench-live-'));
const env: Record<string, string> = { SHARPLINE_HOME: home, LOG_LEVEL: 'warn', WORKER_IN_PROCESS: 'false', SEED_DEMO_ON_EMPTY: 'false', RATE_LIMIT_ENABLED: 'false' };
if (dbUrl) env.DATABASE_URL = dbUrl;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const summary = (xs: number[]) => ({ n: xs.length, p50: +pct(xs, 50).toFixed(2), p95: +pct(xs, 95).toFixed(2), p99: +pct(xs, 99).toFixed(2), max: +xs.reduce((a, b) => Math.max(a, b), 0).toFixed(2) });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const server = startProcess('node', [...nodeArgs, 'bin/sharpline.js', 'serve'], { ...env, PORT: String(port), HOST: '127.0.0.1' });
const sockets: WebSocket[] = [];
try {
  await waitFor(`${base}/health`);
  const json = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const email = `bench.${Date.now()}@example.com`;
  await json('POST', '/api/v1/auth/register', { email, password: 'correct horse battery staple' });
  const token = String((await json('POST', '/api/v1/auth/login', { email, password: 'correct horse battery staple' })).access_token);
  const a = await json('POST', '/api/v1/live/teams', { name: 'Bench Home' }, token);
  const b = await json('POST', '/api/v1/live/teams', { name: 'Bench Away' }, token);
  const match = await json('POST', '/api/v1/live/matches', { home_team_id: a.id, away_team_id: b.id }, token);
  const share = await json('POST', `/api/v1/live/matches/${match.id}/shares`, {}, token);

  // Each viewer reports when it sees each event id.
  const seen = new Map<string, number[]>();
  let delivered = 0;
  // The receiving side is kept light (a string search, no JSON parse): all 1,000 viewers share
  // one process here, while on the field each is its own phone, so time spent in this
  // handler delays the next viewer's timestamp and counts against the server.
  const marker = '"type":"event_logged","event":{"id":"';
  const onMessage = (data: WebSocket.RawData) => {
    const t = performance.now();
    delivered += 1;
    const text = data.toString();
    const at = text.indexOf(marker);
    if (at < 0) return;
    const list = seen.get(text.slice(at + marker.length, at + marker.length + 36));
    if (list) list.push(t);
  };
  process.stderr.write(`connecting ${VIEWERS} viewers...\n`);
  for (let i = 0; i < VIEWERS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, VIEWERS - i) }, () => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/match/${match.id}/share?token=${share.token}`, { skipUTF8Validation: true });
        ws.on('message', onMessage);
        ws.once('message', () => resolve());
        ws.once('error', reject);
        sockets.push(ws);
      })),
    );
  }

  const post = async (kind: string) => {
    const id = randomUUID();
    seen.set(id, []);
    const t0 = performance.now();
    await json('POST', `/api/v1/live/matches/${match.id}/events`, { id, kind, side: 'home' }, token);
    return { id, t0, ms: performance.now() - t0 };
  };
  const waitAll = async (ids: string[]) => {
    const deadline = performance.now() + 60_000;
    while (ids.some((id) => seen.get(id)!.length < VIEWERS) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };

  // 1 + 2: sequential POSTs; wait for every viewer before the next one so runs do not overlap.
  const postMs: number[] = [];
  const deliveryMs: number[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const r = await post('key_pass');
    postMs.push(r.ms);
    await waitAll([r.id]);
    for (const t of seen.get(r.id)!) deliveryMs.push(t - r.t0);
  }
  // The server's own share of the delivery time: writing one message to all viewers
  // (live_fanout_seconds on /metrics), read before the burst so it covers the sequential events.
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const buckets = [...metrics.matchAll(/^live_fanout_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => ({ le: Number(m[1]), n: Number(m[2]) }));
  const count = Number(/^live_fanout_seconds_count (\d+)$/m.exec(metrics)?.[1] ?? 0);
  const sum = Number(/^live_fanout_seconds_sum (\S+)$/m.exec(metrics)?.[1] ?? 0);
  const bucketP = (p: number) => (buckets.find((b) => b.n >= (p / 100) * count)?.le ?? Infinity) * 1000;
  const fanout = { n: count, mean_ms: +((sum / Math.max(count, 1)) * 1000).toFixed(2), p50_at_most_ms: bucketP(50), p95_at_most_ms: bucketP(95) };

  // 3: a burst of concurrent POSTs (10 at a time); messages/s over all viewers.
  delivered = 0;
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < BURST; i += 10) ids.push(...(await Promise.all(Array.from({ length: 10 }, () => post('tackle')))).map((r) => r.id));
  await waitAll(ids);
  const burstS = (performance.now() - t0) / 1000;
  const complete = ids.every((id) => seen.get(id)!.length === VIEWERS);

  const out = {
    engine, machine: machine(), date: new Date().toISOString(), viewers: VIEWERS,
    event_post_ms: summary(postMs),
    post_to_socket_ms: summary(deliveryMs),
    server_fanout_ms: fanout,
    burst: { events: BURST, seconds: +burstS.toFixed(2), messages_delivered: delivered, messages_per_s: Math.round(delivered / burstS), every_viewer_got_every_event: complete },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/live-${engine}.json`, JSON.stringify(out, null, 2));
  process.stdout.write(`\nlive — ${engine} — ${out.machine} — ${out.date} — ${VIEWERS} viewers\n`);
  process.stdout.write(`event POST            p50 ${out.event_post_ms.p50} ms  p95 ${out.event_post_ms.p95} ms  p99 ${out.event_post_ms.p99} ms (n=${out.event_post_ms.n})\n`);
  process.stdout.write(`POST → socket         p50 ${out.post_to_socket_ms.p50} ms  p95 ${out.post_to_socket_ms.p95} ms  p99 ${out.post_to_socket_ms.p99} ms (n=${out.post_to_socket_ms.n})\n`);
  process.stdout.write(`server fan-out        mean ${fanout.mean_ms} ms  p50 ≤ ${fanout.p50_at_most_ms} ms  p95 ≤ ${fanout.p95_at_most_ms} ms (n=${fanout.n}, histogram buckets)\n`);
  process.stdout.write(`burst                 ${out.burst.messages_per_s} messages/s (${delivered} messages in ${out.burst.seconds} s; complete: ${complete})\n`);
} finally {
  for (const s of sockets) s.terminate();
  await stopProcess(server);
}
