import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { lazyChildLoggerFactory } from '../../src/platform/http.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('HTTP conventions', () => {
  it('answers /health with the documented fields and echoes X-Request-Id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    const body = res.json();
    expect(body).toMatchObject({ status: 'healthy', version: 'v1', database_connected: true, error_streak: 0, last_error: null });
    expect(typeof body.uptime_seconds).toBe('number');
  });

  it('generates a request id when none (or a malformed one) is given', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps unknown routes to the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toMatchObject({ error: 'NotFound', resource: 'route' });
    expect(body.request_id).toBe(res.headers['x-request-id']);
    expect(new Date(body.timestamp).toString()).not.toBe('Invalid Date');
  });

  it('serves the OpenAPI document and security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends the API security headers on JSON and helmet\'s whole set on HTML pages', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/v1/competitions' });
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    expect(json.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(json.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(json.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(json.headers['referrer-policy']).toBe('no-referrer');
    for (const documentOnly of ['x-xss-protection', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'cross-origin-opener-policy']) {
      expect(json.headers[documentOnly], documentOnly).toBeUndefined();
    }
    for (const url of ['/docs/', '/live/no-such-share']) {
      const page = await t.app.inject({ method: 'GET', url });
      expect(String(page.headers['content-type']), url).toMatch(/text\/html/);
      expect(page.headers['x-content-type-options'], url).toBe('nosniff');
      expect(page.headers['origin-agent-cluster'], url).toBe('?1');
      expect(page.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    }
  });

  it('turns /health to 503 naming the database when it is gone', async () => {
    const other = await createTestApp();
    await other.database.close();
    const res = await other.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unhealthy', database_connected: false, failing: ['database'], error_streak: 1 });
    await other.app.close();
  });
});

describe('log hygiene', () => {
  it('hides tokens in query strings and live-page paths', async () => {
    const { redactUrlSecrets } = await import('../../src/platform/http.js');
    expect(redactUrlSecrets('/ws/match/3/share?token=abc.def&since_seq=4')).toBe('/ws/match/3/share?token=[redacted]&since_seq=4');
    expect(redactUrlSecrets('/ws/match/3?since_seq=1&access_token=xyz')).toBe('/ws/match/3?since_seq=1&access_token=[redacted]');
    expect(redactUrlSecrets('/live/s3cr3t-share?x=1')).toBe('/live/[redacted]?x=1');
    expect(redactUrlSecrets('/api/v1/matches?team=4')).toBe('/api/v1/matches?team=4');
  });
});

describe('health probe reuse', () => {
  it('asks the dependencies again only when the last answer is older than the limit', async () => {
    const { createHealthService } = await import('../../src/modules/health/routes.js');
    const { fixedClock } = await import('../../src/platform/clock.js');
    const clock = fixedClock('2024-01-01T00:00:00Z');
    let pings = 0;
    let up = true;
    const database = { kind: 'pglite', ping: async () => { pings += 1; if (!up) throw new Error('down'); } } as unknown as import('../../src/db/client.js').Database;
    const health = createHealthService({ database, clock, appVersion: 't', startedAt: clock.now(), maxProbeAgeMs: 1000 });
    expect((await health.check()).status).toBe('healthy');
    await Promise.all([health.check(), health.check()]);
    expect(pings).toBe(1);
    up = false;
    clock.set('2024-01-01T00:00:00.999Z');
    expect((await health.check()).status).toBe('healthy');
    clock.set('2024-01-01T00:00:01.000Z');
    expect((await health.check()).database_connected).toBe(false);
    expect(pings).toBe(2);
  });
});

describe('the lazy request logger', () => {
  const logged = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const root = pino({ level: 'warn', redact: { paths: ['password'], censor: '[redacted]' } }, stream);
    let children = 0;
    const parent = Object.assign(Object.create(root) as typeof root, {
      child: (b: Record<string, unknown>, o?: Record<string, unknown>) => {
        children++;
        return root.child(b, o);
      },
    });
    return { lines, parent, children: () => children };
  };

  it('makes no child for lines below the level, and one real child (bindings, redaction) for the first line written', async () => {
    const { lines, parent, children } = logged();
    const log = lazyChildLoggerFactory(parent, { reqId: 'r-1' }, {});
    log.info('incoming request');
    log.debug({ x: 1 }, 'detail');
    expect(children()).toBe(0);
    expect(log.level).toBe('warn');
    log.warn({ password: 'hunter2hunter2' }, 'odd');
    log.error('failed');
    await new Promise((r) => setImmediate(r));
    expect(children()).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.password])).toEqual([
      ['r-1', 'odd', '[redacted]'],
      ['r-1', 'failed', undefined],
    ]);
  });

  it("gives a route's own level to a real child at once, as Fastify would", () => {
    const { parent, children } = logged();
    const log = lazyChildLoggerFactory(parent, { reqId: 'r-2' }, { level: 'debug' });
    expect(children()).toBe(1);
    expect(log.level).toBe('debug');
  });
});
