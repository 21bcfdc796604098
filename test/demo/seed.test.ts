// Seeding the demo dataset through the import writer on the test database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL): what it writes, that the API serves it, that a second
// run changes nothing, that a later day only completes fixtures, and the start-up rule.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../src/db/client.js';
import type { DataChange } from '../../src/platform/cache/index.js';
import { fixedClock } from '../../src/platform/clock.js';
import { readDemoSeed, seedDemo, seedDemoWhenEmpty, type SeedDemoSummary } from '../../src/modules/demo/seed.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

/** Row counts and last-change times of everything seeding touches. */
async function fingerprint(database: Database) {
  const [row] = await queryRows<Record<string, unknown>>(
    database.db,
    sql`select
      (select count(*) from competitions)::int as competitions, (select count(*) from seasons)::int as seasons,
      (select count(*) from teams)::int as teams, (select count(*) from players)::int as players,
      (select count(*) from matches)::int as matches, (select count(*) from odds)::int as odds,
      (select count(*) from team_match_stats)::int as team_stats, (select count(*) from player_match_stats)::int as player_stats,
      (select count(*) from player_team_spells)::int as spells, (select count(*) from external_ids)::int as external_ids,
      (select count(*) from bookmakers)::int as bookmakers,
      (select max(updated_at)::text from matches) as matches_changed, (select max(updated_at)::text from odds) as odds_changed,
      (select max(updated_at)::text from players) as players_changed, (select max(updated_at)::text from app_meta) as meta_changed,
      (select md5(string_agg(stats::text, ',' order by id)) from team_match_stats) as team_stats_digest`,
  );
  return row!;
}

const nothingWritten = (s: SeedDemoSummary) =>
  [s.matches, s.odds, s.player_stats].every((c) => c.inserted === 0 && c.updated === 0) && s.players.inserted === 0 && s.teams_created === 0;

describe('seeding the demo dataset', () => {
  let t: TestApp;
  let first: SeedDemoSummary;
  const changes: DataChange[] = [];
  beforeAll(async () => {
    t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
    first = await seedDemo({ database: t.database, clock: t.clock }, { seed: 99, onCommitted: async (c) => void changes.push(c) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes three seasons of each demo league, without a rejected row', () => {
    expect(first).toMatchObject({ seed: 99, today: '2024-03-15', rejected: 0 });
    expect(first.files).toHaveLength(6);
    expect(first.matches).toEqual({ inserted: 3 * 380 + 3 * 264, updated: 0, unchanged: 0 });
    expect(first.odds.inserted).toBeGreaterThan(30_000);
    expect(first.player_stats.inserted).toBeGreaterThan(40_000);
    expect(first.teams_created).toBe(32);
    // Each committed league-season reports what it changed, for cache invalidation.
    expect(changes).toHaveLength(6);
    expect(changes.reduce((n, c) => n + [...(c.matchIds ?? [])].length, 0)).toBe(1932);
  });

  it('labels everything it wrote as demo data and records the seed', async () => {
    const [flags] = await queryRows<Record<string, number>>(
      t.database.db,
      sql`select
        (select count(*) from competitions where is_demo)::int as competitions, (select count(*) from competitions)::int as all_competitions,
        (select count(*) from teams where is_demo)::int as teams, (select count(*) from players where not is_demo)::int as plain_players,
        (select count(*) from matches where not is_demo)::int as plain_matches`,
    );
    expect(flags).toEqual({ competitions: 2, all_competitions: 2, teams: 32, plain_players: 0, plain_matches: 0 });
    expect(await readDemoSeed(t.database)).toMatchObject({ seed: 99, today: '2024-03-15', matches: 1932 });
  });

  it('is served by the API: results, standings and upcoming fixtures', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/matches?competition=demo-premier-league&season=2023-24&status=final&page_size=5' });
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.total).toBeGreaterThan(250);
    expect(body.items[0]).toMatchObject({ competition: { code: 'demo-premier-league', name: 'Demo Premier League' }, status: 'final' });

    const upcoming = await t.app.inject({ method: 'GET', url: '/api/v1/matches/upcoming?days=14' });
    expect(upcoming.statusCode).toBe(200);
    const fixtures = upcoming.json().items as { match_date: string; status: string }[];
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) expect([f.status, f.match_date >= '2024-03-15']).toEqual(['scheduled', true]);

    const table = await t.app.inject({ method: 'GET', url: '/api/v1/competitions/demo-premier-league/standings?season=2022-23' });
    expect(table.statusCode).toBe(200);
    const rows = JSON.stringify(table.json());
    expect(rows).toContain('Ashbury Wanderers');
  });

  it('changes nothing when run again', async () => {
    const before = await fingerprint(t.database);
    const reported: DataChange[] = [];
    const again = await seedDemo({ database: t.database, clock: t.clock }, { seed: 99, onCommitted: async (c) => void reported.push(c) });
    expect(nothingWritten(again)).toBe(true);
    expect(reported).toEqual([]);
    expect(again.matches.unchanged).toBe(1932);
    expect(await fingerprint(t.database)).toEqual(before);
  });

  it('refuses a different seed, which would schedule a second set of fixtures', async () => {
    await expect(seedDemo({ database: t.database, clock: t.clock }, { seed: 100 })).rejects.toThrow(/seed 99 is already loaded/);
  });

  it('completes fixtures, and only that, when run on a later day', async () => {
    // Both current seasons are still running on this day, so no new season starts.
    const later = fixedClock('2024-04-02T12:00:00Z');
    const res = await seedDemo({ database: t.database, clock: later }, { seed: 99 });
    expect(res.matches.inserted).toBe(0);
    expect(res.matches.updated).toBeGreaterThan(30);
    expect(res.odds.updated).toBe(0);
    expect(res.odds.inserted).toBeGreaterThan(0);
    const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from matches where status = 'scheduled' and match_date < '2024-04-02'`);
    expect(row!.n).toBe(0);
    expect(await readDemoSeed(t.database)).toMatchObject({ seed: 99, today: '2024-04-02' });
  });
});

describe('seeding at start-up', () => {
  it('seeds an empty database once, and leaves a database with matches alone', async () => {
    const { database, cleanup } = await createTestDatabase();
    try {
      const clock = fixedClock('2024-11-02T09:00:00Z');
      const res = await seedDemoWhenEmpty({ database, clock });
      expect(res.seeded).toBe(true);
      if (res.seeded) expect(res.summary).toMatchObject({ today: '2024-11-02', rejected: 0 });
      const again = await seedDemoWhenEmpty({ database, clock });
      expect(again).toEqual({ seeded: false, existingMatches: 1932 });
    } finally {
      await cleanup();
    }
  });
});
