// FPL fixture folders through the import service into a real database: matches from
// fixtures.csv, players keyed across seasons, their season spells and match lines.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const fplDir = fileURLToPath(new URL('../fixtures/fpl', import.meta.url));
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
  (
    await rows<{ matches: number; players: number; stats: number; spells: number }>(sql`
      select (select count(*) from matches)::int as matches, (select count(*) from players)::int as players,
             (select count(*) from player_match_stats)::int as stats, (select count(*) from player_team_spells)::int as spells`)
  )[0]!;

describe('import fpl', () => {
  it('imports both season folders: fixtures as matches, merged_gw rows as player lines, rejections by line', async () => {
    const summary = await importFiles(t.database, 'fpl', [fplDir], { clock });
    expect(summary.files.map((f) => [f.file.split('/').slice(-2).join('/'), f.status])).toEqual([
      ['2019-20/merged_gw.csv', 'imported'],
      ['2021-22/merged_gw.csv', 'imported'],
    ]);
    expect(summary.matches).toEqual({ inserted: 5, updated: 0, unchanged: 0 });
    // Rashford, Kane, Lloris, Norwood, Walker-Peters; Leno, Toney.
    expect(summary.players).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
    expect(summary.player_stats).toEqual({ inserted: 8, updated: 0, unchanged: 0 });
    const where = summary.rejected.map((r) => [r.file.split('/').slice(-2).join('/'), r.line] as const);
    expect(where.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1))).toEqual([
      ['2019-20/fixtures.csv', 6],
      ['2019-20/fixtures.csv', 7],
      ['2019-20/fixtures.csv', 8],
      ['2019-20/merged_gw.csv', 5],
      ['2019-20/merged_gw.csv', 8],
      ['2019-20/merged_gw.csv', 9],
      ['2019-20/merged_gw.csv', 10],
      ['2021-22/merged_gw.csv', 4],
      ['2021-22/merged_gw.csv', 5],
    ]);
    expect(await tableCounts()).toEqual({ matches: 5, players: 7, stats: 8, spells: 7 });
  });

  it("resolves FPL's short club names to the curated teams and keeps the scheduled fixture", async () => {
    const matches = await rows<{ home: string; away: string; match_date: string; status: string; home_score: number | null }>(sql`
      select h.name as home, a.name as away, m.match_date::text, m.status, m.home_score
      from matches m join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by m.match_date`);
    expect(matches).toEqual([
      { home: 'Manchester United', away: 'Tottenham Hotspur', match_date: '2019-08-11', status: 'final', home_score: 2 },
      { home: 'Tottenham Hotspur', away: 'Sheffield United', match_date: '2019-09-01', status: 'final', home_score: 1 },
      { home: 'Sheffield United', away: 'Arsenal', match_date: '2020-06-20', status: 'final', home_score: 0 },
      { home: 'Arsenal', away: 'Manchester United', match_date: '2020-07-26', status: 'scheduled', home_score: null },
      { home: 'Brentford', away: 'Arsenal', match_date: '2021-08-13', status: 'final', home_score: 2 },
    ]);
  });

  it('stores players with their provider ids, positions, clubs and match lines', async () => {
    const stats = await rows<{ name: string; position: string; ext: string; team: string; minutes: number; goals: number; saves: number; total_points: number }>(sql`
      select p.name, p.position, e.external_id as ext, t.name as team, s.minutes, s.goals, s.saves, (s.extra->>'total_points')::int as total_points
      from player_match_stats s join players p on p.id = s.player_id join teams t on t.id = s.team_id
      join external_ids e on e.entity_type = 'player' and e.entity_id = p.id and e.source = 'fpl'
      join matches m on m.id = s.match_id
      order by m.match_date, p.name`);
    expect(stats.find((s) => s.name === 'Marcus Rashford')).toEqual({
      name: 'Marcus Rashford', position: 'FWD', ext: '176297', team: 'Manchester United', minutes: 90, goals: 1, saves: 0, total_points: 11,
    });
    expect(stats.find((s) => s.name === 'Bernd Leno')).toMatchObject({ position: 'GK', ext: '2021-22:1', team: 'Arsenal', saves: 3 });
    // Walker-Peters played for Spurs in both lines, whatever players_raw's end-of-season club says.
    expect(stats.filter((s) => s.name === 'Kyle Walker-Peters').map((s) => s.team)).toEqual(['Tottenham Hotspur', 'Tottenham Hotspur']);
    // Norwood's kept line is the played one (90 minutes), not the postponed slot's copy.
    expect(stats.filter((s) => s.name === 'Oliver Norwood').map((s) => s.minutes)).toEqual([90]);
  });

  it('re-importing changes nothing: skipped by content, and a forced rewrite counts everything unchanged', async () => {
    const before = await tableCounts();
    const again = await importFiles(t.database, 'fpl', [fplDir], { clock });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.matches.inserted + again.matches.updated + again.players.inserted + again.players.updated).toBe(0);
    const forced = await importFiles(t.database, 'fpl', [fplDir], { clock, force: true });
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    expect(forced.players).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(forced.player_stats).toEqual({ inserted: 0, updated: 0, unchanged: 8 });
    expect(await tableCounts()).toEqual(before);
  });
});
