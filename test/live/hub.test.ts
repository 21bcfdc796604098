// The socket hub on its own: heartbeats drop connections that stop answering pings, and
// a message arriving ahead of a gap makes the viewer fetch the gap from the log first
// (each sequence once, in order); a message not in this database's log is dropped.
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { LiveEvents } from '../../src/modules/live/events.js';
import { createHub } from '../../src/modules/live/hub.js';
import { createMemoryPubSub } from '../../src/platform/pubsub.js';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  pings = 0;
  terminated = false;
  send(text: string) {
    this.sent.push(text);
  }
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  close() {
    this.terminate();
  }
}

const silent = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;
const msg = (seq: number) => JSON.stringify({ type: 'event_logged', seq });
function fakeEvents(log: number[], reads: { n: number } = { n: 0 }): LiveEvents {
  return {
    snapshot: async () => ({ type: 'snapshot', seq: 0 }),
    messagesBetween: async (_m: number, after: number, upTo?: number) => {
      reads.n += 1;
      return log.filter((s) => s > after && (upTo === undefined || s <= upTo)).map((s) => ({ seq: s, text: msg(s) }));
    },
  } as unknown as LiveEvents;
}
const seqs = (s: FakeSocket) => s.sent.map((x) => (JSON.parse(x) as { seq: number }).seq);

afterEach(() => vi.useRealTimers());

describe('live hub', () => {
  it('drops a connection that misses a heartbeat and keeps one that answers', async () => {
    vi.useFakeTimers();
    const pubsub = createMemoryPubSub();
    const hub = createHub({ events: fakeEvents([]), pubsub, log: silent, heartbeatMs: 1_000, channel: 'c' });
    await hub.start();
    const dead = new FakeSocket();
    const alive = new FakeSocket();
    await hub.join(dead as unknown as WebSocket, 1, undefined);
    await hub.join(alive as unknown as WebSocket, 1, undefined);
    for (let i = 0; i < 3; i += 1) {
      vi.advanceTimersByTime(1_000);
      alive.emit('pong');
    }
    expect(dead.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(alive.pings).toBe(3);
    expect(hub.stats.viewers).toBe(1);
    await hub.close();
  });

  it('fills a gap from the log before sending a message that arrived early, and drops foreign ones', async () => {
    const pubsub = createMemoryPubSub();
    const log = [1, 2, 3];
    const hub = createHub({ events: fakeEvents(log), pubsub, log: silent, heartbeatMs: 60_000, channel: 'c' });
    await hub.start();
    const s = new FakeSocket();
    await hub.join(s as unknown as WebSocket, 7, undefined);
    const pub = (seq: number) => pubsub.publish('c', JSON.stringify({ m: 7, s: seq, t: msg(seq) }));
    await pub(1);
    await pub(3); // 2 was lost on the way
    await vi.waitFor(() => expect(seqs(s)).toEqual([0, 1, 2, 3]));
    await pub(2); // the late duplicate is ignored
    await pub(10); // not in this database's log
    log.push(4);
    await pub(4);
    await vi.waitFor(() => expect(seqs(s)).toEqual([0, 1, 2, 3, 4]));
    await hub.close();
  });

  it('puts two writes that published out of order back in order without reading the log', async () => {
    const pubsub = createMemoryPubSub();
    const reads = { n: 0 };
    const hub = createHub({ events: fakeEvents([1, 2, 3], reads), pubsub, log: silent, heartbeatMs: 60_000, channel: 'c', reorderMs: 10_000 });
    await hub.start();
    const viewers = Array.from({ length: 50 }, () => new FakeSocket());
    for (const v of viewers) await hub.join(v as unknown as WebSocket, 7, undefined);
    const pub = (seq: number) => pubsub.publish('c', JSON.stringify({ m: 7, s: seq, t: msg(seq) }));
    await pub(1);
    await pub(3);
    await pub(2);
    for (const v of viewers) await vi.waitFor(() => expect(seqs(v)).toEqual([0, 1, 2, 3]));
    expect(reads.n).toBe(0);
    expect(hub.stats.gapReads).toBe(0);
    await hub.close();
  });

  it('reads a gap that never arrives once for all the viewers waiting on it', async () => {
    const pubsub = createMemoryPubSub();
    const reads = { n: 0 };
    const hub = createHub({ events: fakeEvents([1, 2, 3], reads), pubsub, log: silent, heartbeatMs: 60_000, channel: 'c', reorderMs: 5 });
    await hub.start();
    const viewers = Array.from({ length: 50 }, () => new FakeSocket());
    for (const v of viewers) await hub.join(v as unknown as WebSocket, 7, undefined);
    const pub = (seq: number) => pubsub.publish('c', JSON.stringify({ m: 7, s: seq, t: msg(seq) }));
    await pub(1);
    await pub(3); // 2 is lost on the way
    for (const v of viewers) await vi.waitFor(() => expect(seqs(v)).toEqual([0, 1, 2, 3]));
    expect(reads.n).toBe(1);
    await hub.close();
  });
});
