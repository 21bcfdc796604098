// API-Football v3 against a local stub serving bodies in the provider's response shape
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

const load = <T = Record<string, unknown>>(name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/providers', name), 'utf8')) as T;
interface Envelope<T> {
  response: T[];
}
interface FixtureItem {
  fixture: { status: { long: string; short: string; elapsed: number | null; extra: number | null } };
  teams: { home: { name: string } };
  goals: { home: number | null; away: number | null };
  score: { halftime: { home: number | null; away: number | null } };
}
interface OddsItem {
  bookmakers: { bets: { values: { odd: string }[] }[] }[];
}
const FIXTURES = load<Envelope<FixtureItem>>('api-football-fixtures-39-2025.json');
const ODDS = load<Envelope<OddsItem>>('api-football-odds-39-2025.json');
const LINEUPS = load<Envelope<unknown>>('api-football-lineups-1378970.json');
const INJURIES = load<Envelope<unknown>>('api-football-injuries-39-2025.json');
const edit = <T>(env: Envelope<T>, change: (items: T[]) => void = () => {}) => {
  const copy = structuredClone(env);
  change(copy.response);
  return copy;
};

let stub: Stub;
let db: TestDatabase;
const clock = fixedClock('2025-08-16T10:00:00Z');
const quota = { 'x-ratelimit-requests-remaining': '90', 'X-RateLimit-Remaining': '9' };
function serve(over: { fixtures?: unknown; odds?: unknown; lineups?: unknown; injuries?: unknown } = {}) {
  stub.route('/fixtures', { headers: quota, body: over.fixtures ?? FIXTURES });
  stub.route('/odds', { headers: quota, body: over.odds ?? ODDS });
  stub.route('/fixtures/lineups', { headers: quota, body: over.lineups ?? LINEUPS });
  stub.route('/injuries', { headers: quota, body: over.injuries ?? INJURIES });
}
beforeEach(async () => {
  stub = await startStub();
  db = await createTestDatabase();
  serve();
});
afterEach(async () => {
  await stub.close();
  await db.cleanup();
});

const sync = (env: Record<string, string> = {}) =>
  syncSource(
    { config: loadConfig({ API_FOOTBALL_KEY: 'af-key', API_FOOTBALL_BASE_URL: stub.url, ...env }), database: db.database, clock, client: { sleep: async () => {}, backoffMs: 1 } },
    'api-football',
  );

const rows = <T>(q: ReturnType<typeof sql>) => queryRows<T>(db.database.db, q);
const matches = () =>
  rows<{ ext: string; home: string; away: string; status: string; hs: number | null; as: number | null }>(
    sql`select e.external_id as ext, h.name as home, a.name as away, m.status, m.home_score as hs, m.away_score as "as"
        from matches m join external_ids e on e.entity_type = 'match' and e.entity_id = m.id and e.source = 'api-football'
        join teams h on h.id = m.home_team_id join teams a on a.id = m.away_team_id order by e.external_id`,
  );
const odds = () =>
  rows<{ ext: string; bm: string; market: string; selection: string; line: number | null; price: number; phase: string }>(
    sql`select e.external_id as ext, b.code as bm, o.market, o.selection, o.line, o.price, o.phase from odds o
        join external_ids e on e.entity_type = 'match' and e.entity_id = o.match_id and e.source = 'api-football'
        join bookmakers b on b.id = o.bookmaker_id order by 1, 2, 3, 4, 5, 7`,
  );
const lineups = () =>
  rows<{ team: string; player: string; role: string; position: string | null; shirt: number | null }>(
    sql`select t.name as team, p.name as player, l.role, l.position, l.shirt_number as shirt from lineups l
        join teams t on t.id = l.team_id join players p on p.id = l.player_id order by t.name, l.role desc, l.shirt_number`,
  );
const injuries = () =>
  rows<{ name: string; status: string; note: string | null; team: string }>(
    sql`select p.name, p.injury_status as status, p.injury_note as note, t.name as team from players p join teams t on t.id = p.current_team_id
        where p.injury_status <> 'available' order by p.name`,
  );
const history = () =>
  rows<{ bm: string; selection: string; price: number; seen_at: string }>(
    sql`select b.code as bm, h.selection, h.price, h.seen_at::text from odds_history h join bookmakers b on b.id = h.bookmaker_id
        where h.market = '1x2' order by h.match_id, b.code, h.selection, h.seen_at`,
  );
const dataSource = async () => (await rows<{ error_streak: number; quota_remaining: number | null; last_error: string | null }>(sql`select * from data_sources where source = 'api-football'`))[0];

describe('API-Football connector', () => {
  it('fills matches, odds, lineups and injuries; a second identical sync writes nothing', async () => {
    const first = await sync();
    expect(first.status, first.error ?? '').toBe('completed');
    expect(stub.requests.every((r) => r.headers['x-apisports-key'] === 'af-key')).toBe(true);
    expect(stub.requests.map((r) => `${r.path}?${r.query.toString()}`)).toEqual([
      '/fixtures?league=39&season=2025',
      '/odds?league=39&season=2025&page=1',
      // Only the fixture kicking off within API_FOOTBALL_LINEUP_HOURS (2 h) of 10:00.
      '/fixtures/lineups?fixture=1378970',
      '/injuries?league=39&season=2025',
    ]);
    expect(first.matches).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect((await matches()).map((m) => [m.ext, m.home, m.away, m.status, m.hs, m.as])).toEqual([
      // The curated aliases give the provider's short names their catalogue names.
      ['1378969', 'Liverpool', 'AFC Bournemouth', 'final', 4, 2],
      ['1378970', 'Aston Villa', 'Newcastle United', 'scheduled', null, null],
      ['1378971', 'Brighton & Hove Albion', 'Fulham', 'scheduled', null, null],
    ]);
    const teamIds = await rows<{ n: number }>(sql`select count(*)::int as n from external_ids where entity_type = 'team' and source = 'api-football'`);
    expect(teamIds[0]!.n).toBe(6);

    // Two bookmakers on 1378970, one on 1378971; 1x2, AH, O/U and BTTS, each as opening and closing.
    const o = await odds();
    expect(o.filter((r) => r.phase === 'closing')).toHaveLength(3 * 9);
    expect(o.filter((r) => r.phase === 'opening')).toHaveLength(3 * 9);
    expect(o).toContainEqual({ ext: '1378970', bm: 'bet365', market: '1x2', selection: 'home', line: null, price: 2.1, phase: 'closing' });
    expect(o).toContainEqual({ ext: '1378970', bm: 'pinnacle', market: 'over_under', selection: 'over', line: 2.5, price: 1.9, phase: 'opening' });
    // "Away -0.5" is the home side's +0.5.
    expect(o).toContainEqual({ ext: '1378971', bm: 'bet365', market: 'asian_handicap', selection: 'away', line: 0.5, price: 1.9, phase: 'closing' });
    expect(first.odds_history).toBe(27);

    const l = await lineups();
    expect(l).toHaveLength(27);
    expect(l.filter((r) => r.role === 'starter')).toHaveLength(22);
    expect(l).toContainEqual({ team: 'Aston Villa', player: 'O. Watkins', role: 'starter', position: 'FWD', shirt: 11 });
    expect(l).toContainEqual({ team: 'Newcastle United', player: 'M. Dúbravka', role: 'bench', position: 'GK', shirt: 32 });

    // C. Jones's entry is for yesterday's fixture: it says nothing about the next one.
    expect(await injuries()).toEqual([
      { name: 'A. Isak', status: 'suspended', note: 'Suspended', team: 'Newcastle United' },
      { name: 'J. Sarr', status: 'injured', note: 'Ankle Injury', team: 'Brighton & Hove Albion' },
      { name: 'M. Cash', status: 'doubtful', note: 'Hamstring Injury', team: 'Aston Villa' },
      { name: 'S. Botman', status: 'injured', note: 'Knee Injury', team: 'Newcastle United' },
    ]);
    expect(first.injuries).toEqual({ inserted: 0, updated: 4, unchanged: 0 });
    expect(first.players_created).toBe(27 + 3); // both lineups, then Botman, Isak, Sarr (Cash is in the lineup)
    expect((await dataSource())!.quota_remaining).toBe(90);

    const before = { m: await matches(), o: await odds(), l: await lineups(), i: await injuries(), h: await history() };
    const second = await sync();
    expect(second.status).toBe('completed');
    expect(second.matches).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect(second.odds).toEqual({ inserted: 0, updated: 0, unchanged: 27 });
    expect(second.odds_history).toBe(0);
    expect(second.lineups).toEqual({ inserted: 0, updated: 0, unchanged: 27 });
    expect(second.injuries).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    expect(second.players_created + second.teams_created).toBe(0);
    expect({ m: await matches(), o: await odds(), l: await lineups(), i: await injuries(), h: await history() }).toEqual(before);
  });

  it('keeps opening = first price seen, closing = latest, and every distinct price in odds_history', async () => {
    await sync();
    const moved = (price: string) =>
      edit(ODDS, (items) => {
        items[1]!.bookmakers[0]!.bets[0]!.values[0]!.odd = price;
      });
    serve({ odds: moved('1.95') });
    const later = fixedClock('2025-08-16T12:00:00Z');
    const run = (c = later) => syncSource({ config: loadConfig({ API_FOOTBALL_KEY: 'k', API_FOOTBALL_BASE_URL: stub.url }), database: db.database, clock: c, client: { sleep: async () => {} } }, 'api-football');
    const s = await run();
    expect(s.odds).toEqual({ inserted: 0, updated: 1, unchanged: 8 }); // 1378970 has kicked off by 12:00: skipped
    expect(s.odds_history).toBe(1);
    serve({ odds: moved('2.00') });
    await run(fixedClock('2025-08-16T13:00:00Z'));
    const brightonHome = (await odds()).filter((r) => r.ext === '1378971' && r.market === '1x2' && r.selection === 'home');
    expect(brightonHome.map((r) => [r.phase, r.price])).toEqual([
      ['closing', 2],
      ['opening', 2],
    ]);
    const h = (await history()).filter((r) => r.selection === 'home' && r.bm === 'bet365');
    // 1378970's first price, then 1378971: 2.00 → 1.95 → 2.00 (three distinct observations).
    expect(h.map((r) => r.price)).toEqual([2.1, 2, 1.95, 2]);
  });

  it('moves a fixture scheduled → live → final across three syncs', async () => {
    await sync();
    serve({
      fixtures: edit(FIXTURES, (f) => {
        f[2]!.fixture.status = { long: 'Second Half', short: '2H', elapsed: 63, extra: null };
        f[2]!.goals = { home: 1, away: 0 };
        f[2]!.score.halftime = { home: 0, away: 0 };
      }),
    });
    const live = await sync();
    expect(live.matches).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect((await matches())[2]).toMatchObject({ status: 'in_progress', hs: 1, as: 0 });
    serve({
      fixtures: edit(FIXTURES, (f) => {
        f[2]!.fixture.status = { long: 'Match Finished', short: 'FT', elapsed: 90, extra: null };
        f[2]!.goals = { home: 2, away: 1 };
      }),
    });
    await sync();
    expect((await matches())[2]).toMatchObject({ status: 'final', hs: 2, as: 1 });
  });

  it('resolves a renamed team by its provider id, not by name', async () => {
    await sync();
    serve({
      fixtures: edit(FIXTURES, (f) => {
        f[0]!.teams.home.name = 'Liverpool Football Club Renamed';
      }),
    });
    const again = await sync();
    expect(again.teams_created).toBe(0);
    expect(again.matches).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect((await matches())[0]!.home).toBe('Liverpool');
  });

  it('clears a status it set once the provider stops listing the player', async () => {
    await sync();
    serve({ injuries: edit(INJURIES, (items) => void items.splice(0, 1)) });
    const s = await sync();
    expect(s.injuries).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
    expect((await injuries()).map((r) => r.name)).toEqual(['A. Isak', 'J. Sarr', 'M. Cash']);
    const [botman] = await rows<{ status: string; note: string | null }>(sql`select injury_status as status, injury_note as note from players where name = 'S. Botman'`);
    expect(botman).toEqual({ status: 'available', note: null });
  });

  it('records 500s, malformed bodies and refusals in data_sources; retries a 429 after Retry-After; stops on a spent day', async () => {
    stub.route('/fixtures', { status: 500, body: 'down' });
    expect((await sync()).status).toBe('failed');
    stub.route('/fixtures', { body: '{"response": [' });
    const bad = await sync();
    expect(bad.error).toMatch(/malformed/);
    stub.route('/fixtures', { body: { get: 'fixtures', errors: { token: 'Error/Missing application key. Go to https://www.api-football.com/documentation-v3 to learn how to get your API application key.' }, results: 0, response: [] } });
    const refused = await sync();
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/token: Error\/Missing application key/);
    expect((await dataSource())!.error_streak).toBe(3);
    expect(await matches()).toEqual([]);

    stub.route('/fixtures', { status: 429, headers: { 'Retry-After': '2' }, body: { message: 'Too many requests' } }, { headers: quota, body: FIXTURES });
    const ok = await sync();
    expect(ok.status).toBe('completed');
    expect(ok.matches.inserted).toBe(3);
    expect((await dataSource())!.error_streak).toBe(0);

    stub.route('/odds', { body: { get: 'odds', errors: { requests: 'You have reached the request limit for the day, Go to https://dashboard.api-football.com to upgrade your plan.' }, results: 0, response: [] } });
    const stopped = await sync();
    expect(stopped.status).toBe('stopped');
    expect(stopped.stopped_at).toBe('odds?league=39&season=2025&page=1');
    expect((await dataSource())!.error_streak).toBe(0);
  });

  it('rejects an unknown league with the configured names', async () => {
    await expect(sync({ API_FOOTBALL_LEAGUES: '999' })).rejects.toThrow(/unknown API-Football league 999; known: 39 \(PL\)/);
    await expect(
      syncSource({ config: loadConfig({}), database: db.database, clock }, 'api-football'),
    ).rejects.toThrow(/API_FOOTBALL_KEY/);
  });
});
