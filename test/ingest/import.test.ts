// The import service on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
// exact counts, idempotent re-imports, fixtures completed by later files, two sources merged
// into one match, failures rolled back, and lookalike names reviewed then merged.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql, type Database } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { addTeamAlias } from '../../src/modules/ingest/team-merge.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/football-data');
const fx = (name: string) => join(FIXTURES, name);
const clock = fixedClock('2024-03-15T12:00:00Z');
const HEADER = 'Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,B365H,B365D,B365A';

let t: TestDatabase;
let db: Database;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database;
  dir = await mkdtemp(join(tmpdir(), 'sharpline-import-'));
});
afterAll(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const TABLES = ['sports', 'competitions', 'seasons', 'teams', 'team_aliases', 'name_reviews', 'matches', 'match_sources', 'team_match_stats', 'bookmakers', 'odds', 'external_ids'];
async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
    out[table] = row!.n;
  }
  return out;
}
async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(db.db, query);
  return row!;
}
async function writeCsv(name: string, rows: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${HEADER}\n${rows.join('\n')}\n`);
  return path;
}

describe('importFiles (football-data)', () => {
  const first = [fx('e0-2000-01.csv'), fx('sp1-2004-05-latin1.csv'), fx('e0-2019-20-fixtures-cr.csv')];

  it('imports the fixtures with exact counts and every rejected row reported', async () => {
    const s = await importFiles(db, 'football-data', first, { clock });
    expect(s.files.map((f) => [f.status, f.matches.inserted, f.rejected])).toEqual([
      ['imported', 4, 0],
      ['imported', 3, 5],
      ['imported', 3, 0],
    ]);
    expect(s.matches).toEqual({ inserted: 10, updated: 0, unchanged: 0 });
    // Hand-counted prices: 57 (2000-01) + 36 (2004-05) + 28 + 28 + 18 (2019-20, the fixture has no closing odds).
    expect(s.odds).toEqual({ inserted: 167, updated: 0, unchanged: 0 });
    expect(s.rejected.map((r) => [r.file.split('/').pop(), r.line])).toEqual([
      ['sp1-2004-05-latin1.csv', 4],
      ['sp1-2004-05-latin1.csv', 5],
      ['sp1-2004-05-latin1.csv', 6],
      ['sp1-2004-05-latin1.csv', 7],
      ['sp1-2004-05-latin1.csv', 8],
    ]);
    expect(s.review).toEqual([]);
    const counts = await tableCounts();
    expect(counts).toMatchObject({ matches: 10, odds: 167, competitions: 2, seasons: 3, teams: 18, team_match_stats: 18 });
    const depor = await one<{ name: string; country: string }>(sql`select name, country from teams where name like 'Deportivo%'`);
    expect(depor).toEqual({ name: 'Deportivo La Coruña', country: 'Spain' });
    const scheduled = await one<{ status: string; home_score: number | null }>(
      sql`select m.status, m.home_score from matches m join teams h on h.id = m.home_team_id where h.name = 'AFC Bournemouth'`,
    );
    expect(scheduled).toEqual({ status: 'scheduled', home_score: null });
  });

  it('reports a second identical import as unchanged and writes nothing', async () => {
    const before = await tableCounts();
    const again = await importFiles(db, 'football-data', first, { clock });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.matches).toEqual({ inserted: 0, updated: 0, unchanged: 10 });
    expect(again.odds).toEqual({ inserted: 0, updated: 0, unchanged: 167 });
    // Forced through the writer, the diff finds nothing to change either.
    const forced = await importFiles(db, 'football-data', first, { clock, force: true });
    expect(forced.files.map((f) => f.status)).toEqual(['imported', 'imported', 'imported']);
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 10 });
    expect(forced.odds).toEqual({ inserted: 0, updated: 0, unchanged: 167 });
    expect(forced.teams_created).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('reads an http(s) URL like a file: the same bytes from a football-data.co.uk link are recognised', async () => {
    const url = 'https://www.football-data.co.uk/mmz4281/0001/E0.csv';
    const fetched: string[] = [];
    const s = await importFiles(db, 'football-data', [url], {
      clock,
      fetcher: async (u) => {
        fetched.push(u);
        return readFile(fx('e0-2000-01.csv'));
      },
    });
    expect(fetched).toEqual([url]);
    expect(s.files).toMatchObject([{ file: url, status: 'unchanged', matches: { inserted: 0, updated: 0, unchanged: 4 } }]);
  });

  it('completes a scheduled fixture from a later file', async () => {
    const s = await importFiles(db, 'football-data', [fx('e0-2019-20-results.csv')], { clock });
    expect(s.matches).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    // The 18 opening prices were already there; the 10 closing ones are new.
    expect(s.odds).toEqual({ inserted: 10, updated: 0, unchanged: 18 });
    const m = await one<{ status: string; home_score: number; away_score: number; referee: string; kickoff_at: Date }>(
      sql`select m.status, m.home_score, m.away_score, m.referee, m.kickoff_at from matches m join teams h on h.id = m.home_team_id where h.name = 'AFC Bournemouth'`,
    );
    expect(m).toMatchObject({ status: 'final', home_score: 1, away_score: 1, referee: 'K Friend' });
    expect(new Date(m.kickoff_at).toISOString()).toBe('2019-08-10T14:00:00.000Z');
  });

  it('stores the same match from football-data and the aggregated file once, with both sources’ odds', async () => {
    const teamsBefore = (await tableCounts()).teams!;
    const s = await importFiles(db, 'football-data', [fx('england-premier-league-2019.csv')], { clock });
    expect(s.matches).toEqual({ inserted: 1, updated: 0, unchanged: 3 });
    expect(s.odds).toEqual({ inserted: 52, updated: 0, unchanged: 0 });
    // Only Burnley is new: "Manchester City", "Sheffield Utd" (and Southampton, from 2000-01) resolve to existing teams.
    expect((await tableCounts()).teams).toBe(teamsBefore + 1);
    const rows = await queryRows<{ id: number; sources: string; bookmakers: string }>(
      db.db,
      sql`select m.id,
            (select string_agg(source, ',' order by source) from match_sources where match_id = m.id) as sources,
            (select string_agg(distinct b.code, ',' order by b.code) from odds o join bookmakers b on b.id = o.bookmaker_id where o.match_id = m.id) as bookmakers
          from matches m join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id
          where h.name = 'West Ham United' and a.name = 'Manchester City'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sources: 'football-data,odds-aggregate', bookmakers: 'bet365,fd_market_avg,fd_market_max,market_avg,pinnacle' });
  });

  it('leaves the database exactly as it was when a file fails midway, and goes on with the next file', async () => {
    const before = await tableCounts();
    const bundesliga = await writeCsv('d1.csv', ['D1,16/08/2019,19:30,Bayern Munich,Hertha,2,2,1.1,11,21', 'D1,17/08/2019,14:30,Dortmund,Augsburg,5,1,1.2,8,13']);
    const s = await importFiles(db, 'football-data', [bundesliga], {
      clock,
      onProgress: (p) => {
        // Teams, competition, season and matches are written by now; the odds stage aborts the file.
        if (p.stage === 'odds') throw new Error('disk full (simulated)');
      },
    });
    expect(s.files).toMatchObject([{ status: 'failed', error: 'disk full (simulated)' }]);
    expect(await tableCounts()).toEqual(before);

    const mixed = await importFiles(db, 'football-data', [fx('not-football-data.csv'), bundesliga], { clock });
    expect(mixed.files.map((f) => f.status)).toEqual(['failed', 'imported']);
    expect(mixed.files[0]!.error).toMatch(/not a football-data.co.uk CSV/);
    expect(mixed.matches.inserted).toBe(2);
    const failures = await one<{ n: number }>(sql`select count(*)::int as n from import_files where status = 'failed'`);
    expect(failures.n).toBe(2);
  });

  it('rejects a duplicate that only shows after alias resolution', async () => {
    const path = await writeCsv('dupe.csv', ['E0,24/08/2019,15:00,Man City,Tottenham,2,2,1.2,7,13', 'E0,24/08/2019,15:00,Manchester City,Spurs,2,2,1.2,7,13']);
    const s = await importFiles(db, 'football-data', [path], { clock });
    expect(s.matches.inserted).toBe(1);
    expect(s.rejected).toEqual([{ file: path, line: 3, reason: 'duplicate of line 2: Manchester City v Spurs on 2019-08-24' }]);
  });
});

describe('names that resemble a team', () => {
  it('creates the team, reports it for review, and merges it when an alias is added', async () => {
    const path = await writeCsv('typo.csv', ['E0,09/08/2019,20:00,Liverpol,Norwich,4,1,1.14,10,19', 'E0,31/08/2019,17:30,Liverpol,Burnley,3,0,1.3,6,9']);
    const s = await importFiles(db, 'football-data', [path], { clock });
    const liverpool = await one<{ id: number }>(sql`select id from teams where name = 'Liverpool'`);
    expect(s.teams_created).toBe(1);
    expect(s.review).toHaveLength(1);
    expect(s.review[0]).toMatchObject({ file: path, name: 'Liverpol', resembles: { team_id: liverpool.id, name: 'Liverpool' } });
    expect(s.review[0]!.resembles.similarity_pct).toBeGreaterThanOrEqual(60);
    const review = await one<{ raw_name: string; status: string }>(sql`select raw_name, status from name_reviews`);
    expect(review).toEqual({ raw_name: 'Liverpol', status: 'open' });
    const matchesBefore = (await tableCounts()).matches!;

    const res = await addTeamAlias(db, { alias: 'Liverpol', teamId: liverpool.id }, clock);
    // Liverpol v Norwich on 9 Aug is the match we already had (folded); the Burnley one moves.
    expect(res.merged).toEqual([{ team_id: s.review[0]!.created_team_id, name: 'Liverpol', matches_moved: 1, matches_folded: 1 }]);
    expect((await tableCounts()).matches).toBe(matchesBefore - 1);
    expect(await one<{ n: number }>(sql`select count(*)::int as n from teams where name = 'Liverpol'`)).toEqual({ n: 0 });
    expect(await one<{ status: string }>(sql`select status from name_reviews`)).toEqual({ status: 'merged' });
    const burnley = await one<{ home: string }>(
      sql`select h.name as home from matches m join teams h on h.id = m.home_team_id where m.match_date = '2019-08-31'`,
    );
    expect(burnley.home).toBe('Liverpool');

    // The spelling now resolves through the alias table: nothing new is created.
    const again = await importFiles(db, 'football-data', [path], { clock, force: true });
    expect(again.teams_created).toBe(0);
    expect(again.review).toEqual([]);
    expect(again.matches).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
  });
});
