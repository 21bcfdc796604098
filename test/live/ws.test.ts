// Match sockets against a real listening server: snapshot on join, every change as an
// ordered message with its sequence, exact catch-up with since_seq, read-only share
// sockets with display names only, refused tokens, revoked links dropped.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../auth/helpers.js';
import { call, goal, ok, setupMatch, type LiveMatchSetup } from './helpers.js';
import { openSocket, refusedStatus, type Msg } from './ws-client.js';

let t: TestApp;
let m: LiveMatchSetup;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ config: { accessTokenTtlSeconds: 86_400 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  m = await setupMatch(t);
});
afterAll(() => t.close());

const post = (s: LiveMatchSetup, body: Record<string, unknown>) => ok<{ id: string; seq: number }>(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, body), 201);

describe('match sockets', () => {
  it('sends a snapshot on join, then each change in sequence order', async () => {
    const s = await setupMatch(t, m.owner);
    await post(s, goal('home', s.homePlayers[0], 5));
    const sock = await openSocket(`${base}/ws/match/${s.matchId}?token=${s.owner.access}`);
    const snap = await sock.waitFor((x) => x.type === 'snapshot');
    expect(snap).toMatchObject({ seq: 2, score: { home: 1, away: 0 }, match: { home: { name: 'Riverside U11' } }, clock: { phase: 'scheduled' } });
    expect(snap.events as unknown[]).toHaveLength(1);

    const sub = await post(s, { id: randomUUID(), kind: 'substitution', side: 'home', player_id: s.homePlayers[0], player_in_id: s.homePlayers[1], minute: 20 });
    const g = await post(s, goal('away', s.awayPlayers[0], 22));
    await ok(call(t, s.owner, 'PATCH', `/api/v1/live/events/${g.id}`, { version: 1, minute: 23 }));
    await ok(call(t, s.owner, 'DELETE', `/api/v1/live/events/${g.id}`));
    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/clock`, { phase: 'first_half' }));
    const last = await sock.waitFor((x) => x.type === 'period');
    const after = sock.messages.slice(1);
    expect(after.map((x) => x.type)).toEqual(['substitution', 'event_logged', 'score', 'event_updated', 'event_deleted', 'score', 'period']);
    expect(after.map((x) => x.seq)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(sub.seq).toBe(3);
    expect(after[0]).toMatchObject({ event: { player: 'Amy Jones', player_in: 'Ben Cole' } });
    expect(after[2]).toMatchObject({ score: { home: 1, away: 1 } });
    expect(after[5]).toMatchObject({ score: { home: 1, away: 0 } });
    expect(last).toMatchObject({ clock: { phase: 'first_half', running: true } });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/^live_viewers (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^live_messages_sent (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(8);
    expect(Number(/^live_fanout_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(7);
    await sock.close();
  });

  it('a client reconnecting with since_seq receives exactly the messages it missed', async () => {
    const s = await setupMatch(t, m.owner);
    const first = await openSocket(`${base}/ws/match/${s.matchId}`, s.owner.bearer);
    await first.waitFor((x) => x.type === 'snapshot');
    await post(s, goal('home'));
    const seen = await first.waitFor((x) => x.type === 'score');
    await first.close();
    // Offline: three changes happen.
    const e = await post(s, goal('away'));
    await post(s, { id: randomUUID(), kind: 'foul', side: 'home' });
    await ok(call(t, s.owner, 'DELETE', `/api/v1/live/events/${e.id}`));
    const again = await openSocket(`${base}/ws/match/${s.matchId}?token=${s.owner.access}&since_seq=${seen.seq}`);
    await again.waitFor((x) => x.seq === 7, 'seq 7');
    await post(s, goal('home'));
    await again.waitFor((x) => x.seq === 9, 'seq 9');
    expect(again.messages.map((x: Msg) => [x.seq, x.type])).toEqual([
      [3, 'event_logged'], [4, 'score'], [5, 'event_logged'], [6, 'event_deleted'], [7, 'score'], [8, 'event_logged'], [9, 'score'],
    ]);
    await again.close();
  });

  it('stores exactly the message it sent live, for a plain event and a goal alike', async () => {
    const s = await setupMatch(t, m.owner);
    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/clock`, { phase: 'first_half' }));
    const live = await openSocket(`${base}/ws/match/${s.matchId}`, s.owner.bearer);
    await live.waitFor((x) => x.type === 'snapshot');
    t.clock.set('2024-03-15T12:00:30Z');
    await post(s, { id: randomUUID(), kind: 'key_pass', side: 'home', note: 'one-two' });
    await post(s, goal('away', s.awayPlayers[0]));
    await live.waitFor((x) => x.type === 'score');
    const replayed = await openSocket(`${base}/ws/match/${s.matchId}?token=${s.owner.access}&since_seq=1`);
    await replayed.waitFor((x) => x.type === 'score');
    const sent = live.messages.slice(1);
    expect(sent.map((x) => x.type)).toEqual(['event_logged', 'event_logged', 'score']);
    expect(sent[0]).toMatchObject({ seq: 2, match_id: s.matchId, event: { kind: 'key_pass', note: 'one-two', minute: 1, period: 'first_half', seq: 2, v: 1 } });
    expect(replayed.messages).toEqual(sent);
    t.clock.set('2024-03-15T12:00:00Z');
    await live.close();
    await replayed.close();
  });

  it('share sockets are read-only, show display names only, and close when the link is revoked', async () => {
    const s = await setupMatch(t, m.owner);
    await post(s, goal('home', s.homePlayers[0], 3));
    const link = await ok<{ token: string; id: number }>(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/shares`, {}), 201);
    const viewer = await openSocket(`${base}/ws/match/${s.matchId}/share?token=${link.token}`);
    const snap = await viewer.waitFor((x) => x.type === 'snapshot');
    const text = JSON.stringify(snap);
    expect(text).toContain('Amy Jones');
    expect(text).not.toMatch(/@|email|user_id|created_by|owner/);
    // Whatever a viewer sends is not a write.
    viewer.ws.send(JSON.stringify({ type: 'event', kind: 'goal', side: 'away' }));
    await post(s, goal('away'));
    await viewer.waitFor((x) => x.type === 'score');
    expect(await ok(call(t, s.owner, 'GET', `/api/v1/live/matches/${s.matchId}/score`))).toMatchObject({ home: 1, away: 1 });

    const closed = new Promise<number>((res) => viewer.ws.once('close', (code) => res(code)));
    await ok(call(t, s.owner, 'DELETE', `/api/v1/live/shares/${link.id}`));
    expect(await closed).toBe(4401);
    expect(await refusedStatus(`${base}/ws/match/${s.matchId}/share?token=${link.token}`)).toBe(404);
  });

  it('refuses strangers, bad tokens and share tokens for another match', async () => {
    const s = await setupMatch(t, m.owner);
    const stranger = await signUp(t);
    expect(await refusedStatus(`${base}/ws/match/${s.matchId}?token=${stranger.access}`)).toBe(404);
    expect(await refusedStatus(`${base}/ws/match/${s.matchId}`)).toBe(401);
    expect(await refusedStatus(`${base}/ws/match/${s.matchId}?token=garbage`)).toBe(401);
    const link = await ok<{ token: string }>(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/shares`, {}), 201);
    // A share token is not an access token, and opens only its own match.
    expect(await refusedStatus(`${base}/ws/match/${s.matchId}?token=${link.token}`)).toBe(401);
    expect(await refusedStatus(`${base}/ws/match/${m.matchId}/share?token=${link.token}`)).toBe(404);
  });

  it('keeps a 200-event snapshot under 50 KB', async () => {
    const s = await setupMatch(t, m.owner);
    const kinds = ['goal', 'key_pass', 'save', 'tackle', 'foul', 'free_kick', 'ball_out', 'interception'];
    for (let i = 0; i < 200; i += 1) {
      const side = i % 2 ? 'home' : 'away';
      await post(s, { id: randomUUID(), kind: kinds[i % kinds.length], side, player_id: side === 'home' ? s.homePlayers[i % 2] : s.awayPlayers[i % 2], minute: Math.floor(i / 3), note: i % 10 === 0 ? 'great effort from distance' : null });
    }
    const sock = await openSocket(`${base}/ws/match/${s.matchId}?token=${s.owner.access}`);
    const snap = await sock.waitFor((x) => x.type === 'snapshot');
    expect(snap.events as unknown[]).toHaveLength(200);
    const bytes = Buffer.byteLength(JSON.stringify(snap));
    expect(bytes).toBeLessThan(50_000);
    await sock.close();
    // REST answers are compressed for clients that accept it.
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/live/matches/${s.matchId}/events?page_size=200`, headers: { ...s.owner.bearer, 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toMatch(/br|gzip/);
  }, 60_000);
});
