// The NFL fixture (games.csv with its CR-only teams.csv) through the import service:
// relocated franchises as one team, venues, neutral sites, spreads and totals as odds rows.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const games = fileURLToPath(new URL('../fixtures/nfl/games.csv', import.meta.url));
const clock = fixedClock('2024-03-15T12:00:00Z');
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.cleanup();
});

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(t.database.db, query);
const tableCounts = async () =>
  (await rows<{ matches: number; odds: number; teams: number }>(sql`
    select (select count(*) from matches)::int as matches, (select count(*) from odds)::int as odds, (select count(*) from teams)::int as teams`))[0]!;

describe('import nfl-games', () => {
  it('imports the folder (games.csv, with teams.csv read beside it rather than as an input)', async () => {
    const summary = await importFiles(t.database, 'nfl-games', [dirname(games)], { clock });
    expect(summary.files.map((f) => [f.file, f.status])).toEqual([[games, 'imported']]);
    expect(summary.matches).toEqual({ inserted: 12, updated: 0, unchanged: 0 });
    // Ten games with spread and total (4 rows), one with a spread only (2), one from before lines.
    expect(summary.odds).toEqual({ inserted: 42, updated: 0, unchanged: 0 });
    expect(summary.rejected.map((r) => [r.line, r.reason])).toEqual([
      [9, 'non-numeric score "2l"-"21" (home-away)'],
      [15, 'invalid schedule_date "2/30/2019" (expected m/d/yyyy)'],
    ]);
  });

  it('stores each relocated franchise as one team with its old names as aliases', async () => {
    const rams = await rows<{ name: string; games: number }>(sql`
      select t.name, count(m.id)::int as games from teams t join matches m on t.id in (m.home_team_id, m.away_team_id)
      where t.name like '%Rams' or t.name like '%Raiders' or t.name like '%Cardinals' group by t.name order by t.name`);
    expect(rams).toEqual([
      { name: 'Arizona Cardinals', games: 2 },
      { name: 'Los Angeles Rams', games: 3 },
      { name: 'Oakland Raiders', games: 6 },
    ]);
    const aliases = await rows<{ alias: string; team: string }>(sql`
      select a.alias, t.name as team from team_aliases a join teams t on t.id = a.team_id
      where a.alias in ('St. Louis Rams', 'Los Angeles Raiders', 'St. Louis Cardinals') order by a.alias, a.source`);
    expect(new Set(aliases.map((a) => `${a.alias} → ${a.team}`))).toEqual(
      new Set(['Los Angeles Raiders → Oakland Raiders', 'St. Louis Cardinals → Arizona Cardinals', 'St. Louis Rams → Los Angeles Rams']),
    );
  });

  it('keeps venue, neutral site, playoff round and the scheduled game', async () => {
    const [bowl] = await rows<{ venue: string; neutral: boolean; is_playoff: boolean; round: string; season: string }>(sql`
      select v.name as venue, m.neutral, m.is_playoff, m.round, se.name as season
      from matches m join venues v on v.id = m.venue_id join seasons se on se.id = m.season_id where m.match_date = '2020-02-02'`);
    expect(bowl).toEqual({ venue: 'Hard Rock Stadium', neutral: true, is_playoff: true, round: 'Superbowl', season: '2019' });
    const [scheduled] = await rows<{ status: string; home_score: number | null; away: string }>(sql`
      select m.status, m.home_score, a.name as away from matches m join teams a on a.id = m.away_team_id where m.match_date = '2020-09-10'`);
    expect(scheduled).toEqual({ status: 'scheduled', home_score: null, away: 'Houston Texans' });
  });

  it('stores the LVR-favoured spread on the Raiders side as a home handicap', async () => {
    const spreads = await rows<{ match_date: string; line: number }>(sql`
      select m.match_date::text, o.line from odds o join matches m on m.id = o.match_id
      where o.market = 'spread' and o.selection = 'home' and m.match_date in ('1979-09-23', '1979-10-14', '1985-12-01') order by m.match_date`);
    expect(spreads).toEqual([
      { match_date: '1979-09-23', line: 3 },
      { match_date: '1979-10-14', line: -10 },
      { match_date: '1985-12-01', line: 0 },
    ]);
  });

  it('re-importing changes nothing', async () => {
    const before = await tableCounts();
    expect((await importFiles(t.database, 'nfl-games', [games], { clock })).files.map((f) => f.status)).toEqual(['unchanged']);
    const forced = await importFiles(t.database, 'nfl-games', [games], { clock, force: true });
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 12 });
    expect(forced.odds).toEqual({ inserted: 0, updated: 0, unchanged: 42 });
    expect(await tableCounts()).toEqual(before);
  });
});
