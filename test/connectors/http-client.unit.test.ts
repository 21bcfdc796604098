import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProviderClient, ProviderError, QuotaExhaustedError, retryAfterMs } from '../../src/modules/connectors/http-client.js';
import { startStub, type Stub } from './stub-server.js';

let stub: Stub;
let slept: number[];
beforeEach(async () => {
  stub = await startStub();
  slept = [];
});
afterEach(() => stub.close());

const client = (extra: Partial<Parameters<typeof createProviderClient>[0]> = {}) =>
  createProviderClient({
    source: 'test',
    baseUrl: `${stub.url}/v4`,
    auth: { header: 'X-Auth-Token', value: 'k' },
    quota: { remaining: ['x-requests-remaining'], minuteRemaining: ['X-Requests-Available-Minute'], minuteReset: ['X-RequestCounter-Reset'] },
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...extra,
  });

describe('provider HTTP client', () => {
  it('sends the key as a header or as a query parameter', async () => {
    stub.route('/v4/a', { body: { ok: 1 } });
    expect(await client().get('/a', { season: 2024 })).toEqual({ ok: 1 });
    expect(stub.requests[0]!.headers['x-auth-token']).toBe('k');
    expect(stub.requests[0]!.query.get('season')).toBe('2024');
    await client({ auth: { query: 'apiKey', value: 'q' } }).get('a');
    expect(stub.requests[1]!.query.get('apiKey')).toBe('q');
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    stub.route('/v4/a', { status: 429, headers: { 'Retry-After': '7' }, body: { message: 'slow down' } }, { body: { ok: 2 } });
    expect(await client().get('a')).toEqual({ ok: 2 });
    expect(slept).toEqual([7000]);
    expect(stub.requests).toHaveLength(2);
  });

  it('backs off exponentially on 5xx and gives up after maxRetries', async () => {
    stub.route('/v4/a', { status: 500, body: 'boom' });
    await expect(client({ maxRetries: 2, backoffMs: 100 }).get('a')).rejects.toThrow(/HTTP 500/);
    expect(slept).toEqual([100, 200]);
    expect(stub.requests).toHaveLength(3);
  });

  it('reports a malformed body as a provider error', async () => {
    stub.route('/v4/a', { body: '{"matches": [' });
    await expect(client().get('a')).rejects.toBeInstanceOf(ProviderError);
  });

  it('waits for the minute window when the minute allowance is gone', async () => {
    stub.route('/v4/a', { headers: { 'X-Requests-Available-Minute': '0', 'X-RequestCounter-Reset': '42' }, body: {} });
    const c = client();
    await c.get('a');
    expect(slept).toEqual([]);
    await c.get('a');
    expect(slept).toEqual([42_000]);
  });

  it('stops cleanly once the daily quota is spent, without another request', async () => {
    stub.route('/v4/a', { headers: { 'x-requests-remaining': '0' }, body: {} });
    const c = client();
    await c.get('a');
    await expect(c.get('a')).rejects.toBeInstanceOf(QuotaExhaustedError);
    expect(stub.requests).toHaveLength(1);
    expect(c.quota.remaining).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', new Date('2015-10-21T07:28:00Z'))).toBe(10_000);
    expect(retryAfterMs(null)).toBeNull();
  });
});
