// A local HTTP stub standing in for a provider: each route answers from a queue of
// responses (the last one repeats), and every request is recorded.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown; // objects are JSON-encoded, strings sent as they are
}

export interface Stub {
  url: string;
  requests: { path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }[];
  /** Replace what `path` (without query) answers: a queue, the last entry repeats. */
  route(path: string, ...responses: StubResponse[]): void;
  close(): Promise<void>;
}

export async function startStub(): Promise<Stub> {
  const routes = new Map<string, StubResponse[]>();
  const requests: Stub['requests'] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://stub');
    requests.push({ path: u.pathname, query: u.searchParams, headers: req.headers });
    const queue = routes.get(u.pathname);
    const r = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
    if (!r) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? {});
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(path, ...responses) {
      routes.set(path, responses);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
