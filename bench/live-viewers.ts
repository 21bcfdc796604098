// The viewers of bench/live.ts, in a worker thread: `viewers` share sockets on one match,
// each recording when it receives each expected event_logged message. The receiving side is
// kept light (a string search, no JSON parse): on the field each viewer is its own phone, so
// time spent here delays the next viewer's timestamp and would count against the server.
// Messages from the parent: {collect: true} answers
// {counts: {delivered, times: {id: [absolute ms, ...]}}}; {stop: true} closes every socket.
// It posts {ready: true} once every viewer has its snapshot and {done: id} when every viewer
// has an event.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

const { url, viewers } = workerData as { url: string; viewers: number };
const port = parentPort!;
const now = () => performance.timeOrigin + performance.now();
const times = new Map<string, number[]>();
let delivered = 0;
const marker = '"type":"event_logged","event":{"id":"';
const sockets: WebSocket[] = [];

const onMessage = (data: WebSocket.RawData) => {
  const t = now();
  delivered += 1;
  const text = data.toString();
  const at = text.indexOf(marker);
  if (at < 0) return;
  const id = text.slice(at + marker.length, at + marker.length + 36);
  let list = times.get(id);
  if (!list) times.set(id, (list = []));
  list.push(t);
  if (list.length === viewers) port.postMessage({ done: id });
};

port.on('message', (m: { collect?: boolean; stop?: boolean }) => {
  if (m.collect) port.postMessage({ counts: { delivered, times: Object.fromEntries(times) } });
  if (m.stop) for (const s of sockets) s.terminate();
});

for (let i = 0; i < viewers; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, viewers - i) }, () => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, { skipUTF8Validation: true });
      ws.on('message', onMessage);
      ws.once('message', () => resolve());
      ws.once('error', reject);
      sockets.push(ws);
    })),
  );
}
port.postMessage({ ready: true });
