// The response cache's hot path: a read endpoint's answer is stored as the bytes it was sent
// as (serialised once through the route's response schema, compressed once per encoding a
// client asked for) with a validator, so a hit only writes stored bytes and a client that
// already holds them gets 304 Not Modified.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply } from 'fastify';
import { API_VERSION } from '../http.js';
import type { Cache, StoredResponse } from './cache.js';
import { sharedLoad } from './read.js';

/** Bodies smaller than this are sent as they are (as @fastify/compress's threshold). */
export const COMPRESS_THRESHOLD_BYTES = 1024;
const JSON_TYPE = 'application/json; charset=utf-8';
const encodings = new Negotiator({ supportedValues: ['br', 'gzip'], cache: new Map() });
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const compressors: Record<'br' | 'gzip', (b: Buffer) => Promise<Buffer>> = {
  // Quality 4: @fastify/compress's default, a fair trade for bodies compressed once per entry.
  br: (b) => brotli(b, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
  gzip: (b) => gzipAsync(b),
};

/** Strong digest of the identity body; weak because one entity is sent under several encodings. */
export function etagOf(body: Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** If-None-Match against an ETag, by weak comparison (RFC 9110 §13.1.2). */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

function withVersion(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) && !('version' in value)) {
    return { ...(value as Record<string, unknown>), version: API_VERSION };
  }
  return value;
}

/** Serve `key` from the cache, or load, encode, store and serve it. Returns the sent reply. */
export async function sendCached(reply: FastifyReply, cache: Cache, key: string, ttlSeconds: number, load: () => Promise<unknown>): Promise<FastifyReply> {
  let entry = await cache.getResponse(key);
  const hit = entry !== undefined;
  if (!entry) {
    const got = await sharedLoad<StoredResponse | { uncached: unknown }>(cache, key, async () => {
      const value = await load();
      // null/undefined answers ("not there yet") are not cached: the next import may add them.
      if (value === undefined || value === null) return { uncached: value };
      const encoded = reply.serialize(withVersion(value));
      const body = typeof encoded === 'string' ? Buffer.from(encoded) : Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded);
      const stored: StoredResponse = { etag: etagOf(body), contentType: JSON_TYPE, body };
      await cache.setResponse(key, stored, ttlSeconds);
      return stored;
    });
    if ('uncached' in got) {
      reply.header('x-cache', 'MISS');
      return reply.send(got.uncached);
    }
    entry = got;
  }
  const ifNoneMatch = reply.request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && notModified(ifNoneMatch, entry.etag)) return writeStored(reply, 304, entry, hit, null, null);
  let payload = entry.body;
  let encoding: 'br' | 'gzip' | null = null;
  if (payload.length >= COMPRESS_THRESHOLD_BYTES) {
    const enc = encodings.negotiate(reply.request.headers['accept-encoding'] ?? '') as 'br' | 'gzip' | null;
    if (enc === 'br' || enc === 'gzip') {
      let compressed = entry[enc];
      if (!compressed) {
        compressed = await compressors[enc](entry.body);
        await cache.setResponse(key, { ...entry, [enc]: compressed }, ttlSeconds, { keepTtl: true });
      }
      payload = compressed;
      encoding = enc;
    }
  }
  return writeStored(reply, 200, entry, hit, payload, encoding);
}

/** Vary with accept-encoding added to what the reply already varies on (CORS adds Origin). */
export function varyWithEncoding(existing: unknown): string {
  if (existing === undefined || existing === null || existing === '') return 'accept-encoding';
  const text = Array.isArray(existing) ? existing.join(', ') : String(existing);
  return /(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(text) ? text : `${text}, accept-encoding`;
}

/**
 * Write a stored answer straight to the socket: the headers the request's hooks set so far
 * (request id, security headers, CORS, rate limits), the entry's validator and type, and the
 * stored bytes. The reply is hijacked, so Fastify's send path (serialiser checks, the onSend
 * chain, whose only member here is @fastify/compress, which these bytes have already been
 * through) is skipped; onResponse hooks (metrics, the request log) still run when the
 * response finishes (decision 0037).
 */
function writeStored(reply: FastifyReply, status: 200 | 304, entry: StoredResponse, hit: boolean, payload: Buffer | null, encoding: 'br' | 'gzip' | null): FastifyReply {
  const headers = reply.getHeaders() as Record<string, string | number | string[]>;
  headers['x-cache'] = hit ? 'HIT' : 'MISS';
  headers.etag = entry.etag;
  headers.vary = varyWithEncoding(headers.vary);
  if (payload !== null) {
    headers['content-type'] = entry.contentType;
    if (encoding !== null) headers['content-encoding'] = encoding;
    headers['content-length'] = payload.length;
  }
  reply.hijack();
  reply.raw.writeHead(status, headers);
  if (payload === null) reply.raw.end();
  else reply.raw.end(payload);
  return reply;
}
