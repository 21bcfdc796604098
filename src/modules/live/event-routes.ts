// Event logging, the derived score, the match clock, and offline sync. Writes need the
// owner or a collaborator; a share token is never accepted here (it is not a credential).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../platform/errors.js';
import { IdParams, Page, versionField } from '../../platform/schemas.js';
import type { LivePhase } from '../../db/schema/live.js';
import type { EventInput, LiveEvents } from './events.js';
import { op } from './routes.js';
import * as S from './schemas.js';
import type { LiveStore } from './store.js';
import type { LiveSync, SyncItem } from './sync.js';

type ConflictRow = Awaited<ReturnType<LiveSync['list']>>[number];
const conflictOut = (c: ConflictRow) => ({
  id: c.id, match_id: c.matchId, event_id: c.eventId, op: c.op, base_version: c.baseVersion, server_version: c.serverVersion,
  server: c.serverData, client: c.clientData, status: c.status, resolved_at: c.resolvedAt?.toISOString() ?? null, created_at: c.createdAt.toISOString(),
});

export async function liveEventRoutes(app: FastifyInstance, deps: { store: LiveStore; events: LiveEvents; sync: LiveSync; clock: { now(): Date } }) {
  const { store, events, sync } = deps;
  const uid = (req: { auth: { userId: number } | null }) => req.auth!.userId;
  const EventOut = Type.Object({ ...S.WireEvent.properties, ...versionField });

  app.post('/live/matches/:id/events', op(app, 'logLiveEvent', 'Log an event (idempotent by its client UUID)', { params: IdParams, body: S.EventBody, ok: EventOut, code: 201 }), async (req, reply) => {
    const { id } = req.params as IdParams;
    // Access (owner or collaborator) is checked under the match lock inside create().
    const { id: eventId, ...input } = req.body as { id: string } & EventInput;
    const r = await events.create(id, uid(req), eventId, input);
    return reply.code(r.created ? 201 : 200).send({ ...r.event, version: 'v1' });
  });
  app.get('/live/matches/:id/events', op(app, 'listLiveEvents', 'Events in match order, or every change since a sequence', { params: IdParams, querystring: S.EventListQuery, ok: Page(S.WireEvent) }), async (req) => {
    const { id } = req.params as IdParams;
    const q = req.query as S.EventListQuery;
    await store.requireAccess(id, uid(req));
    const { items, total } = await events.list(id, { ...(q.since_seq !== undefined ? { sinceSeq: q.since_seq } : {}), limit: q.page_size, offset: (q.page - 1) * q.page_size });
    return { items, total, page: q.page, page_size: q.page_size, version: 'v1' as const };
  });
  app.get('/live/matches/:id/score', op(app, 'getLiveScore', 'The score, derived from the events', { params: IdParams, ok: Type.Object({ ...S.Score.properties, last_seq: Type.Integer(), ...versionField }) }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req));
    const [score, live] = await Promise.all([events.score(id), events.liveState(id)]);
    return { ...score, last_seq: live.lastSeq, version: 'v1' as const };
  });
  app.post('/live/matches/:id/clock', op(app, 'changeLiveClock', 'Move to the next phase, or pause/resume the clock', { params: IdParams, body: S.ClockAction, ok: Type.Object({ ...S.Clock.properties, ...versionField }) }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req));
    await events.transition(id, req.body as { phase?: LivePhase; pause?: boolean });
    const snap = await events.snapshot(id);
    return { ...snap.clock, version: 'v1' as const };
  });

  async function eventMatch(eventId: string, userId: number) {
    const row = await events.eventRow(eventId);
    if (!row || (await store.access(row.matchId, userId)) === null) throw new NotFoundError('event', eventId);
    return row.matchId;
  }
  app.patch('/live/events/:id', op(app, 'updateLiveEvent', 'Edit an event; 409 when `version` is not the current one', { params: S.UuidParams, body: S.EventPatch, ok: EventOut }), async (req) => {
    const { id } = req.params as { id: string };
    const matchId = await eventMatch(id, uid(req));
    const { version, ...input } = req.body as { version: number } & Partial<EventInput>;
    const r = await events.update(matchId, uid(req), id, input, version);
    return { ...r.event, version: 'v1' as const };
  });
  app.delete('/live/events/:id', op(app, 'deleteLiveEvent', 'Delete an event (kept as a tombstone for sync)', { params: S.UuidParams, querystring: S.VersionQuery, ok: EventOut }), async (req) => {
    const { id } = req.params as { id: string };
    const matchId = await eventMatch(id, uid(req));
    const r = await events.remove(matchId, uid(req), id, (req.query as { version?: number }).version);
    return { ...r.event, version: 'v1' as const };
  });

  app.post('/sync/events', op(app, 'syncLiveEvents', 'Apply a batch of offline changes; one answer per item', { body: S.SyncBody, ok: Type.Object({ items: Type.Array(S.SyncAnswer), server_time: Type.String(), ...versionField }) }), async (req) => {
    const body = req.body as { items: SyncItem[] };
    const items = await sync.batch(uid(req), body.items);
    return { items, server_time: deps.clock.now().toISOString(), version: 'v1' as const };
  });
  app.get('/sync/timestamp', op(app, 'syncTimestamp', "The server's time, to measure the device clock's offset", { ok: Type.Object({ server_time: Type.String(), epoch_ms: Type.Integer(), ...versionField }) }), async () => {
    const now = deps.clock.now();
    return { server_time: now.toISOString(), epoch_ms: now.getTime(), version: 'v1' as const };
  });
  app.get('/sync/conflicts', op(app, 'listSyncConflicts', 'Conflicts on matches you can write to, with both versions', { querystring: S.ConflictQuery, ok: Type.Object({ items: Type.Array(S.Conflict), ...versionField }) }), async (req) =>
    ({ items: (await sync.list(uid(req), req.query as { match_id?: number; status?: string })).map(conflictOut), version: 'v1' as const }));
  app.post('/sync/conflicts', op(app, 'resolveSyncConflict', "Resolve a conflict: keep the server's version or apply the client's", { body: S.ResolveBody, ok: Type.Object({ ...S.Conflict.properties, ...versionField }) }), async (req) => {
    const b = req.body as { id: number; resolution: 'keep_server' | 'take_client' };
    return { ...conflictOut(await sync.resolve(uid(req), b.id, b.resolution)), version: 'v1' as const };
  });
}
