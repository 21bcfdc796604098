// Seed 004's analysis limits with rate limiting on: one start per 30 s per user, with the
// X-RateLimit headers and the 429 error shape; another user is not affected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { registerAnalysisJob } from '../../src/modules/analysis/job.js';
import { signUp, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let a: Session;
let b: Session;
beforeAll(async () => {
  const limits = loadConfig({}).rateLimit;
  t = await createTestApp({ config: { rateLimit: { ...limits, enabled: true } } });
  registerAnalysisJob(t.jobs, { database: t.database, clock: t.clock, config: t.config });
  await t.jobs.start({ work: false });
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(async () => {
  await t.close();
});

describe('analysis rate limits', () => {
  it('allows one start per 30 s per user', async () => {
    const start = (s: Session) => t.app.inject({ method: 'POST', url: '/api/v1/analysis/start', headers: s.bearer, payload: {} });
    const first = await start(a);
    expect(first.statusCode).toBe(202);
    expect(first.headers['x-ratelimit-limit']).toBeDefined();
    const second = await start(a);
    expect(second.statusCode).toBe(429);
    expect(second.json()).toMatchObject({ error: 'TooManyRequests' });
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect((await start(b)).statusCode).toBe(202);
    t.clock.set(new Date(t.clock.now().getTime() + 31_000));
    expect((await start(a)).statusCode).toBe(202);
  });
});
