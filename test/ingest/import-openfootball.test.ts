// openfootball fixtures through the import service: club names resolved to the curated
// teams, scheduled fixtures completed by a later file, re-import a no-op.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { importFiles } from '../../src/modules/ingest/service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const dir = fileURLToPath(new URL('../fixtures/openfootball', import.meta.url));
const clock = fixedClock('2024-03-15T12:00:00Z');
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.cleanup();
});

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(t.database.db, query);
const matchCount = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from matches`))[0]!.n;

describe('import openfootball', () => {
  it('imports every league file of the folder, with rejections and warnings by line', async () => {
    const summary = await importFiles(t.database, 'openfootball', [dir], { clock });
    expect(summary.files.map((f) => [f.file.split('/').slice(-2).join('/'), f.status])).toEqual([
      ['2019-20/en.1.json', 'imported'],
      ['2020-21/de.1.json', 'imported'],
    ]);
    expect(summary.matches).toEqual({ inserted: 8, updated: 0, unchanged: 0 });
    expect(summary.rejected.map((r) => `${r.file.split('/').pop()}:${r.line}`).sort()).toEqual(['de.1.json:23', 'en.1.json:114', 'en.1.json:51', 'en.1.json:64']);
    expect(summary.warnings!.map((w) => w.line).sort()).toEqual([101, 77]);
    expect(await matchCount()).toBe(8);
  });

  it('lands club names on the curated teams in the right competitions, kick-offs in UTC', async () => {
    const stored = await rows<{ competition: string; home: string; away: string; match_date: string; kickoff_at: Date | null; home_score_ht: number | null }>(sql`
      select c.code as competition, h.name as home, a.name as away, m.match_date::text, m.kickoff_at, m.home_score_ht
      from matches m join competitions c on c.id = m.competition_id join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id
      where m.match_date in ('2019-08-09', '2020-07-01', '2020-09-18') order by m.match_date`);
    expect(stored.map((s) => [s.competition, s.home, s.away, s.match_date, new Date(s.kickoff_at!).toISOString(), s.home_score_ht])).toEqual([
      ['england-premier-league', 'Liverpool', 'Norwich City', '2019-08-09', '2019-08-09T19:00:00.000Z', 4],
      ['england-premier-league', 'Manchester United', 'Sheffield United', '2020-07-01', '2020-07-01T17:00:00.000Z', 2],
      ['germany-bundesliga', 'Bayern Munich', 'Schalke 04', '2020-09-18', '2020-09-18T18:30:00.000Z', 3],
    ]);
  });

  it('completes a scheduled fixture when a later file carries its score', async () => {
    const scheduled = sql`select m.status, m.home_score, m.away_score from matches m join teams h on h.id = m.home_team_id where m.match_date = '2020-07-26' and h.name = 'Leicester City'`;
    expect(await rows(scheduled)).toEqual([{ status: 'scheduled', home_score: null, away_score: null }]);
    const later = join(mkdtempSync(join(tmpdir(), 'sharpline-of-')), '2019-20');
    mkdirSync(later);
    const doc = {
      name: 'English Premier League 2019/20',
      matches: [{ round: 'Matchday 38', date: '2020-07-26', time: '16:00', team1: 'Leicester City FC', team2: 'Manchester United FC', score: { ht: [0, 0], ft: [0, 2] } }],
    };
    writeFileSync(join(later, 'en.1.json'), JSON.stringify(doc, null, 2));
    const summary = await importFiles(t.database, 'openfootball', [join(later, 'en.1.json')], { clock });
    expect(summary.matches).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await rows(scheduled)).toEqual([{ status: 'final', home_score: 0, away_score: 2 }]);
    expect(await matchCount()).toBe(8);
  });

  it('re-importing changes nothing', async () => {
    const again = await importFiles(t.database, 'openfootball', [dir], { clock });
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    const de = join(dir, '2020-21', 'de.1.json');
    const forced = await importFiles(t.database, 'openfootball', [de], { clock, force: true });
    expect(forced.matches).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(readFileSync(de, 'utf8')).toContain('Mönchengladbach');
    expect(await matchCount()).toBe(8);
  });
});
