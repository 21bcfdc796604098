// A 380-match season with odds through the connectors, against a local stub provider:
// football-data.org fixtures (one request), then The Odds API (one request: 380 events x
// 5 bookmakers x h2h/spreads/totals), then both again (nothing written). Quota pacing is off
// (the stub sends no quota headers). Target (#13): the season with odds under 10 s on PostgreSQL.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/connectors-sync.ts
//   npx tsx bench/connectors-sync.ts   (PGlite in memory)
import { loadConfig } from '../src/config.js';
import { syncSource } from '../src/modules/connectors/index.js';
import { fixedClock } from '../src/platform/clock.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { startStub } from '../test/connectors/stub-server.js';
import { machine } from './lib.js';

const TEAMS = Array.from({ length: 20 }, (_, i) => ({ id: 9000 + i, name: `Benchmark Town ${String.fromCharCode(65 + i)} FC`, odds: `Benchmark Town ${String.fromCharCode(65 + i)}` }));
const fixtures: { home: (typeof TEAMS)[number]; away: (typeof TEAMS)[number]; at: Date }[] = [];
const ids = TEAMS.map((_, i) => i);
for (let r = 0; r < 19; r++) {
  for (let k = 0; k < 10; k++) {
    const x = ids[k]!;
    const y = ids[19 - k]!;
    fixtures.push({ home: TEAMS[x]!, away: TEAMS[y]!, at: new Date(Date.UTC(2030, 7, 10 + r * 7, 12 + (k % 8))) });
    fixtures.push({ home: TEAMS[y]!, away: TEAMS[x]!, at: new Date(Date.UTC(2031, 0, 5 + r * 7, 12 + (k % 8))) });
  }
  ids.splice(1, 0, ids.pop()!);
}
const fd = {
  competition: { id: 2021, name: 'Premier League', code: 'PL', type: 'LEAGUE' },
  matches: fixtures.map((f, i) => ({
    id: 800000 + i,
    utcDate: f.at.toISOString(),
    status: 'TIMED',
    matchday: 1 + Math.floor(i / 10),
    season: { id: 9999, startDate: '2030-08-10', endDate: '2031-05-25' },
    homeTeam: { id: f.home.id, name: f.home.name },
    awayTeam: { id: f.away.id, name: f.away.name },
    score: { winner: null, duration: 'REGULAR', fullTime: { home: null, away: null }, halfTime: { home: null, away: null } },
  })),
};
const books = ['betway', 'bet365', 'pinnacle', 'williamhill', 'unibet'];
const odds = fixtures.map((f, i) => ({
  id: `bench${i}`,
  sport_key: 'soccer_epl',
  sport_title: 'EPL',
  commence_time: f.at.toISOString(),
  home_team: f.home.odds,
  away_team: f.away.odds,
  bookmakers: books.map((key, b) => ({
    key,
    title: key,
    last_update: '2030-08-01T00:00:00Z',
    markets: [
      { key: 'h2h', outcomes: [{ name: f.home.odds, price: 2.1 + b / 100 }, { name: f.away.odds, price: 3.4 }, { name: 'Draw', price: 3.3 }] },
      { key: 'spreads', outcomes: [{ name: f.home.odds, price: 1.95, point: -0.5 }, { name: f.away.odds, price: 1.9, point: 0.5 }] },
      { key: 'totals', outcomes: [{ name: 'Over', price: 1.9, point: 2.5 }, { name: 'Under', price: 1.92, point: 2.5 }] },
    ],
  })),
}));

const stub = await startStub();
stub.route('/v4/competitions/PL/matches', { body: fd });
stub.route('/v4/sports/soccer_epl/odds', { body: odds });
const db = await createTestDatabase();
const config = loadConfig({ FOOTBALL_DATA_API_KEY: 'b', FOOTBALL_DATA_BASE_URL: `${stub.url}/v4`, ODDS_API_KEY: 'b', ODDS_API_BASE_URL: `${stub.url}/v4` });
const deps = { config, database: db.database, clock: fixedClock('2030-08-01T00:00:00Z') };
const rows: { pass: string; seconds: number; matches: string; odds: string }[] = [];
for (const pass of ['cold', 'repeat']) {
  const t0 = performance.now();
  const a = await syncSource(deps, 'football-data');
  const b = await syncSource(deps, 'odds-api');
  const seconds = Math.round((performance.now() - t0) / 10) / 100;
  if (a.status !== 'completed' || b.status !== 'completed') throw new Error(`${a.error ?? ''} ${b.error ?? ''}`);
  rows.push({ pass, seconds, matches: `${a.matches.inserted}/${a.matches.updated}/${a.matches.unchanged} + ${b.matches.inserted}/${b.matches.updated}/${b.matches.unchanged}`, odds: `${b.odds.inserted}/${b.odds.updated}/${b.odds.unchanged}` });
}
process.stdout.write(`engine: ${db.database.kind}; ${JSON.stringify(machine())}\n`);
console.table(rows);
await db.cleanup();
await stub.close();
