// A real WebSocket client for the live tests: collects every message and waits for the
// ones a test expects (by condition, never by sleeping).
import { WebSocket } from 'ws';

export interface Msg {
  type: string;
  seq: number;
  [k: string]: unknown;
}

export interface TestSocket {
  ws: WebSocket;
  messages: Msg[];
  /** Resolves with the first message (already received or future) matching `pred`. */
  waitFor(pred: (m: Msg) => boolean, label?: string): Promise<Msg>;
  close(): Promise<void>;
}

export function openSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: Msg[] = [];
    const waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Msg;
      messages.push(m);
      for (const w of [...waiters]) if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        waitFor(pred, label = 'message') {
          const found = messages.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`timed out waiting for ${label}; got ${JSON.stringify(messages.map((x) => [x.type, x.seq]))}`)), 10_000);
            waiters.push({ pred, resolve: (m) => { clearTimeout(timer); res(m); } });
          });
        },
        close() {
          return new Promise<void>((res) => {
            if (ws.readyState === ws.CLOSED) return res();
            ws.once('close', () => res());
            ws.close();
          });
        },
      }),
    );
  });
}

/** The HTTP status a refused upgrade answered with. */
export function refusedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('connection was accepted'));
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
