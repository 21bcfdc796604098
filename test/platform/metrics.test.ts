import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createJobEngine } from '../../src/platform/jobs.js';
import { HttpTally } from '../../src/platform/metrics.js';
import { Registry } from 'prom-client';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { signUp } from '../auth/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { rateLimit: loadConfig({ RATE_LIMIT_ANONYMOUS: '2/1m' }).rateLimit } });
});
afterAll(async () => {
  await t.close();
});

const scrape = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
};
const sample = (text: string, name: string, labels = '') => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/metrics', () => {
  it('counts requests and latency per route template and status, never per raw URL', async () => {
    const s = await signUp(t, undefined);
    await t.app.inject({ method: 'DELETE', url: '/api/v1/api-keys/987654', headers: s.bearer });
    await t.app.inject({ method: 'GET', url: '/no/such/thing/42', remoteAddress: '192.0.2.5' });
    const text = await scrape();
    expect(sample(text, 'http_requests_total', '{method="POST",route="/api/v1/auth/register",status_code="201"}')).toBe(1);
    expect(sample(text, 'http_requests_total', '{method="DELETE",route="/api/v1/api-keys/:id",status_code="404"}')).toBe(1);
    expect(sample(text, 'http_requests_total', '{method="GET",route="unmatched",status_code="404"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('987654');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/auth/login",status_code="200"}');
    expect(sample(text, 'http_request_duration_seconds_count', '{method="POST",route="/api/v1/auth/login",status_code="200"}')).toBe(1);
  });

  it("exposes seed 001's metrics, ready for the prediction modules", async () => {
    t.app.metrics.predictionRequests.inc({ endpoint: '/predict/player', status: '200' });
    t.app.metrics.predictionLatency.observe({ endpoint: '/predict/player' }, 0.08);
    t.app.metrics.modelInferenceErrors.inc({ model: 'tier1' });
    const text = await scrape();
    expect(text).toContain('# TYPE prediction_requests_total counter');
    expect(sample(text, 'prediction_requests_total', '{endpoint="/predict/player",status="200"}')).toBe(1);
    expect(sample(text, 'prediction_latency_seconds_bucket', '{le="0.1",endpoint="/predict/player"}')).toBe(1);
    expect(sample(text, 'prediction_latency_seconds_bucket', '{le="0.05",endpoint="/predict/player"}')).toBe(0);
    expect(sample(text, 'model_inference_errors', '{model="tier1"}')).toBe(1);
  });

  it('reports the cache hit rate, job queue depth, database pool and process metrics', async () => {
    await t.app.cache.set('model:tier1:metadata', { v: 1 }, 60);
    await t.app.cache.get('model:tier1:metadata');
    await t.app.cache.get('model:tier2:metadata');
    const stats = t.app.cache.stats();
    const text = await scrape();
    expect(sample(text, 'cache_hit_rate')).toBeCloseTo(stats.hitRate, 10);
    expect(stats.hitRate).toBeGreaterThan(0);
    expect(text).toContain('# TYPE job_queue_depth gauge');
    expect(sample(text, 'db_pool_connections', '{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections', '{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'db_pool_connections', '{state="waiting"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('counts 429 refusals by caller tier, and is never itself refused', async () => {
    for (let i = 0; i < 4; i++) await t.app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '192.0.2.77' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.77' });
    expect(res.statusCode).toBe(200);
    expect(sample(res.body, 'rate_limit_refusals_total', '{tier="anonymous"}')).toBe(2);
  });
});

describe('logs', () => {
  it('are JSON with request ids and never contain passwords, tokens or keys', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const { database, cleanup } = await createTestDatabase();
    const clock = fixedClock('2024-03-15T12:00:00Z');
    const config = loadConfig({ RATE_LIMIT_ENABLED: 'false' }, { logLevel: 'info', jwtSecret: 'k'.repeat(40) });
    const jobs = createJobEngine(database, clock);
    const app = await buildApp({ config, database, jobs, clock, logger: { stream } });
    try {
      const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'req-abc-1', authorization: 'Bearer secret-token-value' } });
      expect(res.statusCode).toBe(401);
      app.log.info({ password: 'hunter2hunter2', access_token: 'eyJhbGciOi.x.y', body: { refresh_token: 'rt_abc', key: 'shl_k' }, headers: { authorization: 'Bearer z', 'x-api-key': 'shl_q' } }, 'probe');
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(parsed.some((l) => l.reqId === 'req-abc-1')).toBe(true);
      const all = lines.join('\n');
      for (const secret of ['hunter2hunter2', 'eyJhbGciOi', 'rt_abc', 'shl_k', 'shl_q', 'Bearer z', 'secret-token-value']) expect(all).not.toContain(secret);
      expect(all).toContain('[redacted]');
    } finally {
      await app.close();
      await jobs.stop();
      await cleanup();
    }
  });
});

describe('/health and the database', () => {
  it.runIf(process.env.TEST_DATABASE_URL)('turns 503 when PostgreSQL is unreachable and back to 200 when it returns, without a restart', async () => {
    const { url, cleanup } = await createTestDatabase();
    const target = new URL(url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const database = await openDatabase({ url: viaProxy.toString(), poolMax: 3 });
    const clock = fixedClock('2024-03-15T12:00:00Z');
    const jobs = createJobEngine(database, clock);
    const app = await buildApp({ config: loadConfig({}, { logLevel: 'silent', jwtSecret: 'k'.repeat(40), healthProbeMaxAgeMs: 0 }), database, jobs, clock, logger: false });
    const health = () => app.inject({ method: 'GET', url: '/health' });
    try {
      expect((await health()).statusCode).toBe(200);
      await proxy.stop();
      const down = await health();
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'unhealthy', database_connected: false, failing: ['database'] });
      // requests that need the database fail in the error shape, without leaking driver text
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.com', password: 'whatever password' } });
      expect(login.statusCode).toBeGreaterThanOrEqual(500);
      expect(login.json()).toMatchObject({ error: expect.stringMatching(/InternalError|ServiceUnavailable/) });
      expect(login.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|pg|connect/i);
      await proxy.start();
      const up = await health();
      expect(up.statusCode).toBe(200);
      expect(up.json()).toMatchObject({ status: 'healthy', database_connected: true, error_streak: 0 });
    } finally {
      await app.close();
      await jobs.stop();
      await database.close();
      await proxy.stop();
      await cleanup();
    }
  });
});

describe('HttpTally', () => {
  it('exposes cumulative buckets, sum and count per method, route and status, as prom-client would', async () => {
    const registry = new Registry();
    const tally = new HttpTally();
    registry.registerMetric(tally.requestsMetric() as never);
    registry.registerMetric(tally.durationMetric() as never);
    for (const s of [0.0004, 0.001, 0.003, 0.2, 12]) tally.record('GET', '/x/:id', 200, s);
    tally.record('GET', '/x/:id', 404, 0.002);
    const text = await registry.metrics();
    const value = (line: string) => Number(text.split('\n').find((l) => l.startsWith(line + ' '))?.split(' ').pop());
    const labels = 'method="GET",route="/x/:id",status_code="200"';
    expect(value(`http_requests_total{${labels}}`)).toBe(5);
    expect(value(`http_requests_total{method="GET",route="/x/:id",status_code="404"}`)).toBe(1);
    // A value on a bound falls in that bucket (le is "less than or equal").
    expect(value(`http_request_duration_seconds_bucket{le="0.001",${labels}}`)).toBe(2);
    expect(value(`http_request_duration_seconds_bucket{le="0.005",${labels}}`)).toBe(3);
    expect(value(`http_request_duration_seconds_bucket{le="0.25",${labels}}`)).toBe(4);
    expect(value(`http_request_duration_seconds_bucket{le="10",${labels}}`)).toBe(4);
    expect(value(`http_request_duration_seconds_bucket{le="+Inf",${labels}}`)).toBe(5);
    expect(value(`http_request_duration_seconds_sum{${labels}}`)).toBeCloseTo(12.2044, 6);
    expect(value(`http_request_duration_seconds_count{${labels}}`)).toBe(5);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });
});
