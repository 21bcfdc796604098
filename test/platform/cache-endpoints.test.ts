// The cached read endpoints of the product (teams, standings, match lists, prediction
// answers) through the real app: MISS then HIT with one ETag, 304 on revalidation, and an
// import that commits drops exactly the answers that could show what it changed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterDataCommitted } from '../../src/data-changes.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { cacheKeys, invalidateAfterTraining } from '../../src/platform/cache/keys.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'sharpline-cache-endpoints-'));
const fixture = readFileSync(fileURLToPath(new URL('../fixtures/nba/games.csv', import.meta.url)), 'utf8').split('\n');

async function importRows(name: string, rows: string[]) {
  const file = join(dir, name);
  writeFileSync(file, [fixture[0], ...rows].join('\n') + '\n');
  const onCommitted = afterDataCommitted({ database: t.database, clock: t.clock, cache: t.app.cache, onError: (what, err) => { throw new Error(`${what}: ${err.message}`); } });
  await importFiles(t.database, 'nba-games', [file], { clock: t.clock, onCommitted });
}

beforeAll(async () => {
  t = await createTestApp();
  await importRows('a.csv', [fixture[1]!, fixture[2]!]);
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('cached read endpoints', () => {
  it('answer MISS then HIT with the same bytes and ETag, and 304 to a client that has them', async () => {
    for (const url of ['/api/v1/teams?page_size=50', '/api/v1/competitions/nba/standings', '/api/v1/matches?page_size=10']) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      expect(first.headers['x-cache'], url).toBe('MISS');
      const second = await get(url);
      expect(second.headers['x-cache'], url).toBe('HIT');
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.body).toBe(first.body);
      // The hit still carries the conventions of every response.
      expect(second.headers['x-request-id']).toBeTruthy();
      expect((second.json() as { version: string }).version).toBe('v1');
      const revalidated = await get(url, { 'if-none-match': first.headers.etag as string });
      expect(revalidated.statusCode, url).toBe(304);
      expect(revalidated.body).toBe('');
    }
    const teams = (await get('/api/v1/teams?page_size=50')).json() as { items: unknown[] };
    expect(teams.items).toHaveLength(4);
  });

  it('are dropped by an import that changes data, and answer the new data', async () => {
    const before = await get('/api/v1/matches?page_size=10');
    expect(before.headers['x-cache']).toBe('HIT');
    const standingsBefore = await get('/api/v1/competitions/nba/standings');
    expect(standingsBefore.headers['x-cache']).toBe('HIT');
    // The first game again with the away score corrected from 97 to 98.
    await importRows('b.csv', [fixture[1]!.replace(',97,106,', ',98,106,')]);
    const after = await get('/api/v1/matches?page_size=10');
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((after.json() as { items: { away_score: number }[] }).items.map((m) => m.away_score)).toContain(98);
    expect((await get('/api/v1/competitions/nba/standings')).headers['x-cache']).toBe('MISS');
    expect((await get('/api/v1/teams?page_size=50')).headers['x-cache']).toBe('MISS');
    // A stale validator now gets the full new answer.
    expect((await get('/api/v1/matches?page_size=10', { 'if-none-match': before.headers.etag as string })).statusCode).toBe(200);
  });

  it('an import that changes nothing drops nothing', async () => {
    expect((await get('/api/v1/teams?page_size=50')).headers['x-cache']).toBe('HIT');
    await importRows('c.csv', [fixture[2]!]);
    expect((await get('/api/v1/teams?page_size=50')).headers['x-cache']).toBe('HIT');
  });

  it('prediction answers go with an import, a refresh or a training, and nothing else does with a training', async () => {
    const game = cacheKeys.predictions('game', { id: 1 });
    const stored = { etag: 'W/"x"', contentType: 'application/json; charset=utf-8', body: Buffer.from('{}') };
    await t.app.cache.setResponse(game, stored, 600);
    expect((await get('/api/v1/teams?page_size=50')).headers['x-cache']).toBe('HIT');
    await invalidateAfterTraining(t.app.cache);
    expect(await t.app.cache.has(game)).toBe(false);
    expect((await get('/api/v1/teams?page_size=50')).headers['x-cache']).toBe('HIT');
    await t.app.cache.setResponse(game, stored, 600);
    await importRows('d.csv', [fixture[1]!.replace(',97,106,', ',99,106,')]);
    expect(await t.app.cache.has(game)).toBe(false);
  });
});
