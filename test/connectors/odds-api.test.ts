// The Odds API v4 against a local stub: prices land on the matches football-data.org
// created; opening = first seen, closing = last before kick-off; a repeat writes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { queryRows } from '../../src/db/client.js';
import { syncSource } from '../../src/modules/connectors/index.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startStub, type Stub } from './stub-server.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/providers', name), 'utf8')) as unknown;
type Ev = { bookmakers: { markets: { key: string; outcomes: { price: number }[] }[] }[] }[];
const ODDS = fixture('odds-api-soccer-epl-odds.json') as Ev;
const withHomePrice = (villa: number, brighton: number) => {
  const copy = structuredClone(ODDS);
  copy[0]!.bookmakers[0]!.markets[0]!.outcomes[0]!.price = villa;
  copy[1]!.bookmakers[0]!.markets[0]!.outcomes[0]!.price = brighton;
  return copy;
};

let stub: Stub;
let db: TestDatabase;
const clock = fixedClock('2025-08-16T10:00:00Z');
beforeAll(async () => {
  stub = await startStub();
  db = await createTestDatabase();
  stub.route('/v4/competitions/PL/matches', { body: fixture('football-data-org-pl-matches.json') });
});
afterAll(async () => {
  await stub.close();
  await db.cleanup();
});
const config = () => loadConfig({ FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, FOOTBALL_DATA_API_KEY: 'k', ODDS_API_BASE_URL: `${stub.url}/v4`, ODDS_API_KEY: 'odds-key' });
const sync = (name: 'football-data' | 'odds-api') => syncSource({ config: config(), database: db.database, clock, client: { sleep: async () => {} } }, name);
const homeWin = () =>
  queryRows<{ home: string; phase: string; price: number }>(
    db.database.db,
    sql`select h.name as home, o.phase, o.price from odds o join matches m on m.id = o.match_id join teams h on h.id = m.home_team_id
        where o.market = '1x2' and o.selection = 'home' order by h.name, o.phase`,
  );

describe('The Odds API connector', () => {
  it('writes h2h, spreads and totals onto the existing matches as opening and closing', async () => {
    await sync('football-data');
    stub.route('/v4/sports/soccer_epl/odds', { headers: { 'x-requests-remaining': '480', 'x-requests-used': '20' }, body: ODDS });
    const s = await sync('odds-api');
    expect(s.status).toBe('completed');
    expect(s.matches.inserted).toBe(0); // the football-data.org rows, matched by competition, date and teams
    expect(s.odds).toEqual({ inserted: 20, updated: 0, unchanged: 0 }); // (7 + 3) prices x (opening, closing)
    expect(stub.requests.at(-1)!.query.get('apiKey')).toBe('odds-key');
    expect(stub.requests.at(-1)!.query.get('markets')).toBe('h2h,spreads,totals');
    const markets = await queryRows<{ market: string; selection: string; line: number | null }>(
      db.database.db,
      sql`select distinct market, selection, line from odds where phase = 'closing' order by market, selection`,
    );
    expect(markets).toEqual(
      expect.arrayContaining([
        { market: 'asian_handicap', selection: 'home', line: -0.25 },
        { market: 'asian_handicap', selection: 'away', line: -0.25 },
        { market: 'over_under', selection: 'over', line: 2.5 },
      ]),
    );
    expect(await homeWin()).toEqual([
      { home: 'Aston Villa', phase: 'closing', price: 2.3 },
      { home: 'Aston Villa', phase: 'opening', price: 2.3 },
      { home: 'Brighton & Hove Albion', phase: 'closing', price: 1.95 },
      { home: 'Brighton & Hove Albion', phase: 'opening', price: 1.95 },
    ]);
    expect(s.odds_history).toBe(10);
    const again = await sync('odds-api');
    expect(again.odds).toEqual({ inserted: 0, updated: 0, unchanged: 10 });
    expect(again.odds_history).toBe(0);
  });

  it('moves the closing price until kick-off and keeps the opening', async () => {
    clock.set('2025-08-16T11:00:00Z');
    stub.route('/v4/sports/soccer_epl/odds', { body: withHomePrice(2.2, 1.9) });
    expect((await sync('odds-api')).odds.updated).toBe(2);
    clock.set('2025-08-16T12:00:00Z'); // Villa kicked off at 11:30
    stub.route('/v4/sports/soccer_epl/odds', { body: withHomePrice(1.5, 1.85) });
    await sync('odds-api');
    expect(await homeWin()).toEqual([
      { home: 'Aston Villa', phase: 'closing', price: 2.2 },
      { home: 'Aston Villa', phase: 'opening', price: 2.3 },
      { home: 'Brighton & Hove Albion', phase: 'closing', price: 1.85 },
      { home: 'Brighton & Hove Albion', phase: 'opening', price: 1.95 },
    ]);
    // Every distinct price before kick-off, with when it was seen and the bookmaker's own update time.
    const history = await queryRows<{ home: string; price: number; seen: string; updated: string | null }>(
      db.database.db,
      sql`select t.name as home, h.price, to_char(h.seen_at at time zone 'UTC', 'HH24:MI') as seen, h.provider_updated_at is not null as updated
          from odds_history h join matches m on m.id = h.match_id join teams t on t.id = m.home_team_id
          where h.market = '1x2' and h.selection = 'home' order by t.name, h.seen_at`,
    );
    expect(history.map((r) => [r.home, r.price, r.seen])).toEqual([
      ['Aston Villa', 2.3, '10:00'],
      ['Aston Villa', 2.2, '11:00'],
      ['Brighton & Hove Albion', 1.95, '10:00'],
      ['Brighton & Hove Albion', 1.9, '11:00'],
      ['Brighton & Hove Albion', 1.85, '12:00'],
    ]);
    expect(history.every((r) => r.updated)).toBe(true);
  });

  it('stores the player markets of events not started against the players of the two squads, and a repeat writes nothing', async () => {
    clock.set('2025-08-16T10:30:00Z');
    const team = async (name: string) => (await queryRows<{ id: number; sport: number }>(db.database.db, sql`select id, sport_id as sport from teams where name = ${name}`))[0]!;
    const villa = await team('Aston Villa');
    const newcastle = await team('Newcastle United');
    for (const [name, t] of [['Ollie Watkins', villa], ['Alexander Isak', newcastle], ['Bruno Guimaraes', newcastle]] as const) {
      await db.database.db.execute(sql`insert into players (sport_id, name, search_name, current_team_id) values (${t.sport}, ${name}, ${name.toLowerCase()}, ${t.id})`);
    }
    stub.route('/v4/sports/soccer_epl/odds', { body: ODDS });
    stub.route('/v4/sports/soccer_epl/events/a1f3c5e7b9d1f3a5c7e9b1d3f5a7c9e1/odds', { body: fixture('odds-api-soccer-epl-event-player-props.json') });
    stub.route('/v4/sports/soccer_epl/events/b2e4d6f8a0c2e4b6d8f0a2c4e6b8d0f2/odds', { body: { id: 'b2e4d6f8a0c2e4b6d8f0a2c4e6b8d0f2', sport_key: 'soccer_epl', bookmakers: [] } });
    const cfg = loadConfig({ ODDS_API_BASE_URL: `${stub.url}/v4`, ODDS_API_KEY: 'odds-key', ODDS_API_PLAYER_MARKETS: 'player_goal_scorer_anytime,player_to_receive_card,player_shots_on_target' });
    const run = () => syncSource({ config: cfg, database: db.database, clock, client: { sleep: async () => {} } }, 'odds-api');
    const s = await run();
    expect(s.status, s.error ?? '').toBe('completed');
    expect(stub.requests.at(-2)!.query.get('markets')).toBe('player_goal_scorer_anytime,player_to_receive_card,player_shots_on_target');
    // 5 prices of known players (Guimarães matched accent-folded), each opening + closing; Durán is in neither squad.
    expect(s.player_odds).toEqual({ inserted: 10, updated: 0, unchanged: 0 });
    expect(s.rejected.map((r) => r.reason)).toEqual(['player "Jhon Durán" is in neither squad of the match']);
    const rows = await queryRows<{ player: string; bm: string; prop: string; selection: string; line: number; price: number }>(
      db.database.db,
      sql`select p.name as player, b.code as bm, o.prop, o.selection, o.line, o.price from player_prop_odds o join players p on p.id = o.player_id
          join bookmakers b on b.id = o.bookmaker_id where o.phase = 'closing' order by 1, 3, 4`,
    );
    expect(rows).toEqual([
      { player: 'Alexander Isak', bm: 'williamhill', prop: 'goals', selection: 'over', line: 0.5, price: 2.3 },
      { player: 'Bruno Guimaraes', bm: 'williamhill', prop: 'cards', selection: 'over', line: 0.5, price: 4 },
      { player: 'Ollie Watkins', bm: 'williamhill', prop: 'goals', selection: 'over', line: 0.5, price: 2.5 },
      { player: 'Ollie Watkins', bm: 'paddypower', prop: 'shots_on_target', selection: 'over', line: 0.5, price: 1.62 },
      { player: 'Ollie Watkins', bm: 'paddypower', prop: 'shots_on_target', selection: 'under', line: 0.5, price: 2.2 },
    ].sort((a, b) => (a.player + a.prop + a.selection < b.player + b.prop + b.selection ? -1 : 1)));
    const again = await run();
    expect(again.player_odds).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    await expect(syncSource({ config: loadConfig({ ODDS_API_KEY: 'k', ODDS_API_PLAYER_MARKETS: 'player_hattrick' }), database: db.database, clock }, 'odds-api')).rejects.toThrow(/unknown player market player_hattrick/);
  });
});
