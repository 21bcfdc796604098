// Rate limits through the public surface. Windows are aligned to the app's clock, so each
// test starts on a day of its own and moves time instead of sleeping.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { deadPort } from '../helpers/tcp-proxy.js';
import { expectErrorShape, signUp, type Session } from '../auth/helpers.js';

const limits = loadConfig({
  RATE_LIMIT_ANONYMOUS: '5/1s,8/1m',
  RATE_LIMIT_USER: '4/1s,100/1m',
  RATE_LIMIT_API_KEY: '2/1s,3/1m,10/1h',
  RATE_LIMIT_ROUTES: 'auth.register=2/1m;auth.login=50/1m',
}).rateLimit;

let t: TestApp;
let hour = 0;
/** Put the clock at the start of an hour no other test uses: every window starts empty. */
function freshWindows(): number {
  hour += 1;
  const at = Date.UTC(2024, 4, 1, hour, 0, 0);
  t.clock.set(new Date(at));
  return at;
}
const later = (at: number, ms: number) => t.clock.set(new Date(at + ms));

beforeAll(async () => {
  // Sessions outlive the hours the tests jump through.
  t = await createTestApp({ config: { rateLimit: limits, accessTokenTtlSeconds: 86_400 } });
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, opts: { headers?: Record<string, string>; ip?: string } = {}) =>
  t.app.inject({ method: 'GET', url, headers: opts.headers ?? {}, remoteAddress: opts.ip ?? '192.0.2.10' });

describe('anonymous callers (per IP)', () => {
  it('puts X-RateLimit-Limit/Remaining/Reset and the policy on every response, errors included', async () => {
    const at = freshWindows();
    const ok = await get('/openapi.json');
    expect(ok.statusCode).toBe(200);
    // binding window: the burst (5/s) has the fewest requests left
    expect(ok.headers['x-ratelimit-limit']).toBe('5');
    expect(ok.headers['x-ratelimit-remaining']).toBe('4');
    expect(ok.headers['x-ratelimit-reset']).toBe(String(at / 1000 + 1));
    expect(ok.headers['x-ratelimit-policy']).toBe('5;w=1, 8;w=60');
    const missing = await get('/api/v1/no-such-route');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-ratelimit-remaining']).toBe('3');
  });

  it('answers 429 with Retry-After in the error shape past the limit, and resets when the window does', async () => {
    const at = freshWindows();
    for (let i = 0; i < 5; i++) expect((await get('/openapi.json')).statusCode).toBe(200);
    const refused = await get('/openapi.json');
    expect(refused.statusCode).toBe(429);
    expectErrorShape(refused.json(), 'TooManyRequests');
    expect(refused.json().details).toMatchObject({ limit: 5, window_seconds: 1, retry_after_seconds: 1 });
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');

    later(at, 1_000); // next second: burst window reset, minute window has 6 (refusals count)
    const again = await get('/openapi.json');
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-ratelimit-limit']).toBe('8');
    expect(again.headers['x-ratelimit-remaining']).toBe('1');
    expect((await get('/openapi.json')).statusCode).toBe(200);
    const minute = await get('/openapi.json');
    expect(minute.statusCode).toBe(429);
    expect(minute.headers['retry-after']).toBe('59');
    expect(minute.headers['x-ratelimit-reset']).toBe(String(at / 1000 + 60));

    later(at, 60_000);
    expect((await get('/openapi.json')).statusCode).toBe(200);
  });

  it('counts each IP separately', async () => {
    freshWindows();
    for (let i = 0; i < 5; i++) await get('/openapi.json', { ip: '198.51.100.1' });
    expect((await get('/openapi.json', { ip: '198.51.100.1' })).statusCode).toBe(429);
    expect((await get('/openapi.json', { ip: '198.51.100.2' })).statusCode).toBe(200);
  });

  it('counts requests with bad credentials against the IP (no free guessing), then refuses with 429', async () => {
    freshWindows();
    for (let i = 0; i < 5; i++) {
      const res = await get('/openapi.json', { headers: { 'x-api-key': `shl_guess${i}xx_${'a'.repeat(43)}` } });
      expect(res.statusCode).toBe(401);
    }
    expect((await get('/openapi.json', { headers: { 'x-api-key': `shl_guessxxx_${'b'.repeat(43)}` } })).statusCode).toBe(429);
  });

  it('never refuses, counts or even looks up health checks and metrics scrapes', async () => {
    freshWindows();
    for (let i = 0; i < 4; i++) await get('/openapi.json');
    // Exempt routes skip the limiter: no counter read, so no budget headers either.
    for (let i = 0; i < 10; i++) {
      for (const url of ['/health', '/api/health', '/metrics']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['x-ratelimit-remaining'], url).toBeUndefined();
      }
    }
    // Thirty probes later the IP has exactly the one request left it had before them.
    const next = await get('/openapi.json');
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-ratelimit-remaining']).toBe('0');
    expect((await get('/openapi.json')).statusCode).toBe(429);
    expect((await get('/health')).statusCode).toBe(200);
  });
});

describe('signed-in callers', () => {
  let user: Session;
  let keyA: string;
  let keyB: string;
  beforeAll(async () => {
    freshWindows();
    user = await signUp(t);
    const mk = async () => {
      freshWindows();
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: user.bearer, payload: { name: 'k' } });
      return res.json().key as string;
    };
    keyA = await mk();
    keyB = await mk();
  });

  it('limits each API key by burst, minute and hour (seed 001), independently of its IP', async () => {
    const at = freshWindows();
    const withKey = (key: string) => get('/api/v1/auth/me', { headers: { 'x-api-key': key } });
    const first = await withKey(keyA);
    expect(first.headers['x-ratelimit-policy']).toBe('2;w=1, 3;w=60, 10;w=3600');
    expect((await withKey(keyA)).statusCode).toBe(200);
    expect((await withKey(keyA)).statusCode).toBe(429);
    expect((await withKey(keyB)).statusCode).toBe(200); // another key, same IP
    later(at, 1_000);
    expect((await withKey(keyA)).statusCode).toBe(429); // minute: 4 of 3
    later(at, 60_000);
    const next = await withKey(keyA);
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-ratelimit-remaining']).toBe('1');
    // five of the hour's ten are spent (refusals count); one a minute uses up the rest
    for (let m = 2; m <= 6; m++) {
      later(at, m * 60_000);
      expect((await withKey(keyA)).statusCode).toBe(200);
    }
    later(at, 7 * 60_000);
    const hour = await withKey(keyA);
    expect(hour.statusCode).toBe(429);
    expect(hour.headers['x-ratelimit-limit']).toBe('10');
    expect(Number(hour.headers['retry-after'])).toBe(3600 - 7 * 60);
  });

  it('keeps an API key working when its IP is exhausted for anonymous callers', async () => {
    freshWindows();
    for (let i = 0; i < 6; i++) await get('/openapi.json');
    expect((await get('/openapi.json')).statusCode).toBe(429);
    expect((await get('/api/v1/auth/me', { headers: { 'x-api-key': keyB } })).statusCode).toBe(200);
  });

  it('limits a signed-in user by the user tier', async () => {
    freshWindows();
    for (let i = 0; i < 4; i++) expect((await get('/api/v1/auth/me', { headers: user.bearer })).statusCode).toBe(200);
    const res = await get('/api/v1/auth/me', { headers: user.bearer });
    expect(res.statusCode).toBe(429);
    expect(res.headers['x-ratelimit-limit']).toBe('4');
  });
});

describe('per-route policies', () => {
  it("applies a route's own limit on top of the caller's (sign-ups: 2 a minute here)", async () => {
    freshWindows();
    const register = (n: number) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: `rl${n}.${randomInt(1e9)}@example.com`, password: 'correct horse battery' }, remoteAddress: '203.0.113.50' });
    expect((await register(1)).statusCode).toBe(201);
    const second = await register(2);
    expect(second.statusCode).toBe(201);
    expect(second.headers['x-ratelimit-policy']).toBe('5;w=1, 8;w=60, 2;w=60');
    const third = await register(3);
    expect(third.statusCode).toBe(429);
    expect(third.json().details).toMatchObject({ limit: 2, window_seconds: 60 });
    // other routes are still open to this IP
    expect((await get('/openapi.json', { ip: '203.0.113.50' })).statusCode).toBe(200);
  });

  it('ships seed 004 analysis policies and lets RATE_LIMIT_ROUTES override or add them', () => {
    const defaults = loadConfig({}).rateLimit;
    expect(defaults.routes['analysis.start']).toEqual({ max: 1, windowSeconds: 30 });
    expect(defaults.routes['analysis.progress']).toEqual({ max: 10, windowSeconds: 60 });
    expect(defaults.routes['analysis.results']).toEqual({ max: 30, windowSeconds: 60 });
    expect(defaults.apiKey).toEqual([
      { max: 20, windowSeconds: 1 },
      { max: 100, windowSeconds: 60 },
      { max: 1000, windowSeconds: 3600 },
    ]);
    const custom = loadConfig({ RATE_LIMIT_ROUTES: 'analysis.start=2/1m; exports.csv=5/1h' }).rateLimit.routes;
    expect(custom['analysis.start']).toEqual({ max: 2, windowSeconds: 60 });
    expect(custom['exports.csv']).toEqual({ max: 5, windowSeconds: 3600 });
    for (const bad of ['0/1s', '10', '10/1w', 'ten/1m']) expect(() => loadConfig({ RATE_LIMIT_USER: bad }), bad).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_ROUTES: 'oops' })).toThrow(ConfigError);
  });
});


describe('with Redis', () => {
  it('still limits (per instance) and answers when Redis is unreachable', async () => {
    const port = await deadPort();
    const lone = await createTestApp({ config: { rateLimit: limits, redisUrl: `redis://127.0.0.1:${port}` } });
    try {
      for (let i = 0; i < 5; i++) expect((await lone.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
      expect((await lone.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(429);
    } finally {
      await lone.close();
    }
  });

  const redisUrl = process.env.TEST_REDIS_URL;
  it.runIf(redisUrl)('shares one limit between two app instances over one Redis', async () => {
    const shared = loadConfig({ RATE_LIMIT_ANONYMOUS: '100/1s,3/1m' }).rateLimit;
    const a = await createTestApp({ now: '2024-06-01T12:00:00Z', config: { rateLimit: shared, redisUrl: redisUrl! } });
    const b = await createTestApp({ now: '2024-06-01T12:00:00Z', config: { rateLimit: shared, redisUrl: redisUrl! } });
    // An address no other run uses, so counters left in Redis by earlier runs cannot interfere.
    const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const hit = (x: TestApp) => x.app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: ip });
    try {
      expect((await hit(a)).headers['x-ratelimit-remaining']).toBe('2');
      expect((await hit(b)).headers['x-ratelimit-remaining']).toBe('1');
      expect((await hit(a)).statusCode).toBe(200);
      const refused = await hit(b);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['x-ratelimit-reset']).toBe(String(Date.parse('2024-06-01T12:01:00Z') / 1000));
      a.clock.set('2024-06-01T12:01:00Z');
      b.clock.set('2024-06-01T12:01:00Z');
      expect((await hit(b)).statusCode).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
