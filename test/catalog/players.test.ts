// Player routes through the public surface: list filters, accent- and case-insensitive
// partial search, detail with spells and injury status, season stats with per-90 rates,
// and the game log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';

let t: TestApp;
const id: Record<string, number> = {};

// Kevin De Bruyne, Test League: 2022-23 one match; 2023-24 three league matches + one cup
// match (a cup season also named 2023-24):
//   2023-08-12 City 2-0 Arsenal   (H) 90' 1G 1A 3 shots
//   2023-08-19 Chelsea 1-1 City   (A) 45' 0G 2A 1 shot, yellow
//   2023-08-26 City 3-0 Everton   (H) sub, 0'  (did not play)
//   2023-09-02 Cup: City 1-0 Arsenal (H) 90' 1G 0A 2 shots
//   2023-24 totals: appearances 3, starts 2, minutes 225, goals 2, assists 3, shots 6,
//   yellow cards 1; per 90: goals 2*90/225 = 0.8, assists 1.2, shots 2.4
beforeAll(async () => {
  t = await createTestApp();
  const f = createFactories(t.database.db);
  const lg = await f.league({ teams: ['Manchester City', 'Arsenal', 'Chelsea', 'Everton'], competition: { code: 'test-league', name: 'Test League' } });
  const city = lg.team('Manchester City').id;
  id.city = city;
  id.arsenal = lg.team('Arsenal').id;
  const kdb = await f.player({ name: 'Kevin De Bruyne', firstName: 'Kevin', lastName: 'De Bruyne', position: 'MID', shirtNumber: 17, currentTeamId: city, nationality: 'Belgium', injuryStatus: 'doubtful', injuryNote: 'Hamstring', dateOfBirth: '1991-06-28' });
  id.kdb = kdb.id;
  await f.spell({ playerId: kdb.id, teamId: city, fromDate: '2015-08-30' });
  const chelsea = lg.team('Chelsea').id;
  await f.spell({ playerId: kdb.id, teamId: chelsea, fromDate: '2012-01-01', toDate: '2014-01-18' });
  id.ozil = (await f.player({ name: 'Mesut Özil', position: 'MID', currentTeamId: id.arsenal })).id;
  id.odegaard = (await f.player({ name: 'Martin Ødegaard', position: 'MID', currentTeamId: id.arsenal })).id;
  id.kante = (await f.player({ name: "N'Golo Kanté", position: 'MID', currentTeamId: chelsea })).id;
  id.saliba = (await f.player({ name: 'William Saliba', position: 'DEF', currentTeamId: id.arsenal })).id;
  id.bruyn = (await f.player({ name: 'Bruyne Kevinson', position: 'FWD', currentTeamId: chelsea })).id;
  id.lebron = (await f.player({ name: 'LeBron James', position: 'F', sport: 'basketball' })).id;

  const m1 = await lg.play('Manchester City', 'Arsenal', 2, 0, '2023-08-12');
  const m2 = await lg.play('Chelsea', 'Manchester City', 1, 1, '2023-08-19');
  const m3 = await lg.play('Manchester City', 'Everton', 3, 0, '2023-08-26');
  const cup = await f.competition({ code: 'test-cup', name: 'Test Cup', kind: 'cup' });
  const cupMatch = await f.match({ competitionId: cup.id, homeTeamId: city, awayTeamId: id.arsenal, matchDate: '2023-09-02', score: [1, 0] });
  const old = await f.season({ competitionId: lg.competition.id, name: '2022-23' });
  const oldMatch = await f.match({ competitionId: lg.competition.id, seasonId: old.id, homeTeamId: city, awayTeamId: chelsea, matchDate: '2023-03-01', score: [0, 0] });
  await f.playerStats({ matchId: m1.id, playerId: kdb.id, started: true, minutes: 90, goals: 1, assists: 1, shots: 3, yellowCards: 0 });
  await f.playerStats({ matchId: m2.id, playerId: kdb.id, started: true, minutes: 45, goals: 0, assists: 2, shots: 1, yellowCards: 1 });
  await f.playerStats({ matchId: m3.id, playerId: kdb.id, started: false, minutes: 0, goals: 0, assists: 0, shots: 0 });
  await f.playerStats({ matchId: cupMatch.id, playerId: kdb.id, started: false, minutes: 90, goals: 1, assists: 0, shots: 2, extra: { threat: 40 } });
  await f.playerStats({ matchId: oldMatch.id, playerId: kdb.id, started: true, minutes: 90, goals: 0, assists: 0 });
  id.m1 = m1.id;
  id.m2 = m2.id;
  id.cupMatch = cupMatch.id;
});
afterAll(async () => {
  await t?.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};
const names = (body: { items: { name: string }[] }) => body.items.map((x) => x.name);

describe('GET /api/v1/players', () => {
  it('lists players by name with sport, team and position filters', async () => {
    const all = (await get('/api/v1/players')).body;
    expect(all).toMatchObject({ total: 7, version: 'v1' });
    expect(names((await get(`/api/v1/players?team=${id.arsenal}`)).body)).toEqual(['Martin Ødegaard', 'Mesut Özil', 'William Saliba']);
    expect(names((await get(`/api/v1/players?team=${id.arsenal}&position=def`)).body)).toEqual(['William Saliba']);
    expect(names((await get('/api/v1/players?sport=NBA')).body)).toEqual(['LeBron James']);
    const kdb = (await get(`/api/v1/players?team=${id.city}`)).body.items[0];
    expect(kdb).toEqual({
      id: id.kdb,
      name: 'Kevin De Bruyne',
      position: 'MID',
      sport: 'soccer',
      team: { id: id.city, name: 'Manchester City', short_name: null, abbreviation: null, city: null, logo_url: null },
      shirt_number: 17,
      nationality: 'Belgium',
      injury_status: 'doubtful',
    });
    expect((await get('/api/v1/players?sport=basketball')).body.items[0].team).toBeNull();
  });
});

describe('GET /api/v1/players/search', () => {
  it.each([
    ['ozil', ['Mesut Özil']],
    ['ÖZIL', ['Mesut Özil']],
    ['Özil', ['Mesut Özil']],
    ['odegaard', ['Martin Ødegaard']],
    ['de bruyne', ['Kevin De Bruyne']],
    ['DE BRU', ['Kevin De Bruyne']],
    ['ngolo', ["N'Golo Kanté"]],
    ["n'golo kante", ["N'Golo Kanté"]],
    ['sali', ['William Saliba']],
    ['zzz', []],
  ])('"%s" finds %j', async (q, expected) => {
    const { status, body } = await get(`/api/v1/players/search?q=${encodeURIComponent(q)}`);
    expect(status).toBe(200);
    expect(names(body)).toEqual(expected);
  });

  it('matches every word in any order, best matches first', async () => {
    // "bruyne" appears in both names; the one that starts with it ranks first.
    expect(names((await get('/api/v1/players/search?q=bruyne')).body)).toEqual(['Bruyne Kevinson', 'Kevin De Bruyne']);
    expect(names((await get('/api/v1/players/search?q=bruyne%20kevin')).body)).toEqual(['Bruyne Kevinson', 'Kevin De Bruyne']);
    expect(names((await get('/api/v1/players/search?q=kevin%20de')).body)).toEqual(['Kevin De Bruyne']);
  });

  it('combines with filters and validates q', async () => {
    expect(names((await get(`/api/v1/players/search?q=m&team=${id.arsenal}`)).body)).toEqual(['Martin Ødegaard', 'Mesut Özil', 'William Saliba']);
    expect((await get('/api/v1/players/search')).body).toMatchObject({ error: 'ValidationError', field: 'q' });
    expect((await get('/api/v1/players/search?q=')).body).toMatchObject({ error: 'ValidationError', field: 'q' });
    expect((await get('/api/v1/players/search?q=%25%25')).body).toMatchObject({ items: [], total: 0 });
  });
});

describe('GET /api/v1/players/:id', () => {
  it('gives the detail with team, injury status and spells, current first', async () => {
    const { body } = await get(`/api/v1/players/${id.kdb}`);
    expect(body).toMatchObject({
      id: id.kdb,
      name: 'Kevin De Bruyne',
      first_name: 'Kevin',
      last_name: 'De Bruyne',
      date_of_birth: '1991-06-28',
      team: { name: 'Manchester City' },
      injury_status: 'doubtful',
      injury_note: 'Hamstring',
      version: 'v1',
    });
    expect(body.spells.map((s: { team: { name: string }; from_date: string; to_date: string | null; current: boolean }) => [s.team.name, s.from_date, s.to_date, s.current])).toEqual([
      ['Manchester City', '2015-08-30', null, true],
      ['Chelsea', '2012-01-01', '2014-01-18', false],
    ]);
    expect((await get('/api/v1/players/777777')).body).toMatchObject({ error: 'NotFound', resource: 'player', id: 777777 });
    expect((await get('/api/v1/players/777777/stats')).status).toBe(404);
    expect((await get('/api/v1/players/777777/game-log')).status).toBe(404);
  });

  it('gives season totals across competitions with per-90 and per-game rates', async () => {
    const { body } = await get(`/api/v1/players/${id.kdb}/stats`);
    expect(body).toMatchObject({
      player: { id: id.kdb, name: 'Kevin De Bruyne', position: 'MID' },
      season: '2023-24',
      appearances: 3,
      starts: 2,
      minutes: 225,
      goals: 2,
      assists: 3,
      shots: 6,
      yellow_cards: 1,
      red_cards: null,
      saves: null,
      available_seasons: ['2023-24', '2022-23'],
      version: 'v1',
    });
    expect(body.competitions.map((c: { code: string }) => c.code)).toEqual(['test-cup', 'test-league']);
    expect(body.per_90).toMatchObject({ goals: 0.8, assists: 1.2, shots: 2.4, yellow_cards: 0.4, red_cards: null });
    expect(body.per_game).toMatchObject({ goals: 0.667, assists: 1, shots: 2 });
    const old = (await get(`/api/v1/players/${id.kdb}/stats?season=2022-23`)).body;
    expect(old).toMatchObject({ season: '2022-23', appearances: 1, minutes: 90, goals: 0, per_90: { goals: 0 } });
    const none = (await get(`/api/v1/players/${id.ozil}/stats`)).body;
    expect(none).toMatchObject({ season: null, appearances: 0, minutes: null, goals: null, available_seasons: [] });
    expect((await get(`/api/v1/players/${id.kdb}/stats?season=1999-00`)).body).toMatchObject({ error: 'ValidationError', field: 'season' });
  });

  it('gives the game log newest first, paginated, with opponent and result', async () => {
    const { body } = await get(`/api/v1/players/${id.kdb}/game-log?page_size=2`);
    expect(body).toMatchObject({ total: 5, page_size: 2, version: 'v1' });
    expect(body.items[0]).toMatchObject({
      match_id: id.cupMatch,
      match_date: '2023-09-02',
      competition: { code: 'test-cup' },
      opponent: { name: 'Arsenal' },
      home_away: 'home',
      team_score: 1,
      opponent_score: 0,
      result: 'W',
      minutes: 90,
      goals: 1,
      extra: { threat: 40 },
    });
    const p2 = (await get(`/api/v1/players/${id.kdb}/game-log?page_size=2&page=2`)).body;
    expect(p2.items.map((r: { match_id: number; home_away: string; result: string; opponent: { name: string } }) => [r.home_away, r.result, r.opponent.name])).toEqual([
      ['away', 'D', 'Chelsea'],
      ['home', 'W', 'Arsenal'],
    ]);
    expect(p2.items[0]).toMatchObject({ match_id: id.m2, assists: 2, yellow_cards: 1, started: true });
    expect((await get(`/api/v1/players/${id.kdb}/game-log?season=2022-23`)).body.total).toBe(1);
  });
});
