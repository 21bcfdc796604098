// One frame for many sockets (src/modules/live/frame.ts) against real ws servers and
// clients: the shared frame arrives as the same text message on every socket, at every
// payload length class (7-bit, 16-bit and 64-bit lengths), interleaved in order with plain
// sends; a socket that negotiated per-message deflate gets an ordinary (compressed) send.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SharedText, sendText, textFrame } from '../../src/modules/live/frame.js';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

/** A server with `n` connected clients; resolves with the server-side sockets and the clients' received texts. */
async function connect(n: number, perMessageDeflate: boolean) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(wss);
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const serverSockets: WebSocket[] = [];
  wss.on('connection', (s) => serverSockets.push(s));
  const received: string[][] = [];
  const clients = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const c = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate });
      received[i] = [];
      c.on('message', (data, isBinary) => received[i]!.push(`${isBinary ? 'binary' : 'text'}:${data.toString()}`));
      await once(c, 'open');
      return c;
    }),
  );
  while (serverSockets.length < n) await new Promise((r) => setTimeout(r, 5));
  return { serverSockets, clients, received };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('shared text frames', () => {
  it('delivers one framed message to every socket, in order with plain sends, at every length class', async () => {
    const { serverSockets, received } = await connect(3, false);
    const payloads = ['{"type":"score"}', 'é'.repeat(100), 'x'.repeat(70_000)];
    for (const p of payloads) {
      const shared = new SharedText(p);
      for (const s of serverSockets) sendText(s, shared);
      for (const s of serverSockets) s.send('plain');
    }
    const expected = payloads.flatMap((p) => [`text:${p}`, 'text:plain']);
    await until(() => received.every((r) => r.length === expected.length));
    for (const r of received) expect(r).toEqual(expected);
  });

  it('frames a message once, however many sockets it goes to', () => {
    const shared = new SharedText('{"seq":1}');
    const first = shared.frame;
    expect(first).not.toBeNull();
    expect(shared.frame).toBe(first);
    // FIN + text opcode, 7-bit length, no mask bit, then the payload itself.
    expect([...first!.subarray(0, 2)]).toEqual([0x81, 9]);
    expect(first!.subarray(2).toString()).toBe('{"seq":1}');
    expect([...textFrame(Buffer.alloc(300))!.subarray(0, 4)]).toEqual([0x81, 126, 1, 44]);
  });

  it('falls back to an ordinary send on a socket with per-message deflate, so it never overtakes a message being compressed', async () => {
    const { serverSockets, received } = await connect(2, true);
    expect(serverSockets.every((s) => s.extensions.includes('permessage-deflate'))).toBe(true);
    // ws compresses asynchronously: a frame written straight to the socket would arrive first.
    const before = JSON.stringify({ type: 'snapshot', events: 'y'.repeat(5000) });
    const shared = new SharedText('{"type":"event_logged"}');
    for (const s of serverSockets) {
      s.send(before);
      sendText(s, shared);
    }
    await until(() => received.every((r) => r.length === 2));
    for (const r of received) expect(r).toEqual([`text:${before}`, 'text:{"type":"event_logged"}']);
  });
});
