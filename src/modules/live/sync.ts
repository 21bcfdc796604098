// Offline sync: a device that logged events without signal sends them as one batch of
// creates, updates and deletes, each with the client's UUID and the version the edit was
// based on. The rule (docs/live.md): creates are idempotent by id; an edit based on the
// current version applies; an edit based on an older version that would change nothing is
// a duplicate; any other stale edit does NOT overwrite: the server's version stays, and a
// conflict record keeps both versions until someone resolves it. Nothing is dropped.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { liveSyncConflicts } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import type { EventInput, LiveEvents } from './events.js';
import type { LiveStore } from './store.js';

export interface SyncItem {
  op: 'create' | 'update' | 'delete';
  id: string;
  match_id: number;
  base_version?: number;
  data?: EventInput | Partial<EventInput>;
}
export type SyncStatus = 'applied' | 'duplicate' | 'conflict' | 'not_found' | 'rejected';
export interface SyncAnswer {
  id: string;
  op: SyncItem['op'];
  status: SyncStatus;
  version?: number;
  seq?: number;
  conflict_id?: number;
  error?: string;
}

const FIELDS = ['kind', 'side', 'player_id', 'player_in_id', 'minute', 'period', 'note'] as const;
const ORDER = { create: 0, update: 1, delete: 2 } as const;

export function createSync(db: Db, clock: Clock, store: LiveStore, events: LiveEvents) {
  function serverData(row: NonNullable<Awaited<ReturnType<LiveEvents['eventRow']>>>) {
    return { kind: row.kind, side: row.side, player_id: row.playerId, player_in_id: row.playerInId, minute: row.minute, period: row.period, note: row.note, deleted: row.deleted, version: row.version };
  }
  function changesNothing(server: Record<string, unknown>, data: Partial<EventInput>) {
    return FIELDS.every((f) => data[f] === undefined || data[f] === server[f]);
  }

  async function recordConflict(userId: number, item: SyncItem, row: NonNullable<Awaited<ReturnType<LiveEvents['eventRow']>>>) {
    const client = { op: item.op, ...(item.data ?? {}) };
    const open = await db.select().from(liveSyncConflicts)
      .where(and(eq(liveSyncConflicts.eventId, item.id), eq(liveSyncConflicts.status, 'open'), eq(liveSyncConflicts.baseVersion, item.base_version!)));
    const same = open.find((c) => JSON.stringify(c.clientData) === JSON.stringify(client));
    if (same) return same.id;
    const [c] = await db.insert(liveSyncConflicts).values({
      matchId: row.matchId, eventId: item.id, userId, op: item.op, baseVersion: item.base_version!, serverVersion: row.version,
      serverData: serverData(row), clientData: client, createdAt: clock.now(),
    }).returning({ id: liveSyncConflicts.id });
    return c!.id;
  }

  async function one(userId: number, item: SyncItem): Promise<SyncAnswer> {
    const base = { id: item.id, op: item.op };
    const row = await events.eventRow(item.id);
    if (row && row.matchId !== item.match_id) return { ...base, status: 'rejected', error: 'This event id belongs to another match' };
    if (item.op === 'create' || (item.op === 'update' && !row)) {
      // An update for an event the server never saw carries the device's only copy: keep it.
      if (!item.data?.kind) return { ...base, status: row ? 'duplicate' : 'rejected', ...(row ? { version: row.version, seq: row.seq } : { error: 'data.kind is required' }) };
      const r = await events.create(item.match_id, userId, item.id, item.data as EventInput);
      return { ...base, status: r.created ? 'applied' : 'duplicate', version: r.event.v, seq: r.event.seq };
    }
    if (!row) return { ...base, status: 'not_found' };
    if (item.op === 'delete' && row.deleted) return { ...base, status: 'duplicate', version: row.version, seq: row.seq };
    if (item.base_version === undefined) return { ...base, status: 'rejected', error: 'base_version is required for updates and deletes' };
    if (item.base_version !== row.version) {
      if (item.op === 'update' && !row.deleted && changesNothing(serverData(row), item.data ?? {}))
        return { ...base, status: 'duplicate', version: row.version, seq: row.seq };
      return { ...base, status: 'conflict', version: row.version, conflict_id: await recordConflict(userId, item, row) };
    }
    try {
      const r = item.op === 'update'
        ? await events.update(item.match_id, userId, item.id, item.data ?? {}, item.base_version)
        : await events.remove(item.match_id, userId, item.id, item.base_version);
      return { ...base, status: 'applied', version: r.event.v, seq: r.event.seq };
    } catch (err) {
      // Another write slipped in between the read and the write: same rule as any stale edit.
      if (!(err instanceof ConflictError)) throw err;
      const now = await events.eventRow(item.id);
      return { ...base, status: 'conflict', version: now!.version, conflict_id: await recordConflict(userId, item, now!) };
    }
  }

  return {
    /** Creates first, then edits in base-version order, so a batch's own order does not matter. */
    async batch(userId: number, items: SyncItem[]): Promise<SyncAnswer[]> {
      const allowed = new Map<number, boolean>();
      const order = items.map((it, i) => ({ it, i })).sort((a, b) => ORDER[a.it.op] - ORDER[b.it.op] || (a.it.base_version ?? 0) - (b.it.base_version ?? 0) || a.i - b.i);
      const answers: SyncAnswer[] = new Array<SyncAnswer>(items.length);
      for (const { it, i } of order) {
        if (!allowed.has(it.match_id)) allowed.set(it.match_id, (await store.access(it.match_id, userId)) !== null);
        if (!allowed.get(it.match_id)) {
          answers[i] = { id: it.id, op: it.op, status: 'rejected', error: `Match ${it.match_id} not found` };
          continue;
        }
        try {
          answers[i] = await one(userId, it);
        } catch (err) {
          if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
          answers[i] = { id: it.id, op: it.op, status: 'rejected', error: err.message };
        }
      }
      return answers;
    },

    async list(userId: number, q: { match_id?: number; status?: string }) {
      const rows = await db.select().from(liveSyncConflicts)
        .where(and(...(q.match_id ? [eq(liveSyncConflicts.matchId, q.match_id)] : []), ...(q.status ? [eq(liveSyncConflicts.status, q.status)] : [])))
        .orderBy(asc(liveSyncConflicts.id));
      const visible: typeof rows = [];
      const cache = new Map<number, boolean>();
      for (const r of rows) {
        if (!cache.has(r.matchId)) cache.set(r.matchId, (await store.access(r.matchId, userId)) !== null);
        if (cache.get(r.matchId)) visible.push(r);
      }
      return visible;
    },

    async resolve(userId: number, conflictId: number, resolution: 'keep_server' | 'take_client') {
      const [c] = await db.select().from(liveSyncConflicts).where(eq(liveSyncConflicts.id, conflictId));
      if (!c || (await store.access(c.matchId, userId)) === null) throw new NotFoundError('conflict', conflictId);
      if (c.status !== 'open') throw new ConflictError(`Conflict already resolved (${c.status})`);
      if (resolution === 'take_client') {
        const row = await events.eventRow(c.eventId);
        if (!row) throw new NotFoundError('event', c.eventId);
        const { op, ...data } = c.clientData as { op: string } & Partial<EventInput>;
        if (op === 'delete') await events.remove(c.matchId, userId, c.eventId, row.version);
        else if (op === 'update') await events.update(c.matchId, userId, c.eventId, data, row.version);
        else throw new ValidationError(`Cannot apply a ${op} conflict`);
      }
      const [r] = await db.update(liveSyncConflicts).set({ status: resolution === 'take_client' ? 'took_client' : 'kept_server', resolvedAt: clock.now() })
        .where(eq(liveSyncConflicts.id, conflictId)).returning();
      return r!;
    },
  };
}

export type LiveSync = ReturnType<typeof createSync>;
