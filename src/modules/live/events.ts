// The live event log of a match. Every change (event created, edited or deleted, score
// changed, period changed) takes the next per-match sequence number inside the same
// transaction that writes it and is stored as a message, so sockets can be caught up
// exactly from any sequence; after commit the message is published for every instance.
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client.js';
import { liveCollaborators, liveEvents, liveMatches, liveMessages, matches, players, teams, type LivePhase } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.js';
import type { PubSub } from '../../platform/pubsub.js';

export const EVENT_KINDS = [
  'goal', 'assist', 'key_pass', 'save', 'interception', 'tackle', 'foul', 'penalty', 'free_kick', 'ball_out', 'own_goal',
  'substitution', 'yellow_card', 'red_card', 'period_start', 'period_end',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventInput {
  kind: EventKind;
  side?: 'home' | 'away' | null;
  player_id?: number | null;
  player_in_id?: number | null;
  minute?: number | null;
  period?: string | null;
  note?: string | null;
}
type EventRow = typeof liveEvents.$inferSelect;

/** The compact wire form of an event (short keys keep a 200-event snapshot small). */
export interface WireEvent {
  id: string;
  seq: number;
  v: number;
  kind: string;
  side?: string;
  minute?: number;
  period?: string;
  player?: string;
  player_id?: number;
  player_in?: string;
  player_in_id?: number;
  note?: string;
  deleted?: true;
}

// Where each playing phase's clock starts (minutes), and the transitions allowed.
const PHASE_BASE_MIN: Partial<Record<LivePhase, number>> = { first_half: 0, second_half: 45, extra_time: 90 };
const NEXT_PHASES: Record<LivePhase, LivePhase[]> = {
  scheduled: ['first_half'],
  first_half: ['half_time'],
  half_time: ['second_half'],
  second_half: ['full_time', 'extra_time'],
  extra_time: ['penalties', 'full_time'],
  penalties: ['full_time'],
  full_time: [],
};
const SCORING = new Set(['goal', 'own_goal']);

export interface Score {
  home: number;
  away: number;
  penalties?: { home: number; away: number };
}

/** Goals by side; an own goal counts for the other side; shoot-out goals are counted apart. */
export function scoreOf(events: { kind: string; side?: string | null; period?: string | null; deleted?: boolean }[]): Score {
  const s: Score = { home: 0, away: 0 };
  const pens = { home: 0, away: 0 };
  let shootout = false;
  for (const e of events) {
    if (e.deleted || !SCORING.has(e.kind) || (e.side !== 'home' && e.side !== 'away')) continue;
    const side = e.kind === 'own_goal' ? (e.side === 'home' ? 'away' : 'home') : e.side;
    if (e.period === 'penalties') {
      shootout = true;
      pens[side] += 1;
    } else s[side] += 1;
  }
  if (shootout) s.penalties = pens;
  return s;
}

export function clockOf(m: typeof liveMatches.$inferSelect, now: Date) {
  const running = m.clockStartedAt !== null;
  const elapsed = m.clockElapsedMs + (running ? now.getTime() - m.clockStartedAt!.getTime() : 0);
  return { phase: m.phase, running, paused: m.paused, elapsed_ms: Math.max(0, elapsed), at: now.toISOString() };
}

export function createLiveEvents(db: Db, clock: Clock, pubsub: PubSub, channel: string) {
  async function names(tx: Db | Tx, ids: (number | null | undefined)[]) {
    const wanted = [...new Set(ids.filter((i): i is number => typeof i === 'number'))];
    if (!wanted.length) return new Map<number, string>();
    const rows = await tx.select({ id: players.id, name: players.name }).from(players).where(inArray(players.id, wanted));
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  /** Absent fields are null: leaving them out keeps a 200-event snapshot well under 50 KB. */
  function wire(e: EventRow, n: Map<number, string>): WireEvent {
    const out: WireEvent = { id: e.id, seq: e.seq, v: e.version, kind: e.kind };
    if (e.side !== null) out.side = e.side;
    if (e.minute !== null) out.minute = e.minute;
    if (e.period !== null) out.period = e.period;
    if (e.playerId !== null) {
      out.player_id = e.playerId;
      const name = n.get(e.playerId);
      if (name !== undefined) out.player = name;
    }
    if (e.playerInId !== null) {
      out.player_in_id = e.playerInId;
      const name = n.get(e.playerInId);
      if (name !== undefined) out.player_in = name;
    }
    if (e.note !== null) out.note = e.note;
    if (e.deleted) out.deleted = true;
    return out;
  }
  async function lockMatch(tx: Tx, matchId: number) {
    const [m] = await tx.select().from(liveMatches).where(eq(liveMatches.matchId, matchId)).for('update');
    if (!m) throw new NotFoundError('match', matchId);
    return m;
  }
  /**
   * Locks the match's live state for a writer, checking in the same statement that the
   * user owns the match or collaborates on it (a stranger sees the match as not found), and
   * reading the two teams for player checks: one round trip instead of three.
   */
  async function lockForWriter(tx: Tx, matchId: number, userId: number) {
    const [r] = await tx
      .select({
        live: liveMatches,
        home: matches.homeTeamId,
        away: matches.awayTeamId,
        allowed: sql<boolean>`(${matches.ownerUserId} = ${userId} or exists (select 1 from ${liveCollaborators} c where c.match_id = ${liveMatches.matchId} and c.user_id = ${userId}))`,
      })
      .from(liveMatches)
      .innerJoin(matches, eq(matches.id, liveMatches.matchId))
      .where(eq(liveMatches.matchId, matchId))
      .for('update', { of: liveMatches });
    if (!r || !r.allowed) throw new NotFoundError('match', matchId);
    return r;
  }
  /** Stores messages under consecutive sequence numbers (and moves last_seq) in one statement; returns them for publishing. */
  async function emit(tx: Tx, matchId: number, lastSeq: number, msgs: Record<string, unknown>[]) {
    const out = msgs.map((m, i) => ({ ...m, seq: lastSeq + i + 1, match_id: matchId }));
    if (!out.length) return out;
    const now = clock.now();
    const rows = out.map((m, i) => sql`(${matchId}, ${m.seq}, ${String(msgs[i]!.type)}, ${JSON.stringify(m)}::jsonb, ${now})`);
    await tx.execute(sql`with moved as (update ${liveMatches} set last_seq = ${lastSeq + out.length}, updated_at = ${now} where match_id = ${matchId})
      insert into ${liveMessages} (match_id, seq, type, payload, created_at) values ${sql.join(rows, sql`, `)}`);
    return out;
  }
  async function publish(matchId: number, msgs: { seq: number }[]) {
    for (const m of msgs) await pubsub.publish(channel, JSON.stringify({ m: matchId, s: m.seq, t: JSON.stringify(m) }));
  }
  async function scoringEvents(tx: Db | Tx, matchId: number) {
    return tx.select({ id: liveEvents.id, kind: liveEvents.kind, side: liveEvents.side, period: liveEvents.period }).from(liveEvents)
      .where(and(eq(liveEvents.matchId, matchId), eq(liveEvents.deleted, false), inArray(liveEvents.kind, [...SCORING])));
  }
  async function currentScore(tx: Db | Tx, matchId: number) {
    return scoreOf(await scoringEvents(tx, matchId));
  }
  /** Checks the players belong to one of the two teams; returns their names for the wire form. */
  async function validatePlayers(tx: Tx, teamIds: { home: number; away: number }, input: Partial<EventInput>) {
    const ids = [input.player_id, input.player_in_id].filter((i): i is number => typeof i === 'number');
    if (!ids.length) return new Map<number, string>();
    const rows = await tx.select({ id: players.id, team: players.currentTeamId, name: players.name }).from(players).where(inArray(players.id, ids));
    for (const id of ids) {
      const r = rows.find((x) => x.id === id);
      if (!r || (r.team !== teamIds.home && r.team !== teamIds.away)) throw new ValidationError(`Player ${id} is not in either team`, 'player_id', id);
    }
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * The common create — no players to check, no goal to rescore — as one autocommit statement
   * instead of a transaction of five round trips: it locks the match's live row (checking the writer
   * may write, as lockForWriter does), inserts the event under the next sequence (nothing on a
   * replayed id), moves last_seq and stores the message. The stored event is `wire`'s, with the
   * three fields only the database knows merged in: seq, and the minute and period defaults from
   * the match clock (the SQL twin of clockOf; tests hold the two paths to the same answers).
   * Returns 'forbidden' when the match is not writable by the user, 'replay' when the id exists.
   */
  async function createFast(matchId: number, userId: number, id: string, input: EventInput) {
    const now = clock.now();
    const type = input.kind === 'substitution' ? 'substitution' : 'event_logged';
    const draft: EventRow = { id, matchId, seq: 0, kind: input.kind, side: input.side ?? null, playerId: null, playerInId: null, minute: null, period: null,
      note: input.note ?? null, version: 1, deleted: false, createdBy: userId, createdAt: now, updatedAt: now };
    const base = wire(draft, new Map());
    const rows = await queryRows<{ allowed: boolean; seq: number | null; minute: number | null; period: string | null }>(db, sql`
      with live as (
        select lm.match_id, lm.last_seq, lm.phase, lm.clock_started_at, lm.clock_elapsed_ms
        from ${liveMatches} lm join ${matches} m on m.id = lm.match_id
        where lm.match_id = ${matchId}
          and (m.owner_user_id = ${userId} or exists (select 1 from ${liveCollaborators} c where c.match_id = lm.match_id and c.user_id = ${userId}))
        for update of lm
      ), clocked as (
        select live.*, greatest(0, live.clock_elapsed_ms + coalesce(extract(epoch from (${now}::timestamptz - live.clock_started_at)) * 1000, 0)) as elapsed_ms
        from live
      ), ins as (
        insert into ${liveEvents} (id, match_id, seq, kind, side, minute, period, note, created_by, created_at, updated_at)
        select ${id}, c.match_id, c.last_seq + 1, ${input.kind}, ${input.side ?? null},
          coalesce(${input.minute ?? null}::int, case when c.elapsed_ms > 0 then floor(c.elapsed_ms / 60000)::int + 1 end),
          coalesce(${input.period ?? null}::text, nullif(c.phase, 'scheduled')), ${input.note ?? null}, ${userId}, ${now}, ${now}
        from clocked c
        on conflict (id) do nothing
        returning seq, minute, period
      ), moved as (
        update ${liveMatches} set last_seq = ins.seq, updated_at = ${now} from ins where ${liveMatches}.match_id = ${matchId}
      ), stored as (
        insert into ${liveMessages} (match_id, seq, type, payload, created_at)
        select ${matchId}, ins.seq, ${type}, jsonb_build_object('type', ${type}::text, 'seq', ins.seq, 'match_id', ${matchId}::int,
          'event', ${JSON.stringify(base)}::jsonb || jsonb_strip_nulls(jsonb_build_object('seq', ins.seq, 'minute', ins.minute, 'period', ins.period))), ${now}
        from ins
      )
      select exists (select 1 from live) as allowed, ins.seq, ins.minute, ins.period from (select 1) one left join ins on true`);
    const r = rows[0]!;
    if (!r.allowed) return 'forbidden' as const;
    if (r.seq === null) return 'replay' as const;
    const event = wire({ ...draft, seq: r.seq, minute: r.minute, period: r.period }, new Map());
    const msg = { type, event, seq: r.seq, match_id: matchId };
    await publish(matchId, [msg]);
    return { event, created: true, duplicate: false };
  }

  type Change = { kind: 'create'; id: string; input: EventInput } | { kind: 'update'; id: string; input: Partial<EventInput>; version: number } | { kind: 'delete'; id: string; version?: number };
  type Outcome = { event: WireEvent; created: boolean; duplicate: boolean };

  /**
   * Applies one change in its own transaction, for a user who must own or collaborate on the
   * match (checked under the same lock). Throws ConflictError on a stale version. A plain
   * create (no players, no goal) goes through createFast instead, and comes here only on a replay.
   */
  async function apply(matchId: number, userId: number, ch: Change): Promise<Outcome> {
    const { result, msgs } = await db.transaction(async (tx) => {
      const { live, home, away } = await lockForWriter(tx, matchId, userId);
      const teamIds = { home, away };
      const seq = live.lastSeq + 1;
      const now = clock.now();
      let row: EventRow;
      let type: string;
      let n: Map<number, string>;
      let existing: EventRow | undefined;
      if (ch.kind === 'create') {
        n = await validatePlayers(tx, teamIds, ch.input);
        const elapsed = clockOf(live, now).elapsed_ms;
        const minute = ch.input.minute ?? (elapsed > 0 ? Math.floor(elapsed / 60_000) + 1 : null);
        // A replayed create (same client UUID) inserts nothing and answers with the stored event.
        const [inserted] = (await tx.insert(liveEvents).values({
          id: ch.id, matchId, seq, kind: ch.input.kind, side: ch.input.side ?? null, playerId: ch.input.player_id ?? null,
          playerInId: ch.input.player_in_id ?? null, minute, period: ch.input.period ?? (live.phase === 'scheduled' ? null : live.phase),
          note: ch.input.note ?? null, createdBy: userId, createdAt: now, updatedAt: now,
        }).onConflictDoNothing({ target: liveEvents.id }).returning()) as EventRow[];
        if (!inserted) {
          [existing] = await tx.select().from(liveEvents).where(eq(liveEvents.id, ch.id));
          if (existing && existing.matchId !== matchId) throw new ConflictError('This event id belongs to another match');
          return { result: { row: existing!, event: null, created: false, duplicate: true }, msgs: [] };
        }
        row = inserted;
        type = ch.input.kind === 'substitution' ? 'substitution' : 'event_logged';
      } else {
        [existing] = await tx.select().from(liveEvents).where(eq(liveEvents.id, ch.id));
        if (existing && existing.matchId !== matchId) throw new ConflictError('This event id belongs to another match');
        if (!existing) throw new NotFoundError('event', ch.id);
        if (ch.version !== undefined && ch.version !== existing.version)
          throw new ConflictError(`Event is at version ${existing.version}, not ${ch.version}`, { current: existing });
        if (ch.kind === 'delete' && existing.deleted) return { result: { row: existing, event: null, created: false, duplicate: true }, msgs: [] };
        const i = ch.kind === 'update' ? ch.input : {};
        if (ch.kind === 'update') await validatePlayers(tx, teamIds, i);
        [row] = (await tx.update(liveEvents).set({
          seq, version: existing.version + 1, updatedAt: now,
          ...(ch.kind === 'delete' ? { deleted: true } : {}),
          ...(i.kind !== undefined ? { kind: i.kind } : {}), ...(i.side !== undefined ? { side: i.side } : {}),
          ...(i.player_id !== undefined ? { playerId: i.player_id } : {}), ...(i.player_in_id !== undefined ? { playerInId: i.player_in_id } : {}),
          ...(i.minute !== undefined ? { minute: i.minute } : {}), ...(i.period !== undefined ? { period: i.period } : {}),
          ...(i.note !== undefined ? { note: i.note } : {}),
        }).where(eq(liveEvents.id, ch.id)).returning()) as [EventRow];
        type = ch.kind === 'delete' ? 'event_deleted' : 'event_updated';
        n = await names(tx, [row.playerId, row.playerInId]);
      }
      const event = wire(row, n);
      const out: Record<string, unknown>[] = [{ type, event }];
      // Only a change that involves a goal can move the score. The score after is read once
      // (this change included); the score before is the same list with the change undone.
      if (SCORING.has(row.kind) || (existing !== undefined && SCORING.has(existing.kind))) {
        const after = await scoringEvents(tx, matchId);
        const others = after.filter((e) => e.id !== row.id);
        const before = existing && !existing.deleted && SCORING.has(existing.kind) ? [...others, existing] : others;
        const [sa, sb] = [scoreOf(after), scoreOf(before)];
        if (JSON.stringify(sa) !== JSON.stringify(sb)) out.push({ type: 'score', score: sa });
      }
      return { result: { row, event, created: ch.kind === 'create', duplicate: false }, msgs: await emit(tx, matchId, live.lastSeq, out) };
    });
    await publish(matchId, msgs);
    const event = result.event ?? wire(result.row, await names(db, [result.row.playerId, result.row.playerInId]));
    return { event, created: result.created, duplicate: result.duplicate };
  }

  return {
    apply,
    wire,
    names,
    async create(matchId: number, userId: number, id: string, input: EventInput): Promise<Outcome> {
      if (input.player_id == null && input.player_in_id == null && !SCORING.has(input.kind)) {
        const fast = await createFast(matchId, userId, id, input);
        if (fast === 'forbidden') throw new NotFoundError('match', matchId);
        if (fast !== 'replay') return fast;
      }
      return apply(matchId, userId, { kind: 'create', id, input });
    },
    update: (matchId: number, userId: number, id: string, input: Partial<EventInput>, version: number) => apply(matchId, userId, { kind: 'update', id, input, version }),
    remove: (matchId: number, userId: number, id: string, version?: number) => apply(matchId, userId, { kind: 'delete', id, ...(version !== undefined ? { version } : {}) }),

    async eventRow(id: string) {
      const [e] = await db.select().from(liveEvents).where(eq(liveEvents.id, id));
      return e ?? null;
    },
    /** Without sinceSeq: live events in log order. With it: every change after it, deletions included. */
    async list(matchId: number, opts: { sinceSeq?: number; limit: number; offset: number }) {
      const where = opts.sinceSeq !== undefined
        ? and(eq(liveEvents.matchId, matchId), gt(liveEvents.seq, opts.sinceSeq))
        : and(eq(liveEvents.matchId, matchId), eq(liveEvents.deleted, false));
      const order = opts.sinceSeq !== undefined ? [asc(liveEvents.seq)] : [asc(liveEvents.minute), asc(liveEvents.createdAt), asc(liveEvents.id)];
      const [rows, [c]] = await Promise.all([
        db.select().from(liveEvents).where(where).orderBy(...order).limit(opts.limit).offset(opts.offset),
        db.select({ n: sql<number>`count(*)::int` }).from(liveEvents).where(where),
      ]);
      const n = await names(db, rows.flatMap((r) => [r.playerId, r.playerInId]));
      return { items: rows.map((r) => wire(r, n)), total: c!.n };
    },
    score: (matchId: number) => currentScore(db, matchId),

    async transition(matchId: number, action: { phase?: LivePhase; pause?: boolean }) {
      const msgs = await db.transaction(async (tx) => {
        const live = await lockMatch(tx, matchId);
        const now = clock.now();
        const elapsed = clockOf(live, now).elapsed_ms;
        let next = { phase: live.phase, clockStartedAt: live.clockStartedAt, clockElapsedMs: live.clockElapsedMs, paused: live.paused };
        if (action.phase && action.phase !== live.phase) {
          if (!NEXT_PHASES[live.phase].includes(action.phase))
            throw new UnprocessableError(`Cannot go from ${live.phase} to ${action.phase}`, { allowed: NEXT_PHASES[live.phase] });
          const base = PHASE_BASE_MIN[action.phase];
          next = base === undefined
            ? { phase: action.phase, clockStartedAt: null, clockElapsedMs: elapsed, paused: false }
            : { phase: action.phase, clockStartedAt: now, clockElapsedMs: base * 60_000, paused: false };
        } else if (action.pause !== undefined) {
          if (PHASE_BASE_MIN[live.phase] === undefined) throw new UnprocessableError(`The clock does not run during ${live.phase}`);
          if (action.pause === live.paused) return [];
          next = action.pause
            ? { ...next, paused: true, clockStartedAt: null, clockElapsedMs: elapsed }
            : { ...next, paused: false, clockStartedAt: now };
        } else return [];
        const [updated] = await tx.update(liveMatches).set({ ...next, updatedAt: now }).where(eq(liveMatches.matchId, matchId)).returning();
        if (next.phase !== live.phase) {
          const status = next.phase === 'full_time' ? 'final' : 'in_progress';
          await tx.update(matches).set({ status, updatedAt: now, ...(next.phase === 'full_time' ? await finalScore(tx, matchId) : {}) }).where(eq(matches.id, matchId));
        }
        return emit(tx, matchId, live.lastSeq, [{ type: 'period', clock: clockOf(updated!, now) }]);
      });
      await publish(matchId, msgs);
    },

    async liveState(matchId: number) {
      const [m] = await db.select().from(liveMatches).where(eq(liveMatches.matchId, matchId));
      if (!m) throw new NotFoundError('match', matchId);
      return m;
    },

    /** Everything a joining viewer needs, with display names only. */
    async snapshot(matchId: number) {
      const live = await this.liveState(matchId);
      const [m] = await db.select({ id: matches.id, date: matches.matchDate, kickoff: matches.kickoffAt, home: matches.homeTeamId, away: matches.awayTeamId }).from(matches).where(eq(matches.id, matchId));
      const t = await db.select({ id: teams.id, name: teams.name, short: teams.shortName }).from(teams).where(inArray(teams.id, [m!.home, m!.away]));
      const team = (id: number) => { const r = t.find((x) => x.id === id)!; return { name: r.name, short_name: r.short }; };
      const rows = await db.select().from(liveEvents).where(and(eq(liveEvents.matchId, matchId), eq(liveEvents.deleted, false), lte(liveEvents.seq, live.lastSeq)))
        .orderBy(asc(liveEvents.minute), asc(liveEvents.createdAt), asc(liveEvents.id));
      const n = await names(db, rows.flatMap((r) => [r.playerId, r.playerInId]));
      const events = rows.map((r) => wire(r, n));
      return {
        type: 'snapshot', seq: live.lastSeq, match_id: matchId,
        match: { id: matchId, date: m!.date, kickoff_at: m!.kickoff?.toISOString() ?? null, home: team(m!.home), away: team(m!.away) },
        clock: clockOf(live, clock.now()), score: scoreOf(events), events,
      };
    },

    /** Stored messages after `after` up to `upTo` (inclusive), as sent. */
    async messagesBetween(matchId: number, after: number, upTo?: number) {
      const rows = await db.select({ seq: liveMessages.seq, payload: liveMessages.payload }).from(liveMessages)
        .where(and(eq(liveMessages.matchId, matchId), gt(liveMessages.seq, after), ...(upTo !== undefined ? [lte(liveMessages.seq, upTo)] : [])))
        .orderBy(asc(liveMessages.seq));
      return rows.map((r) => ({ seq: r.seq, text: JSON.stringify(r.payload) }));
    },
  };

  async function finalScore(tx: Tx, matchId: number) {
    const s = await currentScore(tx, matchId);
    return { homeScore: s.home, awayScore: s.away };
  }
}

export type LiveEvents = ReturnType<typeof createLiveEvents>;
