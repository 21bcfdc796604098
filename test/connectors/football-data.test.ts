// football-data.org v4 against a local stub in the provider's response shape
// (test/fixtures/providers/README.md): the database after each sync.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { queryRows } from '../../src/db/client.js';
import { syncSource } from '../../src/modules/connectors/index.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startStub, type Stub } from './stub-server.js';

const FIXTURE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/providers/football-data-org-pl-matches.json'), 'utf8')) as {
  matches: { id: number; status: string; homeTeam: { name: string }; score: { fullTime: { home: number | null; away: number | null } } }[];
};
const body = (edit: (m: (typeof FIXTURE)['matches']) => void = () => {}) => {
  const copy = structuredClone(FIXTURE);
  edit(copy.matches);
  return copy;
};

let stub: Stub;
let db: TestDatabase;
const clock = fixedClock('2025-08-16T10:00:00Z');
beforeEach(async () => {
  stub = await startStub();
  db = await createTestDatabase();
});
afterEach(async () => {
  await stub.close();
  await db.cleanup();
});

const sync = (key: string | null = 'test-key') =>
  syncSource(
    {
      config: loadConfig({ FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, ...(key ? { FOOTBALL_DATA_API_KEY: key } : {}) }),
      database: db.database,
      clock,
      client: { sleep: async () => {}, backoffMs: 1 },
    },
    'football-data',
  );

const matches = () =>
  queryRows<{ ext: string; home: string; away: string; status: string; hs: number | null; as: number | null; date: string }>(
    db.database.db,
    sql`select e.external_id as ext, h.name as home, a.name as away, m.status, m.home_score as hs, m.away_score as "as", m.match_date::text as date
        from matches m join external_ids e on e.entity_type = 'match' and e.entity_id = m.id and e.source = 'football-data.org'
        join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by e.external_id`,
  );
const dataSource = async () => (await queryRows<{ error_streak: number; last_error: string | null; quota_remaining: number | null }>(db.database.db, sql`select * from data_sources where source = 'football-data.org'`))[0];

describe('football-data.org connector', () => {
  it('fills matches with external ids; a second identical sync writes nothing', async () => {
    stub.route('/v4/competitions/PL/matches', { headers: { 'X-Requests-Available-Minute': '9', 'X-Requests-Available-Day': '500' }, body: body() });
    const first = await sync();
    expect(first.status).toBe('completed');
    expect(first.matches).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(stub.requests[0]!.headers['x-auth-token']).toBe('test-key');
    const rows = await matches();
    expect(rows.map((r) => [r.ext, r.status, r.hs, r.as])).toEqual([
      ['537785', 'final', 4, 2],
      ['537786', 'scheduled', null, null],
      ['537787', 'scheduled', null, null],
    ]);
    expect(rows[0]!.date).toBe('2025-08-15');
    const teamIds = await queryRows<{ n: number }>(db.database.db, sql`select count(*)::int as n from external_ids where entity_type = 'team' and source = 'football-data.org'`);
    expect(teamIds[0]!.n).toBe(6);

    const second = await sync();
    expect(second.matches).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect(second.teams_created).toBe(0);
    expect(await matches()).toEqual(rows);
    expect((await dataSource())!.quota_remaining).toBe(500);
  });

  it('moves a match scheduled → live → final across three syncs', async () => {
    stub.route('/v4/competitions/PL/matches', { body: body() });
    await sync();
    expect((await matches())[2]).toMatchObject({ status: 'scheduled', hs: null });
    stub.route('/v4/competitions/PL/matches', {
      body: body((m) => {
        m[2]!.status = 'IN_PLAY';
        m[2]!.score.fullTime = { home: 1, away: 0 };
      }),
    });
    const live = await sync();
    expect(live.matches).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect((await matches())[2]).toMatchObject({ status: 'in_progress', hs: 1, as: 0 });
    stub.route('/v4/competitions/PL/matches', {
      body: body((m) => {
        m[2]!.status = 'FINISHED';
        m[2]!.score.fullTime = { home: 2, away: 1 };
      }),
    });
    await sync();
    expect((await matches())[2]).toMatchObject({ status: 'final', hs: 2, as: 1 });
  });

  it('resolves a renamed team by its provider id, not by name', async () => {
    stub.route('/v4/competitions/PL/matches', { body: body() });
    await sync();
    stub.route('/v4/competitions/PL/matches', {
      body: body((m) => {
        m[0]!.homeTeam.name = 'Liverpool Football Club Renamed';
      }),
    });
    const again = await sync();
    expect(again.teams_created).toBe(0);
    expect(again.matches.inserted).toBe(0);
    expect((await matches())[0]!.home).toBe('Liverpool');
  });

  it('records failures in data_sources (500, malformed body) and recovers; 429 with Retry-After is retried', async () => {
    stub.route('/v4/competitions/PL/matches', { status: 500, body: 'down' });
    expect((await sync()).status).toBe('failed');
    stub.route('/v4/competitions/PL/matches', { body: '{"matches": [' });
    const bad = await sync();
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/malformed/);
    expect((await dataSource())!.error_streak).toBe(2);
    stub.route('/v4/competitions/PL/matches', { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'You reached your request limit.' } }, { body: body() });
    const ok = await sync();
    expect(ok.status).toBe('completed');
    expect(ok.matches.inserted).toBe(3);
    expect((await dataSource())!.error_streak).toBe(0);
  });

  it('stops cleanly when the day quota is spent', async () => {
    stub.route('/v4/competitions/PL/matches', { headers: { 'X-Requests-Available-Day': '0' }, body: body() });
    const cfg = loadConfig({ FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, FOOTBALL_DATA_API_KEY: 'k', FOOTBALL_DATA_COMPETITIONS: 'PL,BL1' });
    const s = await syncSource({ config: cfg, database: db.database, clock, client: { sleep: async () => {} } }, 'football-data');
    expect(s.status).toBe('stopped');
    expect(s.stopped_at).toBe('competitions/BL1/matches');
    expect(s.matches.inserted).toBe(3); // PL stays committed
    expect(stub.requests).toHaveLength(1);
  });

  it('is disabled without a key', async () => {
    await expect(sync(null)).rejects.toThrow(/FOOTBALL_DATA_API_KEY/);
  });
});
