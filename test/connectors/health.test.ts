// GET /api/v1/health/data-sources and /health through app.inject while a stub provider
// starts failing and recovers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { syncSource } from '../../src/modules/connectors/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startStub, type Stub } from './stub-server.js';

const BODY = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/providers/football-data-org-pl-matches.json'), 'utf8')) as unknown;
let stub: Stub;
let t: TestApp;
beforeAll(async () => {
  stub = await startStub();
  const env = loadConfig({ FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, FOOTBALL_DATA_API_KEY: 'k' });
  t = await createTestApp({ now: '2025-08-16T10:00:00Z', config: { connectors: env.connectors } });
});
afterAll(async () => {
  await t?.close();
  await stub?.close();
});

const sync = () => syncSource({ config: t.config, database: t.database, clock: t.clock, client: { sleep: async () => {}, maxRetries: 0 } }, 'football-data');
const sources = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/health/data-sources' });
  expect(res.statusCode).toBe(200);
  return res.json() as { status: string; sources: { name: string; status: string; error_streak: number; stale: boolean; last_updated: string | null; quota_remaining: number | null; last_error: string | null }[] };
};
const fd = async () => (await sources()).sources.find((s) => s.name === 'football-data')!;

describe('data-source health', () => {
  it('shows sources without a key as disabled and a configured, never-fetched one as stale', async () => {
    const body = await sources();
    expect(body.sources.map((s) => [s.name, s.status])).toEqual([
      ['football-data', 'degraded'],
      ['api-football', 'disabled'],
      ['odds-api', 'disabled'],
    ]);
    expect((await fd()).stale).toBe(true);
    const legacy = await t.app.inject({ method: 'GET', url: '/api/health/data-sources' });
    expect(legacy.json()).toEqual(body);
  });

  it('reflects a stub that starts failing (degraded, then unhealthy and /health degraded) and recovers', async () => {
    stub.route('/v4/competitions/PL/matches', { headers: { 'X-Requests-Available-Day': '88' }, body: BODY });
    await sync();
    expect(await fd()).toMatchObject({ status: 'healthy', error_streak: 0, stale: false, last_updated: '2025-08-16T10:00:00.000Z', quota_remaining: 88 });

    stub.route('/v4/competitions/PL/matches', { status: 500, body: 'down' });
    t.clock.set('2025-08-16T10:15:00Z');
    await sync();
    expect(await fd()).toMatchObject({ status: 'degraded', error_streak: 1, last_updated: '2025-08-16T10:00:00.000Z' });
    expect((await fd()).last_error).toMatch(/HTTP 500/);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'healthy' });
    await sync();
    await sync();
    expect(await fd()).toMatchObject({ status: 'unhealthy', error_streak: 3 });
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'degraded', failing: ['data_sources'] });

    stub.route('/v4/competitions/PL/matches', { body: BODY });
    t.clock.set('2025-08-16T11:00:00Z');
    await sync();
    expect(await fd()).toMatchObject({ status: 'healthy', error_streak: 0, last_updated: '2025-08-16T11:00:00.000Z' });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'healthy' });
  });

  it('counts requests, errors and rows written per source on /metrics', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(text)?.[1]);
    // The previous test: two good runs (3 matches inserted, then unchanged) and three HTTP 500s.
    expect(value('data_source_requests_total{source="football-data.org",outcome="2xx"}')).toBe(2);
    expect(value('data_source_requests_total{source="football-data.org",outcome="5xx"}')).toBe(3);
    expect(value('data_source_errors_total{source="football-data.org"}')).toBe(3);
    expect(value('data_source_rows_written_total{source="football-data.org",kind="matches"}')).toBe(3);
  });

  it('goes stale after DATA_SOURCE_STALE_MINUTES without a success', async () => {
    t.clock.set('2025-08-18T11:00:00Z');
    expect(await fd()).toMatchObject({ status: 'degraded', stale: true });
  });
});
