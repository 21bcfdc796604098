// The real-data import suite (npm run test:real): imports ../shared/data (or
// SHARPLINE_DATA_DIR) through the import service and checks exact counts, the merge of
// football-data.co.uk with the aggregated odds file, a known final table, idempotence, and
// that openfootball, FPL, NBA and NFL land on the same teams and matches.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { systemClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(root, process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const haveData = existsSync(join(dataDir, 'soccer', 'football-data-co-uk', 'E0'));
if (!haveData) console.warn(`[test:real] ${dataDir} not found: real-data import checks skipped (set SHARPLINE_DATA_DIR)`);

const data = (p: string) => join(dataDir, p);

describe.skipIf(!haveData)('importing the real data', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.cleanup();
  });
  const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(t.database.db, q);
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;
  const EPL = sql`(select id from competitions where code = 'england-premier-league')`;

  it('imports the 22 Premier League seasons of football-data.co.uk: 8,360 matches', async () => {
    const s = await importFiles(t.database, 'football-data', [data('soccer/football-data-co-uk/E0')], { clock: systemClock });
    expect(s.files).toHaveLength(22);
    expect(s.files.every((f) => f.status === 'imported')).toBe(true);
    expect(s.matches).toEqual({ inserted: 8360, updated: 0, unchanged: 0 });
    expect(s.rejected).toEqual([]);
    const seasons = await rows<{ name: string; n: number }>(
      sql`select s.name, count(*)::int as n from matches m join seasons s on s.id = m.season_id where m.competition_id = ${EPL} group by s.name order by s.name`,
    );
    expect(seasons).toHaveLength(22);
    expect(seasons[0]).toEqual({ name: '2000-01', n: 380 });
    expect(seasons.at(-1)).toEqual({ name: '2021-22', n: 380 });
    expect(seasons.every((r) => r.n === 380)).toBe(true);
  });

  it('imports the five league files (23,568 matches) and merges their Premier League seasons with football-data.co.uk', async () => {
    const s = await importFiles(t.database, 'football-data', [data('soccer/leagues')], { clock: systemClock });
    expect(s.files).toHaveLength(5);
    expect(s.matches.inserted + s.matches.updated + s.matches.unchanged).toBe(23_568);
    // Its 4,912 Premier League rows (2009-10 .. 2021-22; two seasons are incomplete in it) were already there.
    expect(s.matches.inserted).toBe(23_568 - 4_912);
    expect(s.review).toEqual([]);
    expect(await count(sql`select count(*)::int as n from match_sources where source = 'odds-aggregate'`)).toBe(23_568);
    expect(await count(sql`select count(*)::int as n from matches where competition_id = ${EPL}`)).toBe(8_360);
    expect(await count(sql`select count(*)::int as n from matches`)).toBe(8_360 + 23_568 - 4_912);
    const bothSources = await count(sql`
      select count(*)::int as n from matches m where m.competition_id = ${EPL}
        and exists (select 1 from match_sources s where s.match_id = m.id and s.source = 'football-data')
        and exists (select 1 from match_sources s where s.match_id = m.id and s.source = 'odds-aggregate')`);
    expect(bothSources).toBe(4_912);
  });

  it('computes the 2015-16 Premier League table: Leicester 81, Arsenal 71, Tottenham 70', async () => {
    const table = await rows<{ team: string; points: number }>(sql`
      with games as (
        select m.home_team_id as team, m.home_score as f, m.away_score as a from matches m join seasons s on s.id = m.season_id
          where m.competition_id = ${EPL} and s.name = '2015-16' and m.status = 'final'
        union all
        select m.away_team_id, m.away_score, m.home_score from matches m join seasons s on s.id = m.season_id
          where m.competition_id = ${EPL} and s.name = '2015-16' and m.status = 'final')
      select t.name as team, sum(case when f > a then 3 when f = a then 1 else 0 end)::int as points
      from games g join teams t on t.id = g.team group by t.name order by points desc, t.name limit 3`);
    expect(table).toEqual([
      { team: 'Leicester City', points: 81 },
      { team: 'Arsenal', points: 71 },
      { team: 'Tottenham Hotspur', points: 70 },
    ]);
  });

  it('changes nothing when everything is imported again (by fingerprint, and forced through the writer)', async () => {
    const inputs = [data('soccer/football-data-co-uk/E0'), data('soccer/leagues')];
    const again = await importFiles(t.database, 'football-data', inputs, { clock: systemClock });
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect([again.matches.inserted, again.matches.updated, again.odds.inserted, again.odds.updated]).toEqual([0, 0, 0, 0]);
    const forced = await importFiles(t.database, 'football-data', [data('soccer/leagues')], { clock: systemClock, force: true });
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 23_568 });
    expect(forced.odds.inserted + forced.odds.updated).toBe(0);
  });

  it('lands openfootball and FPL on the same teams and matches', async () => {
    const before = await count(sql`select count(*)::int as n from teams`);
    const of = await importFiles(t.database, 'openfootball', [data('soccer/openfootball')], { clock: systemClock });
    expect(of.files).toHaveLength(4);
    expect(of.matches.inserted).toBe(0);
    expect(of.matches.updated + of.matches.unchanged).toBe(380 * 2 + 306 * 2);
    const fpl = await importFiles(t.database, 'fpl', [data('soccer/fpl')], { clock: systemClock });
    expect(fpl.files.map((f) => f.status)).toEqual(['imported', 'imported', 'imported']);
    expect(fpl.matches.inserted).toBe(0);
    expect(fpl.matches.updated + fpl.matches.unchanged).toBe(380 * 3);
    expect(await count(sql`select count(*)::int as n from player_match_stats`)).toBe(fpl.player_stats.inserted);
    expect(await count(sql`select count(*)::int as n from teams`)).toBe(before);
    expect(await count(sql`select count(*)::int as n from matches where competition_id = ${EPL}`)).toBe(8_360);
  });

  it('imports the NBA and NFL archives onto one team per franchise', async () => {
    const nba = await importFiles(t.database, 'nba-games', [data('nba')], { clock: systemClock });
    const nfl = await importFiles(t.database, 'nfl-games', [data('nfl')], { clock: systemClock });
    expect(nba.files[0]!.status).toBe('imported');
    expect(nfl.files[0]!.status).toBe('imported');
    expect(nba.review).toEqual([]);
    expect(nfl.review).toEqual([]);
    const teams = await rows<{ sport: string; n: number }>(
      sql`select s.code as sport, count(*)::int as n from teams t join sports s on s.id = t.sport_id group by s.code order by s.code`,
    );
    expect(teams.filter((r) => r.sport !== 'soccer')).toEqual([
      { sport: 'american_football', n: 32 },
      { sport: 'basketball', n: 30 },
    ]);
    expect(await count(sql`select count(*)::int as n from matches m join competitions c on c.id = m.competition_id where c.code = 'nba'`)).toBe(nba.matches.inserted);
    expect(await count(sql`select count(*)::int as n from matches m join competitions c on c.id = m.competition_id where c.code = 'nfl'`)).toBe(nfl.matches.inserted);
  });
});
