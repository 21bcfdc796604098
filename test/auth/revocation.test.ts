// Sign-out holds where the deny-list cache cannot vouch for it: with Redis unreachable (the
// look-up fails and reads as "absent"), and across API instances on PostgreSQL without Redis
// (each keeps its own in-process list). The database, the record of revocation, answers then.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { RECHECK_SECONDS } from '../../src/platform/auth/sessions.js';
import { createJobEngine } from '../../src/platform/jobs.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { deadPort } from '../helpers/tcp-proxy.js';
import { usingPostgres } from '../helpers/db.js';
import { signIn, signUp, uniqueEmail } from './helpers.js';


const me = (app: TestApp['app'], bearer: Record<string, string>) => app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });

describe('signed-out sessions when the deny list cannot vouch', () => {
  it('with Redis unreachable, a signed-out access token is refused and a live one still works', async () => {
    const t = await createTestApp({ config: { redisUrl: `redis://127.0.0.1:${await deadPort()}` } });
    try {
      const email = uniqueEmail();
      const out = await signUp(t, email);
      const kept = await signIn(t, email);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: out.bearer })).statusCode).toBe(200);
      const refused = await me(t.app, out.bearer);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().message).toMatch(/signed out/i);
      expect((await me(t.app, kept.bearer)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!usingPostgres)('two instances on PostgreSQL without Redis: signed out on one, refused on the other', async () => {
    const a = await createTestApp({ config: { redisUrl: null } });
    const jobsB = createJobEngine(a.database, a.clock);
    const b = await buildApp({ config: a.config, database: a.database, jobs: jobsB, clock: a.clock, logger: false });
    try {
      const email = uniqueEmail();
      const out = await signUp(a, email);
      const kept = await signIn(a, email);
      expect((await me(b, out.bearer)).statusCode).toBe(200);
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: out.bearer })).statusCode).toBe(200);
      // At once on the instance that signed out; on the other within RECHECK_SECONDS (B checked this session a moment ago).
      expect((await me(a.app, out.bearer)).statusCode).toBe(401);
      a.clock.set(new Date(a.clock.now().getTime() + RECHECK_SECONDS * 1000));
      expect((await me(b, out.bearer)).statusCode).toBe(401);
      expect((await me(b, kept.bearer)).statusCode).toBe(200);
    } finally {
      await b.close();
      await jobsB.stop();
      await a.close();
    }
  });
});
