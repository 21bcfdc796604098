// Team routes through the public surface: list filters and search (names and aliases),
// detail with aliases, roster/players, season stats, schedule, form and fixtures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';

let t: TestApp;
const id: Record<string, number> = {};

// Clock: 2024-03-15. Test Premier League 2023-24, Manchester United's season:
//   03-01 Man Utd 2-1 Leeds (H, W)   shots 10, corners 4
//   03-05 Newcastle 3-3 Man Utd (A, D)   shots 8
//   03-09 Man Utd 0-1 Newcastle (H, L)   corners 6
//   03-12 Leeds 0-4 Man Utd (A, W)
//   => P4 W2 D1 L1 GF9 GA5 GD+4 Pts7; home P2 W1 L1 GF2 GA2; away P2 W1 D1 GF7 GA3
//   averages: shots (10+8)/2 = 9, corners (4+6)/2 = 5
// Upcoming: 03-16 Man Utd v Leeds, 03-30 Newcastle v Man Utd. A cup match (Test Cup
// 2023-24, 03-02, Man Utd 1-0 Leeds) counts in form but not in league stats.
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T09:00:00Z' });
  const f = createFactories(t.database.db);
  const lg = await f.league({ teams: ['Manchester United', 'Leeds United', 'Newcastle United'], competition: { code: 'test-pl', name: 'Test Premier League' } });
  id.mu = lg.team('Manchester United').id;
  id.leeds = lg.team('Leeds United').id;
  id.pl = lg.competition.id;
  await f.teamAlias(id.mu, 'Man Utd', { source: 'football-data' });
  await f.teamAlias(id.mu, 'Man United');
  const m1 = await lg.play('Manchester United', 'Leeds United', 2, 1, '2024-03-01');
  const m2 = await lg.play('Newcastle United', 'Manchester United', 3, 3, '2024-03-05');
  const m3 = await lg.play('Manchester United', 'Newcastle United', 0, 1, '2024-03-09');
  await lg.play('Leeds United', 'Manchester United', 0, 4, '2024-03-12');
  await f.teamStats(m1.id, id.mu, 'home', { shots: 10, corners: 4 });
  await f.teamStats(m2.id, id.mu, 'away', { shots: 8 });
  await f.teamStats(m3.id, id.mu, 'home', { corners: 6 });
  await f.teamStats(m1.id, id.leeds, 'away', { shots: 99 });
  id.next = (await lg.play('Manchester United', 'Leeds United', null, null, '2024-03-16')).id;
  id.later = (await lg.play('Newcastle United', 'Manchester United', null, null, '2024-03-30')).id;
  const cup = await f.competition({ code: 'test-cup', name: 'Test Cup', kind: 'cup' });
  await f.match({ competitionId: cup.id, homeTeamId: id.mu, awayTeamId: id.leeds, matchDate: '2024-03-02', score: [1, 0] });
  await f.season({ competitionId: id.pl, name: '2019-20' });

  // Squad: two current players, one with only an open spell, one who left.
  await f.player({ name: 'Bruno Fernandes', position: 'MID', shirtNumber: 8, currentTeamId: id.mu });
  await f.player({ name: 'André Onana', position: 'GK', shirtNumber: 24, currentTeamId: id.mu });
  const loanee = await f.player({ name: 'Mason Mount', position: 'MID', shirtNumber: 7 });
  await f.spell({ playerId: loanee.id, teamId: id.mu, fromDate: '2023-07-01' });
  const gone = await f.player({ name: 'Harry Maguire', position: 'DEF', currentTeamId: id.leeds });
  await f.spell({ playerId: gone.id, teamId: id.mu, fromDate: '2019-08-05', toDate: '2023-06-30' });

  const nbaTeam = await f.team({ name: 'Boston Celtics', sport: 'basketball', abbreviation: 'BOS', city: 'Boston' });
  id.celtics = nbaTeam.id;
});
afterAll(async () => {
  await t?.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};
const names = (body: { items: { name: string }[] }) => body.items.map((x) => x.name);

describe('GET /api/v1/teams', () => {
  it('lists teams by name with sport, competition and season filters', async () => {
    expect(names((await get('/api/v1/teams')).body)).toEqual(['Boston Celtics', 'Leeds United', 'Manchester United', 'Newcastle United']);
    expect(names((await get('/api/v1/teams?sport=NBA')).body)).toEqual(['Boston Celtics']);
    expect(names((await get('/api/v1/teams?competition=test-cup')).body)).toEqual(['Leeds United', 'Manchester United']);
    expect((await get('/api/v1/teams?competition=test-pl&season=2023-24')).body.total).toBe(3);
    expect((await get('/api/v1/teams?competition=test-pl&season=2019-20')).body.total).toBe(0);
    expect((await get('/api/v1/teams?sport=basketball')).body.items[0]).toEqual({
      id: id.celtics,
      name: 'Boston Celtics',
      short_name: null,
      abbreviation: 'BOS',
      city: 'Boston',
      logo_url: null,
      sport: 'basketball',
      country: null,
    });
  });

  it('searches names and aliases, ignoring case and accents', async () => {
    expect(names((await get('/api/v1/teams?search=united')).body)).toEqual(['Leeds United', 'Manchester United', 'Newcastle United']);
    expect(names((await get('/api/v1/teams?search=MAN%20UTD')).body)).toEqual(['Manchester United']);
    expect(names((await get('/api/v1/teams?search=c%C3%A9ltics')).body)).toEqual(['Boston Celtics']);
  });

  it('validates filters', async () => {
    expect((await get('/api/v1/teams?sport=chess')).body).toMatchObject({ error: 'ValidationError', field: 'sport', provided_value: 'chess' });
    expect((await get('/api/v1/teams?page_size=0')).body).toMatchObject({ error: 'ValidationError', field: 'page_size', provided_value: 0 });
  });
});

describe('GET /api/v1/teams/:id', () => {
  it('gives the detail with aliases and competitions', async () => {
    const { status, body } = await get(`/api/v1/teams/${id.mu}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: id.mu, name: 'Manchester United', sport: 'soccer', venue: null, version: 'v1' });
    expect(body.aliases).toEqual([
      { alias: 'Man United', source: '*', origin: 'manual' },
      { alias: 'Man Utd', source: 'football-data', origin: 'manual' },
    ]);
    expect(body.competitions.map((x: { code: string }) => x.code).sort()).toEqual(['test-cup', 'test-pl']);
  });

  it('answers 404 for unknown teams on every sub-route', async () => {
    for (const suffix of ['', '/roster', '/players', '/stats', '/schedule', '/form', '/fixtures']) {
      const { status, body } = await get(`/api/v1/teams/424242${suffix}`);
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: 'NotFound', resource: 'team', id: 424242 });
    }
  });

  it('gives the current squad on /roster and /players, goalkeepers first', async () => {
    const roster = (await get(`/api/v1/teams/${id.mu}/roster`)).body;
    expect(roster).toMatchObject({ total: 3, page_size: 100, version: 'v1' });
    expect(roster.items.map((p: { name: string; shirt_number: number }) => [p.name, p.shirt_number])).toEqual([
      ['André Onana', 24],
      ['Mason Mount', 7],
      ['Bruno Fernandes', 8],
    ]);
    expect(await get(`/api/v1/teams/${id.mu}/players`)).toEqual({ status: 200, body: roster });
  });

  it('gives league-season stats with home/away splits and per-match averages', async () => {
    const { body } = await get(`/api/v1/teams/${id.mu}/stats`);
    expect(body).toMatchObject({
      team: { id: id.mu },
      season: { name: '2023-24' },
      competition: { code: 'test-pl' },
      played: 4,
      won: 2,
      drawn: 1,
      lost: 1,
      goals_for: 9,
      goals_against: 5,
      goal_difference: 4,
      points: 7,
      win_pct: 0.625,
      goals_for_per_match: 2.25,
      goals_against_per_match: 1.25,
      home: { played: 2, won: 1, drawn: 0, lost: 1, goals_for: 2, goals_against: 2 },
      away: { played: 2, won: 1, drawn: 1, lost: 0, goals_for: 7, goals_against: 3 },
      averages: { corners: 5, shots: 9 },
      matches_with_stats: 3,
      version: 'v1',
    });
    const cup = (await get(`/api/v1/teams/${id.mu}/stats?competition=test-cup`)).body;
    expect(cup).toMatchObject({ competition: { code: 'test-cup' }, played: 1, won: 1, points: 3 });
    const empty = (await get(`/api/v1/teams/${id.mu}/stats?season=2019-20`)).body;
    expect(empty).toMatchObject({ season: { name: '2019-20' }, played: 0, points: 0, averages: {} });
    expect((await get(`/api/v1/teams/${id.mu}/stats?season=1950-51`)).body).toMatchObject({ error: 'ValidationError', field: 'season' });
  });

  it('gives the whole schedule oldest first, with filters', async () => {
    const all = (await get(`/api/v1/teams/${id.mu}/schedule`)).body;
    expect(all.total).toBe(7);
    expect(all.items.map((m: { match_date: string }) => m.match_date)).toEqual([
      '2024-03-01',
      '2024-03-02',
      '2024-03-05',
      '2024-03-09',
      '2024-03-12',
      '2024-03-16',
      '2024-03-30',
    ]);
    expect((await get(`/api/v1/teams/${id.mu}/schedule?status=scheduled&sort=-date`)).body.items.map((m: { id: number }) => m.id)).toEqual([id.later, id.next]);
    expect((await get(`/api/v1/teams/${id.mu}/schedule?competition=test-cup`)).body.total).toBe(1);
    expect((await get(`/api/v1/teams/${id.mu}/schedule?date_from=2024-03-10&date_to=2024-03-01`)).status).toBe(400);
  });

  it('gives form as W/D/L oldest first, across competitions', async () => {
    const { body } = await get(`/api/v1/teams/${id.mu}/form`);
    // Last five: 03-01 W, 03-02 W (cup), 03-05 D, 03-09 L, 03-12 W.
    expect(body).toMatchObject({ form: 'WWDLW', points: 10, version: 'v1' });
    expect(body.matches.map((m: { venue: string; goals_for: number; goals_against: number; opponent: { name: string } }) => [m.venue, m.goals_for, m.goals_against, m.opponent.name])).toEqual([
      ['home', 2, 1, 'Leeds United'],
      ['home', 1, 0, 'Leeds United'],
      ['away', 3, 3, 'Newcastle United'],
      ['home', 0, 1, 'Newcastle United'],
      ['away', 4, 0, 'Leeds United'],
    ]);
    expect((await get(`/api/v1/teams/${id.mu}/form?n=2&competition=test-pl`)).body.form).toBe('LW');
    expect((await get(`/api/v1/teams/${id.celtics}/form`)).body).toMatchObject({ form: '', matches: [] });
    expect((await get(`/api/v1/teams/${id.mu}/form?n=0`)).body).toMatchObject({ error: 'ValidationError', field: 'n' });
  });

  it('gives fixtures from today (clock 2024-03-15)', async () => {
    expect((await get(`/api/v1/teams/${id.mu}/fixtures`)).body.items.map((m: { id: number }) => m.id)).toEqual([id.next, id.later]);
    expect((await get(`/api/v1/teams/${id.mu}/fixtures?days=7`)).body.items.map((m: { id: number }) => m.id)).toEqual([id.next]);
  });
});
