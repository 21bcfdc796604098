// Offline sync: a duplicated batch changes nothing, an out-of-order batch lands the same
// as an ordered one, and two devices editing the same event from the same version give
// one applied edit and one conflict record keeping both versions; nothing is lost.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp, uniqueEmail } from '../auth/helpers.js';
import { call, ok, setupMatch, type LiveMatchSetup } from './helpers.js';

let t: TestApp;
let m: LiveMatchSetup;
beforeAll(async () => {
  t = await createTestApp({ config: { accessTokenTtlSeconds: 86_400 } });
  m = await setupMatch(t);
});
afterAll(() => t.close());

type Answer = { id: string; status: string; version?: number; conflict_id?: number; error?: string };
const sync = async (s: LiveMatchSetup['owner'], items: Record<string, unknown>[]) =>
  (await ok<{ items: Answer[]; server_time: string }>(call(t, s, 'POST', '/api/v1/sync/events', { device_id: 'phone', items }))).items;
const events = async (s: LiveMatchSetup) =>
  (await ok<{ items: { id: string; v: number; minute: number; kind: string; deleted?: boolean }[] }>(call(t, s.owner, 'GET', `/api/v1/live/matches/${s.matchId}/events?since_seq=0&page_size=500`))).items;

describe('offline sync', () => {
  it('answers the server time', async () => {
    const r = await ok<{ server_time: string; epoch_ms: number }>(call(t, m.owner, 'GET', '/api/v1/sync/timestamp'));
    expect(r).toMatchObject({ server_time: '2024-03-15T12:00:00.000Z', epoch_ms: Date.parse('2024-03-15T12:00:00Z') });
  });

  it('applies a batch once: sending it again changes nothing', async () => {
    const s = await setupMatch(t, m.owner);
    const a = randomUUID();
    const b = randomUUID();
    const batch = [
      { op: 'create', id: a, match_id: s.matchId, data: { kind: 'goal', side: 'home', minute: 4 } },
      { op: 'create', id: b, match_id: s.matchId, data: { kind: 'save', side: 'away', minute: 6 } },
      { op: 'update', id: a, match_id: s.matchId, base_version: 1, data: { minute: 5 } },
      { op: 'delete', id: b, match_id: s.matchId, base_version: 1 },
    ];
    const first = await sync(s.owner, batch);
    expect(first.map((x) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const before = await events(s);
    const lastSeq = (await ok<{ last_seq: number }>(call(t, s.owner, 'GET', `/api/v1/live/matches/${s.matchId}/score`))).last_seq;
    const second = await sync(s.owner, batch);
    expect(second.map((x) => x.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await events(s)).toEqual(before);
    const score = await ok<{ home: number; last_seq: number }>(call(t, s.owner, 'GET', `/api/v1/live/matches/${s.matchId}/score`));
    expect(score).toMatchObject({ home: 1, last_seq: lastSeq });
    const conflicts = await ok<{ items: unknown[] }>(call(t, s.owner, 'GET', `/api/v1/sync/conflicts?match_id=${s.matchId}`));
    expect(conflicts.items).toHaveLength(0);
  });

  it('lands an out-of-order batch like an ordered one', async () => {
    const s = await setupMatch(t, m.owner);
    const a = randomUUID();
    const b = randomUUID();
    const answers = await sync(s.owner, [
      { op: 'update', id: a, match_id: s.matchId, base_version: 2, data: { minute: 12 } },
      { op: 'delete', id: b, match_id: s.matchId, base_version: 1 },
      { op: 'update', id: a, match_id: s.matchId, base_version: 1, data: { minute: 11 } },
      { op: 'create', id: b, match_id: s.matchId, data: { kind: 'tackle', side: 'away', minute: 9 } },
      { op: 'create', id: a, match_id: s.matchId, data: { kind: 'goal', side: 'away', minute: 10 } },
    ]);
    expect(answers.map((x) => [x.id === a ? 'a' : 'b', x.status, x.version])).toEqual([
      ['a', 'applied', 3], ['b', 'applied', 2], ['a', 'applied', 2], ['b', 'applied', 1], ['a', 'applied', 1],
    ]);
    const evs = await events(s);
    expect(evs.find((e) => e.id === a)).toMatchObject({ minute: 12, v: 3 });
    expect(evs.find((e) => e.id === b)).toMatchObject({ deleted: true });
    // An update for an event the server never saw carries the only copy: it is kept.
    const c = randomUUID();
    const [late] = await sync(s.owner, [{ op: 'update', id: c, match_id: s.matchId, base_version: 1, data: { kind: 'foul', side: 'home', minute: 14 } }]);
    expect(late).toMatchObject({ status: 'applied', version: 1 });
  });

  it('records a conflict when two devices edit the same version, keeping both; resolving applies the choice', async () => {
    const s = await setupMatch(t, m.owner);
    const email = uniqueEmail('parent');
    const other = await signUp(t, email);
    await ok(call(t, s.owner, 'POST', `/api/v1/live/matches/${s.matchId}/collaborators`, { email }), 201);
    const id = randomUUID();
    await sync(s.owner, [{ op: 'create', id, match_id: s.matchId, data: { kind: 'goal', side: 'home', player_id: s.homePlayers[0], minute: 30 } }]);
    // Both devices saw version 1 while offline.
    const [mine] = await sync(s.owner, [{ op: 'update', id, match_id: s.matchId, base_version: 1, data: { minute: 31 } }]);
    const [theirs] = await sync(other, [{ op: 'update', id, match_id: s.matchId, base_version: 1, data: { player_id: s.homePlayers[1] } }]);
    expect(mine).toMatchObject({ status: 'applied', version: 2 });
    expect(theirs).toMatchObject({ status: 'conflict', version: 2 });
    // The same stale batch again is not a second conflict.
    const [again] = await sync(other, [{ op: 'update', id, match_id: s.matchId, base_version: 1, data: { player_id: s.homePlayers[1] } }]);
    expect(again!.conflict_id).toBe(theirs!.conflict_id);
    // A stale delete does not remove the other device's edit either.
    const [del] = await sync(other, [{ op: 'delete', id, match_id: s.matchId, base_version: 1 }]);
    expect(del!.status).toBe('conflict');

    const list = await ok<{ items: { id: number; server: Record<string, unknown>; client: Record<string, unknown>; status: string }[] }>(call(t, s.owner, 'GET', `/api/v1/sync/conflicts?match_id=${s.matchId}&status=open`));
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).toMatchObject({ id: theirs!.conflict_id, server: { minute: 31, player_id: s.homePlayers[0], version: 2 }, client: { op: 'update', player_id: s.homePlayers[1] } });
    const [ev] = (await events(s)).filter((e) => e.id === id);
    expect(ev).toMatchObject({ minute: 31, v: 2 });
    const stranger = await signUp(t);
    expect((await ok<{ items: unknown[] }>(call(t, stranger, 'GET', '/api/v1/sync/conflicts'))).items).toHaveLength(0);
    expect((await call(t, stranger, 'POST', '/api/v1/sync/conflicts', { id: theirs!.conflict_id, resolution: 'take_client' })).status).toBe(404);

    const resolved = await ok<{ status: string }>(call(t, s.owner, 'POST', '/api/v1/sync/conflicts', { id: theirs!.conflict_id, resolution: 'take_client' }));
    expect(resolved.status).toBe('took_client');
    await ok(call(t, s.owner, 'POST', '/api/v1/sync/conflicts', { id: del!.conflict_id, resolution: 'keep_server' }));
    const [final] = (await events(s)).filter((e) => e.id === id);
    // Both edits survive: the minute from one device, the scorer from the other.
    expect(final).toMatchObject({ minute: 31, player_id: s.homePlayers[1], v: 3 });
    expect(final!.deleted).toBeUndefined();
    expect((await call(t, s.owner, 'POST', '/api/v1/sync/conflicts', { id: theirs!.conflict_id, resolution: 'keep_server' })).status).toBe(409);
  });

  it('rejects items for matches the caller cannot write, per item', async () => {
    const s = await setupMatch(t, m.owner);
    const stranger = await signUp(t);
    const answers = await sync(stranger, [{ op: 'create', id: randomUUID(), match_id: s.matchId, data: { kind: 'goal', side: 'home' } }]);
    expect(answers[0]!.status).toBe('rejected');
    expect((await events(s))).toHaveLength(0);
  });
});
