// A cache hit is written straight to the socket (platform/cache/response.ts, decision 0037).
// Over a real TCP connection, a hit must still carry everything the normal send path gives a
// response: the request's own id, the security headers, CORS (and Vary on both Origin and
// Accept-Encoding), a correct Content-Length, compressed bytes that inflate to the same body,
// HEAD without a body, 304 on revalidation, keep-alive, and a line in the HTTP metrics.
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedDemo } from '../../src/modules/demo/seed.js';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo({ database: t.database, clock: t.clock });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  await t.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request over node:http, so nothing (like fetch) inflates or rewrites the answer. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const LIST = '/api/v1/teams?page_size=50';

describe('a cache hit over a real socket', () => {
  it('carries the same conventions as the miss that stored it', async () => {
    const origin = { origin: 'https://app.example' };
    const miss = await raw('GET', LIST, origin);
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    const hit = await raw('GET', LIST, origin);
    expect(hit.status).toBe(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.equals(miss.body)).toBe(true);
    expect(Number(hit.headers['content-length'])).toBe(hit.body.length);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers.etag).toBe(miss.headers.etag);
    // Its own request id, not the one of the request that filled the cache.
    expect(hit.headers['x-request-id']).toBeTruthy();
    expect(hit.headers['x-request-id']).not.toBe(miss.headers['x-request-id']);
    for (const name of ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'cross-origin-resource-policy', 'referrer-policy']) {
      expect(hit.headers[name], name).toBe(miss.headers[name]);
    }
    // CORS_ORIGINS=* (the default): any origin, so nothing to vary on but the encoding.
    expect(hit.headers['access-control-allow-origin']).toBe('*');
    expect(hit.headers.vary).toBe('accept-encoding');
    expect(miss.headers.vary).toBe('accept-encoding');
    const body = JSON.parse(hit.body.toString('utf8')) as { items: unknown[]; version: string };
    expect(body.version).toBe('v1');
    expect(body.items.length).toBeGreaterThan(0);
  });

  it('varies on Origin and the encoding when CORS matches a list of origins', async () => {
    const listed = await createTestApp({ config: { corsOrigins: ['https://app.example'] } });
    try {
      await seedDemo({ database: listed.database, clock: listed.clock });
      await listed.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = listed.app.server.address() as { port: number };
      const ask = (origin: string) => fetch(`http://127.0.0.1:${port}${LIST}`, { headers: { origin } });
      await ask('https://app.example');
      const hit = await ask('https://app.example');
      expect(hit.headers.get('x-cache')).toBe('HIT');
      expect(hit.headers.get('access-control-allow-origin')).toBe('https://app.example');
      // A shared cache must key on both: CORS's Origin (before, the cache's Vary replaced it) and the encoding.
      const vary = (hit.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);
      expect(vary.sort()).toEqual(['accept-encoding', 'origin']);
      const other = await ask('https://elsewhere.example');
      expect(other.headers.get('x-cache')).toBe('HIT');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await listed.close();
    }
  });

  it('sends compressed bytes that inflate to the identity body, with their own length', async () => {
    const identity = await raw('GET', LIST);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.length).toBeGreaterThanOrEqual(1024);
    const gz = await raw('GET', LIST, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
    const br = await raw('GET', LIST, { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    // A second compressed hit is served from the stored variant: same bytes.
    const gz2 = await raw('GET', LIST, { 'accept-encoding': 'gzip' });
    expect(gz2.body.equals(gz.body)).toBe(true);
  });

  it('answers HEAD with the headers and no body, and 304 to a client holding the ETag', async () => {
    const get = await raw('GET', LIST);
    const head = await raw('HEAD', LIST);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers.etag).toBe(get.headers.etag);
    const revalidated = await raw('GET', LIST, { 'if-none-match': String(get.headers.etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers.etag).toBe(get.headers.etag);
    expect(revalidated.headers['x-request-id']).toBeTruthy();
    const other = await raw('GET', LIST, { 'if-none-match': 'W/"something-else"' });
    expect(other.status).toBe(200);
  });

  it('keeps the connection alive across hits and counts them in the HTTP metrics', async () => {
    const count = async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((l) => l.startsWith('http_requests_total{') && l.includes('route="/api/v1/teams"') && l.includes('status_code="200"'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await count();
    const res = await Promise.all(Array.from({ length: 3 }, () => fetch(`${base}${LIST}`)));
    for (const r of res) {
      expect(r.status).toBe(200);
      expect(r.headers.get('x-cache')).toBe('HIT');
      await r.arrayBuffer();
    }
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${base}${LIST}`);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    expect(await count()).toBe(before + 8);
  });
});
