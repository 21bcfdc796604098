// Two app instances over one database: an event posted to one reaches a socket held by the
// other, in order — through Redis pub/sub (needs TEST_REDIS_URL), and on PostgreSQL without
// Redis through LISTEN/NOTIFY (needs TEST_DATABASE_URL).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { createJobEngine } from '../../src/platform/jobs.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { usingPostgres } from '../helpers/db.js';
import { call, goal, ok, setupMatch } from './helpers.js';
import { openSocket } from './ws-client.js';

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn('live instances test over Redis skipped: set TEST_REDIS_URL to run two instances over one Redis');
if (!usingPostgres) console.warn('live instances test over LISTEN/NOTIFY skipped: set TEST_DATABASE_URL');

describe.each([
  { transport: 'Redis pub/sub', run: Boolean(redisUrl), redis: redisUrl ?? null },
  { transport: 'PostgreSQL LISTEN/NOTIFY', run: usingPostgres, redis: null },
])('across instances, through $transport', ({ run, redis }) => {
  let a: TestApp;
  let b: App;
  let jobsB: ReturnType<typeof createJobEngine>;
  beforeAll(async () => {
    if (!run) return;
    a = await createTestApp({ config: { redisUrl: redis, accessTokenTtlSeconds: 86_400 } });
    jobsB = createJobEngine(a.database, a.clock);
    b = await buildApp({ config: a.config, database: a.database, jobs: jobsB, clock: a.clock, logger: false });
    await b.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    if (!run) return;
    await b.close();
    await jobsB.stop();
    await a.close();
  });

  it.skipIf(!run)('delivers an event written on instance A to a socket on instance B, and B to A', async () => {
    const s = await setupMatch(a);
    const link = await ok<{ token: string }>(call(a, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/shares`, {}), 201);
    const port = (b.server.address() as AddressInfo).port;
    const viewer = await openSocket(`ws://127.0.0.1:${port}/ws/match/${s.matchId}/share?token=${link.token}`);
    await viewer.waitFor((m) => m.type === 'snapshot');
    await ok(call(a, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, goal('home', s.homePlayers[0], 8)), 201);
    const score = await viewer.waitFor((m) => m.type === 'score', 'score from instance A');
    expect(score).toMatchObject({ seq: 2, score: { home: 1, away: 0 } });
    // Writes alternating between instances still arrive once each, in sequence.
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    const onA = await openSocket(`ws://127.0.0.1:${(a.app.server.address() as AddressInfo).port}/ws/match/${s.matchId}?token=${s.owner.access}`);
    await onA.waitFor((m) => m.type === 'snapshot');
    const res = await b.inject({ method: 'POST', url: `/api/v1/live/matches/${s.matchId}/events`, headers: s.owner.bearer, payload: goal('away') });
    expect(res.statusCode).toBe(201);
    await ok(call(a, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, { ...goal('away'), kind: 'save' }), 201);
    await onA.waitFor((m) => m.seq === 5, 'seq 5 on A');
    await viewer.waitFor((m) => m.seq === 5, 'seq 5 on B');
    expect(viewer.messages.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(onA.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    await viewer.close();
    await onA.close();
  });
});
