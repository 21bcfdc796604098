// The sockets watching matches on this instance. Messages arrive from pub/sub (this
// instance's writes included) and are sent to each viewer strictly in sequence.
// Two concurrent writes commit in sequence order but may publish in the other order, so a
// message that arrives ahead of a gap waits up to `reorderMs` for the gap to arrive (no
// database read in the common case). Past that (a dropped pub/sub message, another
// instance's write that never comes), each viewer fetches the gap from the message log
// (one shared read per gap, however many viewers), so every viewer sees every sequence
// number exactly once and in order.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { PubSub } from '../../platform/pubsub.js';
import type { LiveEvents } from './events.js';
import { SharedText, sendText } from './frame.js';

interface Viewer {
  socket: WebSocket;
  matchId: number;
  lastSeq: number;
  /** While true, messages queue in `backlog` (joining, or filling a gap). */
  filling: boolean;
  backlog: [number, SharedText][];
  alive: boolean;
  /** Set for read-only viewers that came through a share link. */
  shareId: number | null;
}

export interface HubStats {
  viewers: number;
  sent: number;
  /** Reads of the message log to fill gaps (shared by the viewers waiting on the same gap). */
  gapReads: number;
}

/** Per match: the highest sequence fanned out with nothing missing before it, and messages that arrived early. */
interface Stream {
  head: number;
  early: Map<number, SharedText>;
  timer: NodeJS.Timeout | null;
}

export function createHub(opts: {
  events: LiveEvents;
  pubsub: PubSub;
  log: FastifyBaseLogger;
  heartbeatMs: number;
  channel: string;
  reorderMs?: number;
  /** Called after a message has been written to every viewer of its match (metrics). */
  onFanOut?: (seconds: number) => void;
}) {
  const { events, pubsub, log } = opts;
  const byMatch = new Map<number, Set<Viewer>>();
  const stats: HubStats = { viewers: 0, sent: 0, gapReads: 0 };
  const streams = new Map<number, Stream>();
  const reorderMs = opts.reorderMs ?? 25;
  const gapReads = new Map<string, Promise<{ seq: number; text: SharedText }[]>>();
  let unsubscribe: (() => Promise<void>) | null = null;

  // A message is encoded and framed once and the same bytes go to every viewer (frame.ts).
  function send(v: Viewer, seq: number, text: SharedText) {
    if (v.socket.readyState !== v.socket.OPEN) return;
    sendText(v.socket, text);
    v.lastSeq = seq;
    stats.sent += 1;
  }

  function drain(v: Viewer) {
    v.filling = false;
    const queued = v.backlog;
    v.backlog = [];
    for (const [s, t] of queued) offer(v, s, t);
  }

  function offer(v: Viewer, seq: number, text: SharedText) {
    if (v.filling) {
      v.backlog.push([seq, text]);
      return;
    }
    if (seq <= v.lastSeq) return;
    if (seq === v.lastSeq + 1) {
      send(v, seq, text);
      return;
    }
    // The triggering message is not queued: the log is the truth, and a message that is not
    // in this database's log (another deployment sharing the Redis) is dropped here.
    v.filling = true;
    readGap(v.matchId, v.lastSeq, seq)
      .then((rows) => {
        for (const r of rows) if (r.seq === v.lastSeq + 1) send(v, r.seq, r.text);
      })
      .catch((err: unknown) => {
        // The viewer cannot be brought up to date: closing makes its client reconnect with since_seq.
        log.warn({ err }, 'live: gap fill failed; closing viewer');
        v.socket.close(1011, 'resync');
      })
      .finally(() => drain(v));
  }

  /** The stored messages after `after` up to `upTo`; viewers waiting on the same gap share one read. */
  function readGap(matchId: number, after: number, upTo: number) {
    const key = `${matchId}:${after}:${upTo}`;
    let read = gapReads.get(key);
    if (!read) {
      stats.gapReads += 1;
      read = events
        .messagesBetween(matchId, after, upTo)
        .then((rows) => rows.map((r) => ({ seq: r.seq, text: new SharedText(r.text) })))
        .finally(() => gapReads.delete(key));
      gapReads.set(key, read);
    }
    return read;
  }

  function fanOut(matchId: number, seq: number, text: SharedText) {
    const viewers = byMatch.get(matchId);
    if (!viewers) return;
    const t0 = performance.now();
    for (const v of viewers) offer(v, seq, text);
    opts.onFanOut?.((performance.now() - t0) / 1000);
  }

  /** Fans messages out in sequence order, holding one that arrived early for up to reorderMs. */
  function sequenced(matchId: number, seq: number, text: SharedText) {
    let st = streams.get(matchId);
    if (!st) streams.set(matchId, (st = { head: seq - 1, early: new Map(), timer: null }));
    if (seq > st.head + 1) {
      st.early.set(seq, text);
      const s = st;
      s.timer ??= setTimeout(() => flushEarly(matchId, s), reorderMs);
      return;
    }
    fanOut(matchId, seq, text); // a late one (seq <= head) goes only to viewers still missing it
    if (seq !== st.head + 1) return;
    st.head = seq;
    // Send the early messages that are now in order.
    for (let next = st.early.get(st.head + 1); next; next = st.early.get(st.head + 1)) {
      st.early.delete(st.head + 1);
      st.head += 1;
      fanOut(matchId, st.head, next);
    }
    if (st.early.size === 0 && st.timer) {
      clearTimeout(st.timer);
      st.timer = null;
    }
  }

  /** The gap did not arrive in time: send every early message in order; viewers fill the gaps from the log. */
  function flushEarly(matchId: number, st: Stream) {
    st.timer = null;
    for (const seq of [...st.early.keys()].sort((a, b) => a - b)) {
      fanOut(matchId, seq, st.early.get(seq)!);
      st.head = Math.max(st.head, seq);
    }
    st.early.clear();
  }

  function onMessage(raw: string) {
    let msg: { m: number; s: number; t: string; r?: number };
    try {
      msg = JSON.parse(raw) as { m: number; s: number; t: string; r?: number };
    } catch (err) {
      log.warn({ err }, 'live: unreadable pub/sub message');
      return;
    }
    const viewers = byMatch.get(msg.m);
    if (!viewers) return;
    if (msg.r !== undefined) {
      for (const v of viewers) if (v.shareId === msg.r) v.socket.close(4401, 'share link revoked');
      return;
    }
    sequenced(msg.m, msg.s, new SharedText(msg.t));
  }

  const heartbeat = setInterval(() => {
    for (const set of byMatch.values())
      for (const v of set) {
        if (!v.alive) {
          v.socket.terminate();
          continue;
        }
        v.alive = false;
        v.socket.ping();
      }
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    stats,
    async start() {
      unsubscribe = await pubsub.subscribe(opts.channel, onMessage);
    },
    /**
     * Adds a socket: registers it first (so nothing published meanwhile is missed), then
     * sends either the snapshot or, with sinceSeq, exactly the messages after it.
     */
    async join(socket: WebSocket, matchId: number, sinceSeq: number | undefined, shareId: number | null = null) {
      const v: Viewer = { socket, matchId, lastSeq: 0, filling: true, backlog: [], alive: true, shareId };
      let set = byMatch.get(matchId);
      if (!set) byMatch.set(matchId, (set = new Set()));
      set.add(v);
      stats.viewers += 1;
      socket.on('pong', () => (v.alive = true));
      socket.on('close', () => {
        set.delete(v);
        stats.viewers -= 1;
        if (set.size === 0 && byMatch.get(matchId) === set) {
          byMatch.delete(matchId);
          const st = streams.get(matchId);
          if (st?.timer) clearTimeout(st.timer);
          streams.delete(matchId);
        }
      });
      socket.on('message', (data) => {
        // Application-level ping for clients (browsers) that cannot see protocol pings.
        if (data.toString() === '{"type":"ping"}') socket.send(JSON.stringify({ type: 'pong', seq: v.lastSeq }));
      });
      try {
        if (sinceSeq === undefined) {
          const snap = await events.snapshot(matchId);
          send(v, snap.seq, new SharedText(JSON.stringify(snap)));
        } else {
          v.lastSeq = sinceSeq;
          for (const r of await events.messagesBetween(matchId, sinceSeq)) if (r.seq === v.lastSeq + 1) send(v, r.seq, new SharedText(r.text));
        }
      } finally {
        drain(v);
      }
    },
    /** Disconnects a revoked link's viewers on every instance. */
    async revokeShare(matchId: number, shareId: number) {
      await pubsub.publish(opts.channel, JSON.stringify({ m: matchId, s: 0, t: '', r: shareId }));
    },
    /** Drops every socket at once (what a crash or network cut looks like to clients). */
    terminateAll() {
      for (const set of byMatch.values()) for (const v of set) v.socket.terminate();
    },
    async close() {
      clearInterval(heartbeat);
      for (const st of streams.values()) if (st.timer) clearTimeout(st.timer);
      streams.clear();
      for (const set of byMatch.values()) for (const v of set) v.socket.close(1001, 'server shutting down');
      byMatch.clear();
      if (unsubscribe) await unsubscribe();
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
