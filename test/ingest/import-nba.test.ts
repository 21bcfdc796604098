// The NBA fixture through the import service: one team per franchise, quarter scores,
// closing lines as odds rows under the 'closing_line' bookmaker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const file = fileURLToPath(new URL('../fixtures/nba/games.csv', import.meta.url));
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

describe('import nba-games', () => {
  it('imports games and their lines, reporting rejected rows and the dropped moneyline', async () => {
    const summary = await importFiles(t.database, 'nba-games', [file], { clock });
    expect(summary.files).toEqual([expect.objectContaining({ status: 'imported' })]);
    expect(summary.matches).toEqual({ inserted: 9, updated: 0, unchanged: 0 });
    // Seven games with 6 rows; one without its away moneyline (5); one without a spread (4).
    expect(summary.odds).toEqual({ inserted: 51, updated: 0, unchanged: 0 });
    expect(summary.rejected.map((r) => r.line)).toEqual([9, 12, 13]);
    expect(summary.warnings).toEqual([expect.objectContaining({ line: 10 })]);
    expect(await tableCounts()).toEqual({ matches: 9, odds: 51, teams: 15 });
  });

  it('stores New Jersey and Brooklyn games under one Nets team, with the old name as an alias', async () => {
    const nets = await rows<{ id: number; games: number }>(sql`
      select t.id, count(m.id)::int as games from teams t join matches m on t.id in (m.home_team_id, m.away_team_id)
      where t.name = 'Brooklyn Nets' group by t.id`);
    expect(nets).toEqual([{ id: expect.any(Number), games: 2 }]);
    const alias = await rows<{ team_id: number }>(sql`select team_id from team_aliases where alias = 'New Jersey Nets'`);
    expect(alias.length).toBeGreaterThan(0);
    expect(alias.every((a) => a.team_id === nets[0]!.id)).toBe(true);
  });

  it('keeps competition, season, quarter scores and playoff flags', async () => {
    const [ot] = await rows<{ competition: string; sport: string; season: string; period_scores: unknown; is_playoff: boolean }>(sql`
      select c.code as competition, s.code as sport, se.name as season, m.period_scores, m.is_playoff
      from matches m join competitions c on c.id = m.competition_id join sports s on s.id = m.sport_id join seasons se on se.id = m.season_id
      where m.match_date = '2012-11-03'`);
    expect(ot).toMatchObject({ competition: 'nba', sport: 'basketball', season: '2012-13', is_playoff: false });
    expect(ot!.period_scores).toContainEqual({ period: 'ot', home: 10, away: 7 });
    const [scheduled] = await rows<{ status: string; home_score: number | null; is_playoff: boolean }>(sql`
      select status, home_score, is_playoff from matches where match_date = '2021-07-22'`);
    expect(scheduled).toEqual({ status: 'scheduled', home_score: null, is_playoff: true });
  });

  it('stores lines as home handicap and total at the assumed -110, and moneylines as decimal prices', async () => {
    const odds = await rows<{ market: string; selection: string; line: number | null; price: number; phase: string; bookmaker: string; name: string }>(sql`
      select o.market, o.selection, o.line, o.price, o.phase, b.code as bookmaker, b.name
      from odds o join bookmakers b on b.id = o.bookmaker_id join matches m on m.id = o.match_id
      where m.match_date = '2007-10-30' order by o.market, o.selection`);
    expect(odds.map((o) => [o.market, o.selection, o.line, Number(o.price.toFixed(4))])).toEqual([
      ['moneyline', 'away', null, 10],
      ['moneyline', 'home', null, 1.0714],
      ['spread', 'away', -13, 1.9091],
      ['spread', 'home', -13, 1.9091],
      ['total', 'over', 189.5, 1.9091],
      ['total', 'under', 189.5, 1.9091],
    ]);
    expect(new Set(odds.map((o) => `${o.bookmaker}|${o.name}|${o.phase}`))).toEqual(
      new Set(['closing_line|Closing line (spread/total prices assumed -110)|closing']),
    );
  });

  it('re-importing changes nothing', async () => {
    const before = await tableCounts();
    const again = await importFiles(t.database, 'nba-games', [file], { clock });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged']);
    const forced = await importFiles(t.database, 'nba-games', [file], { clock, force: true });
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 9 });
    expect(forced.odds).toEqual({ inserted: 0, updated: 0, unchanged: 51 });
    expect(forced.teams_created).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('stores the 2020 restart games (one site, no home court) as neutral, and the games before it as home games', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sharpline-nba-bubble-'));
    try {
      const header = 'season,date,regular,playoffs,away,home,score_away,score_home';
      const csv = join(dir, 'games.csv');
      writeFileSync(csv, [header, '2020,2020-03-11,True,False,det,phi,106,124', '2020,2020-07-30,True,False,no,utah,104,106', '2020,2020-10-11,False,True,mia,lal,93,106', '2021,2020-12-22,True,False,gs,bk,99,125'].join('\n'));
      const summary = await importFiles(t.database, 'nba-games', [csv], { clock });
      expect(summary.rejected).toEqual([]);
      const games = await rows<{ match_date: string; neutral: boolean }>(sql`
        select to_char(match_date, 'YYYY-MM-DD') as match_date, neutral from matches
        where match_date in ('2020-03-11', '2020-07-30', '2020-10-11', '2020-12-22') order by match_date`);
      expect(games).toEqual([
        { match_date: '2020-03-11', neutral: false },
        { match_date: '2020-07-30', neutral: true },
        { match_date: '2020-10-11', neutral: true },
        { match_date: '2020-12-22', neutral: false },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
