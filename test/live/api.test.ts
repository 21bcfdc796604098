// Live tracking REST: teams, players, matches, lineups, clock, events with versions,
// the derived score, and who may write (owner, collaborators) or not (strangers, share tokens).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, matches, seasons } from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp, uniqueEmail } from '../auth/helpers.js';
import { call, goal, ok, setupMatch, type LiveMatchSetup } from './helpers.js';

let t: TestApp;
let m: LiveMatchSetup;
beforeAll(async () => {
  t = await createTestApp({ config: { accessTokenTtlSeconds: 86_400 } });
  m = await setupMatch(t);
});
afterAll(() => t.close());

describe('teams, players, matches', () => {
  it('creates user-owned matches in the grassroots competition and lists only your own', async () => {
    const match = await ok<Record<string, unknown>>(call(t, m.owner, 'GET', `/api/v1/live/matches/${m.matchId}`));
    expect(match).toMatchObject({ id: m.matchId, access: 'owner', home: { name: 'Riverside U11' }, away: { name: 'Hillcrest U11', short_name: 'HIL' }, score: { home: 0, away: 0 }, clock: { phase: 'scheduled', running: false }, version: 'v1' });
    const [row] = await t.database.db
      .select({ code: competitions.code, season: seasons.name, owner: matches.ownerUserId })
      .from(matches).innerJoin(competitions, eq(competitions.id, matches.competitionId)).innerJoin(seasons, eq(seasons.id, matches.seasonId))
      .where(eq(matches.id, m.matchId));
    expect(row).toEqual({ code: 'grassroots', season: '2024', owner: m.owner.userId });
    // The grassroots container is not listed with the public competitions.
    const comps = (await t.app.inject({ method: 'GET', url: '/api/v1/competitions?page_size=100' })).json() as { items: { code: string }[]; total: number };
    expect(comps.items.map((c) => c.code)).not.toContain('grassroots');
    expect(comps.total).toBe(comps.items.length);
    const other = await signUp(t);
    const list = await ok<{ total: number }>(call(t, other, 'GET', '/api/v1/live/matches'));
    expect(list.total).toBe(0);
    const mine = await ok<{ total: number; items: { id: number }[] }>(call(t, m.owner, 'GET', '/api/v1/live/matches'));
    expect(mine.items.map((i) => i.id)).toContain(m.matchId);
  });

  it('edits teams and players, refuses a team playing itself and other users\u2019 teams', async () => {
    const teams = await ok<{ items: { id: number; name: string }[] }>(call(t, m.owner, 'GET', '/api/v1/live/teams'));
    const [a] = teams.items;
    const renamed = await ok<{ name: string }>(call(t, m.owner, 'PATCH', `/api/v1/live/teams/${a!.id}`, { name: 'Riverside Reds' }));
    expect(renamed.name).toBe('Riverside Reds');
    const p = await ok<{ name: string; shirt_number: number }>(call(t, m.owner, 'PATCH', `/api/v1/live/players/${m.homePlayers[0]}`, { shirt_number: 10 }));
    expect(p).toMatchObject({ name: 'Amy Jones', shirt_number: 10 });
    expect((await call(t, m.owner, 'POST', '/api/v1/live/matches', { home_team_id: a!.id, away_team_id: a!.id })).status).toBe(400);
    const other = await signUp(t);
    expect((await call(t, other, 'POST', '/api/v1/live/matches', { home_team_id: a!.id, away_team_id: teams.items[1]!.id })).status).toBe(404);
    expect((await call(t, other, 'PATCH', `/api/v1/live/players/${m.homePlayers[0]}`, { name: 'X' })).status).toBe(404);
    expect((await call(t, m.owner, 'DELETE', `/api/v1/live/teams/${a!.id}`)).status).toBe(409);
  });

  it('sets a lineup from both teams only', async () => {
    const lineup = await ok<{ items: { name: string; role: string }[] }>(call(t, m.owner, 'PUT', `/api/v1/live/matches/${m.matchId}/lineup`, {
      players: [{ player_id: m.homePlayers[0], role: 'starter' }, { player_id: m.awayPlayers[1], role: 'bench' }],
    }));
    expect(lineup.items.map((i) => [i.name, i.role])).toEqual([['Amy Jones', 'starter'], ['Dev Patel', 'bench']]);
    const s2 = await setupMatch(t, m.owner);
    expect((await call(t, m.owner, 'PUT', `/api/v1/live/matches/${m.matchId}/lineup`, { players: [{ player_id: s2.homePlayers[0], role: 'starter' }] })).status).toBe(400);
  });
});

describe('events and score', () => {
  it('logs events idempotently, derives the score, edits with versions and soft-deletes', async () => {
    const s = await setupMatch(t, m.owner);
    const url = `/api/v1/live/matches/${s.matchId}`;
    const g1 = goal('home', s.homePlayers[0], 12);
    const first = await ok<{ seq: number; v: number; player: string }>(call(t, s.owner, 'POST', `${url}/events`, g1), 201);
    expect(first).toMatchObject({ v: 1, player: 'Amy Jones', kind: 'goal' });
    // The same client UUID again (a retry after a lost response) changes nothing.
    const again = await call(t, s.owner, 'POST', `${url}/events`, g1);
    expect(again.status).toBe(200);
    expect(again.body.seq).toBe(first.seq);
    await ok(call(t, s.owner, 'POST', `${url}/events`, { id: randomUUID(), kind: 'own_goal', side: 'home', player_id: s.homePlayers[1], minute: 30 }), 201);
    await ok(call(t, s.owner, 'POST', `${url}/events`, { id: randomUUID(), kind: 'yellow_card', side: 'away', player_id: s.awayPlayers[0], minute: 31 }), 201);
    expect(await ok(call(t, s.owner, 'GET', `${url}/score`))).toMatchObject({ home: 1, away: 1 });

    const edited = await ok<{ v: number; minute: number }>(call(t, s.owner, 'PATCH', `/api/v1/live/events/${g1.id}`, { version: 1, minute: 13 }));
    expect(edited).toMatchObject({ v: 2, minute: 13 });
    const stale = await call(t, s.owner, 'PATCH', `/api/v1/live/events/${g1.id}`, { version: 1, minute: 14 });
    expect(stale.status).toBe(409);
    expect((await call(t, s.owner, 'POST', `${url}/events`, { id: randomUUID(), kind: 'goal', side: 'home', player_id: m.homePlayers[0] })).status).toBe(400);

    const del = await ok<{ deleted: boolean; seq: number }>(call(t, s.owner, 'DELETE', `/api/v1/live/events/${g1.id}?version=2`));
    expect(del.deleted).toBe(true);
    expect(await ok(call(t, s.owner, 'GET', `${url}/score`))).toMatchObject({ home: 0, away: 1 });
    const live = await ok<{ total: number }>(call(t, s.owner, 'GET', `${url}/events`));
    expect(live.total).toBe(2);
    // Since a sequence: every change after it, the deletion included.
    const changes = await ok<{ items: { id: string; deleted?: boolean }[] }>(call(t, s.owner, 'GET', `${url}/events?since_seq=${first.seq}`));
    expect(changes.items.find((e) => e.id === g1.id)?.deleted).toBe(true);
    const paged = await ok<{ items: unknown[]; total: number; page_size: number }>(call(t, s.owner, 'GET', `${url}/events?page_size=1&page=2`));
    expect(paged).toMatchObject({ total: 2, page_size: 1 });
    expect(paged.items).toHaveLength(1);
  });

  it('gives a plain event (one statement) the same sequence, minute and period rules as a goal (full transaction)', async () => {
    const s = await setupMatch(t, m.owner);
    const url = `/api/v1/live/matches/${s.matchId}`;
    const before = await ok<Record<string, unknown>>(call(t, s.owner, 'POST', `${url}/events`, { id: randomUUID(), kind: 'foul', side: 'home', note: 'early' }), 201);
    expect(before).toEqual({ id: expect.any(String), seq: 1, v: 1, kind: 'foul', side: 'home', note: 'early', version: 'v1' });
    await ok(call(t, s.owner, 'POST', `${url}/clock`, { phase: 'first_half' }));
    t.clock.set('2024-03-15T12:07:30Z');
    const plain = await ok<Record<string, unknown>>(call(t, s.owner, 'POST', `${url}/events`, { id: randomUUID(), kind: 'tackle', side: 'away' }), 201);
    const scored = await ok<Record<string, unknown>>(call(t, s.owner, 'POST', `${url}/events`, goal('home')), 201);
    expect(plain).toMatchObject({ seq: 3, minute: 8, period: 'first_half' });
    expect(scored).toMatchObject({ seq: 4, minute: 8, period: 'first_half' });
    const given = { id: randomUUID(), kind: 'free_kick', side: 'home', minute: 0, period: 'first_half' };
    expect(await ok(call(t, s.owner, 'POST', `${url}/events`, given), 201)).toMatchObject({ seq: 6, minute: 0, period: 'first_half' });
    // A replay answers the stored event and takes no sequence.
    const replay = await call(t, s.owner, 'POST', `${url}/events`, given);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: given.id, seq: 6, minute: 0 });
    const listed = await ok<{ items: Record<string, unknown>[] }>(call(t, s.owner, 'GET', `${url}/events?since_seq=0`));
    expect(listed.items.map((e) => [e.kind, e.seq])).toEqual([['foul', 1], ['tackle', 3], ['goal', 4], ['free_kick', 6]]);
    expect(await ok(call(t, s.owner, 'GET', `${url}/score`))).toMatchObject({ home: 1, away: 0 });
    t.clock.set('2024-03-15T12:00:00Z');
  });

  it('runs the match clock through its phases with pause and resume', async () => {
    const s = await setupMatch(t, m.owner);
    const url = `/api/v1/live/matches/${s.matchId}/clock`;
    expect((await call(t, s.owner, 'POST', url, { phase: 'second_half' })).status).toBe(422);
    await ok(call(t, s.owner, 'POST', url, { phase: 'first_half' }));
    t.clock.set('2024-03-15T12:10:00Z');
    const paused = await ok<{ elapsed_ms: number; paused: boolean; running: boolean }>(call(t, s.owner, 'POST', url, { pause: true }));
    expect(paused).toMatchObject({ elapsed_ms: 600_000, paused: true, running: false });
    t.clock.set('2024-03-15T12:15:00Z');
    await ok(call(t, s.owner, 'POST', url, { pause: false }));
    t.clock.set('2024-03-15T12:20:00Z');
    // 10 minutes before the pause + 5 after it; the 5 paused minutes do not count.
    const goalNow = await ok<{ minute: number; period: string }>(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/events`, goal('away')), 201);
    expect(goalNow).toMatchObject({ minute: 16, period: 'first_half' });
    await ok(call(t, s.owner, 'POST', url, { phase: 'half_time' }));
    const second = await ok<{ elapsed_ms: number; phase: string }>(call(t, s.owner, 'POST', url, { phase: 'second_half' }));
    expect(second).toMatchObject({ phase: 'second_half', elapsed_ms: 45 * 60_000 });
    await ok(call(t, s.owner, 'POST', url, { phase: 'full_time' }));
    const [row] = await t.database.db.select({ status: matches.status, home: matches.homeScore, away: matches.awayScore }).from(matches).where(eq(matches.id, s.matchId));
    expect(row).toEqual({ status: 'final', home: 0, away: 1 });
    t.clock.set('2024-03-15T12:00:00Z');
  });
});

describe('authorisation', () => {
  it('lets collaborators write, strangers neither read nor write, and share tokens never write', async () => {
    const s = await setupMatch(t, m.owner);
    const url = `/api/v1/live/matches/${s.matchId}`;
    const stranger = await signUp(t);
    expect((await call(t, stranger, 'GET', url)).status).toBe(404);
    expect((await call(t, stranger, 'POST', `${url}/events`, goal('home'))).status).toBe(404);
    // A plain event (the one-statement create) is refused the same way, and writes nothing.
    expect((await call(t, stranger, 'POST', `${url}/events`, { id: randomUUID(), kind: 'foul', side: 'home' })).status).toBe(404);
    expect((await call(t, stranger, 'POST', `/api/v1/live/matches/999999/events`, { id: randomUUID(), kind: 'foul', side: 'home' })).status).toBe(404);
    expect((await ok<{ total: number }>(call(t, s.owner, 'GET', `${url}/events`))).total).toBe(0);
    expect((await call(t, null, 'POST', `${url}/events`, goal('home'))).status).toBe(401);
    const ev = await ok<{ id: string }>(call(t, s.owner, 'POST', `${url}/events`, goal('home')), 201);
    expect((await call(t, stranger, 'PATCH', `/api/v1/live/events/${ev.id}`, { version: 1, minute: 3 })).status).toBe(404);
    expect((await call(t, stranger, 'DELETE', `/api/v1/live/events/${ev.id}`)).status).toBe(404);

    const email = uniqueEmail('coach');
    const coach = await signUp(t, email);
    expect((await call(t, s.owner, 'POST', `${url}/collaborators`, { email: uniqueEmail('nobody') })).status).toBe(404);
    await ok(call(t, s.owner, 'POST', `${url}/collaborators`, { email: email.toUpperCase() }), 201);
    await ok(call(t, coach, 'POST', `${url}/events`, goal('away')), 201);
    await ok(call(t, coach, 'POST', `${url}/events`, { id: randomUUID(), kind: 'tackle', side: 'away' }), 201);
    // Collaborators log events but do not manage the match.
    expect((await call(t, coach, 'DELETE', url)).status).toBe(403);
    expect((await call(t, coach, 'POST', `${url}/shares`, {})).status).toBe(403);

    const share = await ok<{ token: string; url: string }>(call(t, s.owner, 'POST', `${url}/shares`, { label: 'Grandparents' }), 201);
    expect(share.url).toBe(`/live/${share.token}`);
    const withShare = await t.app.inject({ method: 'POST', url: `${url}/events`, headers: { authorization: `Bearer ${share.token}` }, payload: goal('home') });
    expect(withShare.statusCode).toBe(401);
    const viaQuery = await t.app.inject({ method: 'POST', url: `${url}/events?token=${share.token}`, payload: goal('home') });
    expect(viaQuery.statusCode).toBe(401);
    expect((await ok<{ home: number; away: number }>(call(t, s.owner, 'GET', `${url}/score`)))).toMatchObject({ home: 1, away: 1 });

    const shares = await ok<{ items: Record<string, unknown>[] }>(call(t, s.owner, 'GET', `${url}/shares`));
    expect(shares.items).toHaveLength(1);
    expect(JSON.stringify(shares.items)).not.toContain(share.token);
  });

  it('serves the live page for valid links only: expired and revoked links are refused', async () => {
    const s = await setupMatch(t, m.owner);
    const url = `/api/v1/live/matches/${s.matchId}/shares`;
    const live = await ok<{ token: string; id: number }>(call(t, s.owner, 'POST', url, {}), 201);
    const expiring = await ok<{ token: string }>(call(t, s.owner, 'POST', url, { expires_in_hours: 2 }), 201);
    const page = await t.app.inject({ method: 'GET', url: `/live/${live.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Riverside U11 v Hillcrest U11');
    expect(page.body.length).toBeLessThan(100_000);
    expect(page.body).not.toMatch(/@example\.com/);
    expect((await t.app.inject({ method: 'GET', url: `/live/${expiring.token}` })).statusCode).toBe(200);
    t.clock.set('2024-03-15T14:00:01Z');
    expect((await t.app.inject({ method: 'GET', url: `/live/${expiring.token}` })).statusCode).toBe(404);
    t.clock.set('2024-03-15T12:00:00Z');
    const stranger = await signUp(t);
    expect((await call(t, stranger, 'DELETE', `/api/v1/live/shares/${live.id}`)).status).toBe(404);
    await ok(call(t, s.owner, 'DELETE', `/api/v1/live/shares/${live.id}`));
    expect((await t.app.inject({ method: 'GET', url: `/live/${live.token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/live/not-a-token' })).statusCode).toBe(404);
  });
});
