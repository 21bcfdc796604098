// Competition routes and standings through the public surface. The standings are checked
// against tables computed by hand (in the comments), for a Premier League-style and a
// head-to-head (La Liga-style) competition over the same results, and an NBA-style league.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type Factories } from '../helpers/factories.js';

let t: TestApp;
let f: Factories;
const c: Record<string, { id: number; code: string }> = {};
const TEAMS = ['Arsenal', 'Brighton', 'Chelsea', 'Derby', 'Everton', 'Fulham'];

/**
 * The same part-played season in two competitions that break ties differently:
 *   08-12 Arsenal 2-0 Brighton      08-19 Arsenal 1-0 Chelsea     08-26 Brighton 1-0 Chelsea
 *   09-02 Chelsea 5-0 Derby         09-16 Derby 1-1 Everton       09-23 Arsenal 2-1 Everton
 * plus matches that must not count: Fulham v Derby (scheduled), Everton 3-0 Brighton (in
 * progress), Derby 5-0 Arsenal (a playoff).
 *
 * Premier League rules (points, goal difference, goals for):
 *   pos team      P W D L GF GA  GD Pts form
 *   1   Arsenal   3 3 0 0  5  1  +4  9  WWW
 *   2   Chelsea   3 1 0 2  5  2  +3  3  LLW   goal difference puts Chelsea above Brighton
 *   3   Brighton  2 1 0 1  1  2  -1  3  LW
 *   4   Everton   2 0 1 1  2  3  -1  1  DL    goal difference puts Everton above Derby
 *   5   Derby     2 0 1 1  1  6  -5  1  LD
 *   6   Fulham    0 0 0 0  0  0   0  0
 * Head-to-head rules (points, head_to_head, goal difference, goals for): Brighton beat
 * Chelsea, so 1 Arsenal 2 Brighton 3 Chelsea; Everton and Derby drew, so goal difference
 * still decides: 4 Everton 5 Derby 6 Fulham.
 */
async function seedSoccer(code: string, name: string, tieBreaks: ('points' | 'goal_difference' | 'goals_for' | 'head_to_head')[], teamsBy?: Map<string, number>) {
  const comp = await f.competition({ code, name, country: 'England', tieBreaks });
  const season = await f.season({ competitionId: comp.id, name: '2023-24' });
  const ids = teamsBy ?? new Map<string, number>();
  if (!teamsBy) for (const name of TEAMS) ids.set(name, (await f.team({ name })).id);
  const play = (date: string, home: string, away: string, hs: number | null, as: number | null, extra = {}) =>
    f.match({ competitionId: comp.id, seasonId: season.id, matchDate: date, homeTeamId: ids.get(home)!, awayTeamId: ids.get(away)!, ...(hs !== null && as !== null ? { score: [hs, as] as [number, number] } : {}), ...extra });
  // Inserted out of date order: form must follow dates, not ids.
  await play('2023-09-23', 'Arsenal', 'Everton', 2, 1);
  await play('2023-08-12', 'Arsenal', 'Brighton', 2, 0);
  await play('2023-08-19', 'Arsenal', 'Chelsea', 1, 0);
  await play('2023-08-26', 'Brighton', 'Chelsea', 1, 0);
  await play('2023-09-02', 'Chelsea', 'Derby', 5, 0);
  await play('2023-09-16', 'Derby', 'Everton', 1, 1);
  await play('2023-09-30', 'Fulham', 'Derby', null, null);
  await play('2023-09-30', 'Everton', 'Brighton', 3, 0, { status: 'in_progress' });
  await play('2023-09-09', 'Derby', 'Arsenal', 5, 0, { isPlayoff: true });
  return { comp, season, ids };
}

beforeAll(async () => {
  t = await createTestApp({ now: '2023-09-20T10:00:00Z' });
  f = createFactories(t.database.db);
  const pl = await seedSoccer('test-pl', 'Premier Test', ['points', 'goal_difference', 'goals_for']);
  c.pl = pl.comp;
  c.liga = (await seedSoccer('test-liga', 'Liga Test', ['points', 'head_to_head', 'goal_difference', 'goals_for'], pl.ids)).comp;
  // An older season of the PL, so "latest" has something to beat.
  const old = await f.season({ competitionId: pl.comp.id, name: '2022-23' });
  await f.match({ competitionId: pl.comp.id, seasonId: old.id, matchDate: '2023-05-01', homeTeamId: pl.ids.get('Fulham')!, awayTeamId: pl.ids.get('Derby')!, score: [4, 0] });

  // NBA-style league (see standings.unit.test.ts for the hand-computed table).
  const nba = await f.competition({ sport: 'basketball', code: 'test-nba', name: 'NBA Test', country: 'USA', pointsWin: 1, pointsDraw: 0, pointsLoss: 0, tieBreaks: ['win_pct', 'head_to_head', 'wins'] });
  c.nba = nba;
  const s = await f.season({ competitionId: nba.id, name: '2024' });
  const b: Record<string, number> = {};
  for (const name of ['Knicks', 'Celtics', 'Nets', 'Raptors']) b[name] = (await f.team({ name, sport: 'basketball' })).id;
  const games: [string, string, string, number, number][] = [
    ['2024-01-01', 'Knicks', 'Celtics', 110, 100],
    ['2024-01-02', 'Knicks', 'Nets', 105, 99],
    ['2024-01-03', 'Nets', 'Celtics', 101, 99],
    ['2024-01-04', 'Celtics', 'Nets', 95, 97],
    ['2024-01-05', 'Raptors', 'Nets', 99, 98],
    ['2024-01-06', 'Celtics', 'Raptors', 101, 99],
    ['2024-01-07', 'Celtics', 'Knicks', 100, 120],
  ];
  for (const [date, home, away, hs, as] of games) await f.match({ competitionId: nba.id, seasonId: s.id, matchDate: date, homeTeamId: b[home]!, awayTeamId: b[away]!, score: [hs, as] });

  // Scorers in the PL 2023-24: goals from player match statistics.
  const arsenal = pl.ids.get('Arsenal')!;
  const [m1] = await t.database.db.query.matches.findMany({ where: (m, { and, eq }) => and(eq(m.competitionId, pl.comp.id), eq(m.matchDate, '2023-08-12')) });
  const [m2] = await t.database.db.query.matches.findMany({ where: (m, { and, eq }) => and(eq(m.competitionId, pl.comp.id), eq(m.matchDate, '2023-09-02')) });
  const saka = await f.player({ name: 'Bukayo Saka', currentTeamId: arsenal, position: 'MID' });
  const havertz = await f.player({ name: 'Kai Havertz', currentTeamId: arsenal, position: 'FWD' });
  const jackson = await f.player({ name: 'Nicolas Jackson', currentTeamId: pl.ids.get('Chelsea')!, position: 'FWD' });
  const keeper = await f.player({ name: 'David Raya', currentTeamId: arsenal, position: 'GK' });
  await f.playerStats({ matchId: m1!.id, playerId: saka.id, minutes: 90, goals: 1, assists: 1 });
  await f.playerStats({ matchId: m1!.id, playerId: havertz.id, minutes: 70, goals: 1, assists: 0 });
  await f.playerStats({ matchId: m1!.id, playerId: keeper.id, minutes: 90, goals: 0, assists: 0 });
  await f.playerStats({ matchId: m2!.id, playerId: jackson.id, minutes: 90, goals: 3, assists: 0 });
});
afterAll(async () => {
  await t?.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};
type Row = { position: number; team: { name: string }; played: number; won: number; drawn: number; lost: number; goals_for: number; goals_against: number; goal_difference: number; points: number; form: string };
const table = (rows: Row[]) => rows.map((r) => [r.position, r.team.name, r.played, r.won, r.drawn, r.lost, r.goals_for, r.goals_against, r.goal_difference, r.points, r.form]);

describe('standings', () => {
  it('computes the Premier League-style table by hand', async () => {
    const { status, body } = await get(`/api/v1/competitions/${c.pl!.id}/standings`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      competition: { id: c.pl!.id, code: 'test-pl' },
      sport: 'soccer',
      season: { name: '2023-24' },
      format: 'points',
      tie_breaks: ['points', 'goal_difference', 'goals_for'],
      points_rules: { win: 3, draw: 1, loss: 0 },
      version: 'v1',
    });
    expect(table(body.table)).toEqual([
      [1, 'Arsenal', 3, 3, 0, 0, 5, 1, 4, 9, 'WWW'],
      [2, 'Chelsea', 3, 1, 0, 2, 5, 2, 3, 3, 'LLW'],
      [3, 'Brighton', 2, 1, 0, 1, 1, 2, -1, 3, 'LW'],
      [4, 'Everton', 2, 0, 1, 1, 2, 3, -1, 1, 'DL'],
      [5, 'Derby', 2, 0, 1, 1, 1, 6, -5, 1, 'LD'],
      [6, 'Fulham', 0, 0, 0, 0, 0, 0, 0, 0, ''],
    ]);
    expect(body.table[0].games_behind).toBeNull();
  });

  it('applies head-to-head where the competition uses it', async () => {
    const { body } = await get('/api/v1/competitions/test-liga/standings?season=2023-24');
    expect(body.table.map((r: Row) => r.team.name)).toEqual(['Arsenal', 'Brighton', 'Chelsea', 'Everton', 'Derby', 'Fulham']);
  });

  it('computes an older season by name or id, and /leagues serves the same', async () => {
    const old = await get(`/api/v1/leagues/${c.pl!.id}/standings?season=2022-23`);
    expect(table(old.body.table)).toEqual([
      [1, 'Fulham', 1, 1, 0, 0, 4, 0, 4, 3, 'W'],
      [2, 'Derby', 1, 0, 0, 1, 0, 4, -4, 0, 'L'],
    ]);
    const byId = await get(`/api/v1/competitions/${c.pl!.id}/standings?season=${old.body.season.id}`);
    expect(byId).toEqual(old);
  });

  it('orders an NBA-style league by win percentage with head-to-head and games behind', async () => {
    const { body } = await get('/api/v1/competitions/test-nba/standings');
    expect(body.format).toBe('win_pct');
    expect(body.table.map((r: { team: { name: string }; won: number; lost: number; win_pct: number; games_behind: number }) => [r.team.name, r.won, r.lost, r.win_pct, r.games_behind])).toEqual([
      ['Knicks', 3, 0, 1, 0],
      ['Raptors', 1, 1, 0.5, 1.5],
      ['Nets', 2, 2, 0.5, 1.5],
      ['Celtics', 1, 4, 0.2, 3],
    ]);
  });

  it('gives standings by sport: every league at its latest season (/standings and /teams/standings)', async () => {
    const { body } = await get('/api/v1/standings?sport=soccer');
    expect(body).toMatchObject({ total: 2, page: 1, version: 'v1' });
    expect(body.items.map((x: { competition: { code: string }; season: { name: string } }) => [x.competition.code, x.season.name])).toEqual([
      ['test-liga', '2023-24'],
      ['test-pl', '2023-24'],
    ]);
    expect(await get('/api/v1/teams/standings?sport=soccer')).toEqual({ status: 200, body });
    const nba = (await get('/api/v1/teams/standings?sport=NBA')).body;
    expect(nba.items).toHaveLength(1);
    expect(nba.items[0].table[0].team.name).toBe('Knicks');
    const one = (await get('/api/v1/teams/standings?competition=test-pl&season=2022-23')).body;
    expect(one).toMatchObject({ total: 1, items: [{ competition: { code: 'test-pl' }, season: { name: '2022-23' } }] });
  });

  it('rejects unknown seasons, sports and competitions with 400 / 404', async () => {
    expect((await get(`/api/v1/competitions/${c.pl!.id}/standings?season=1888-89`)).body).toMatchObject({ error: 'ValidationError', field: 'season', provided_value: '1888-89' });
    expect((await get('/api/v1/standings?sport=quidditch')).body).toMatchObject({ error: 'ValidationError', field: 'sport', provided_value: 'quidditch' });
    expect((await get('/api/v1/teams/standings?competition=nope')).body).toMatchObject({ error: 'ValidationError', field: 'competition' });
    const missing = await get('/api/v1/competitions/999999/standings');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'NotFound', resource: 'competition', id: 999999 });
    expect((await get('/api/v1/leagues/no-such-code')).body).toMatchObject({ error: 'NotFound', resource: 'competition', id: 'no-such-code' });
    expect((await get('/api/v1/competitions/bad%20id')).status).toBe(400);
  });
});

describe('competitions', () => {
  it('lists competitions with sport and country filters, in the list envelope', async () => {
    const all = (await get('/api/v1/competitions')).body;
    expect(all).toMatchObject({ total: 3, page: 1, page_size: 20, version: 'v1' });
    expect(all.items.map((x: { code: string }) => x.code)).toEqual(['test-liga', 'test-nba', 'test-pl']);
    expect((await get('/api/v1/competitions?sport=basketball')).body.items).toEqual([
      { id: c.nba!.id, code: 'test-nba', name: 'NBA Test', country: 'USA', sport: 'basketball', kind: 'league', is_demo: false },
    ]);
    expect((await get('/api/v1/leagues?country=usa')).body.total).toBe(1);
    expect(await get('/api/v1/leagues?sport=soccer')).toEqual(await get('/api/v1/competitions?sport=soccer'));
    expect((await get('/api/v1/competitions?page_size=201')).body).toMatchObject({ error: 'ValidationError', field: 'page_size' });
  });

  it('gives the detail with seasons (by id or code) and the seasons list', async () => {
    const { body } = await get('/api/v1/competitions/test-pl');
    expect(body).toMatchObject({ id: c.pl!.id, sport: 'soccer', timezone: 'UTC', current_season: { name: '2023-24' }, version: 'v1' });
    expect(body.seasons.map((s: { name: string; matches: number; finished: number }) => [s.name, s.matches, s.finished])).toEqual([
      ['2023-24', 9, 7],
      ['2022-23', 1, 1],
    ]);
    expect((await get(`/api/v1/leagues/${c.pl!.id}`)).body).toEqual(body);
    const seasons = (await get('/api/v1/competitions/test-pl/seasons?page_size=1')).body;
    expect(seasons).toMatchObject({ total: 2, page_size: 1, items: [{ name: '2023-24', first_match_date: '2023-08-12', last_match_date: '2023-09-30' }] });
  });

  it('lists fixtures from today (clock 2023-09-20)', async () => {
    const { body } = await get('/api/v1/competitions/test-pl/fixtures');
    expect(body.items.map((m: { home_team: { name: string }; away_team: { name: string } }) => `${m.home_team.name}-${m.away_team.name}`)).toEqual(['Fulham-Derby']);
  });

  it('ranks top scorers by goals, then assists, then fewer minutes, with their team', async () => {
    const { body } = await get('/api/v1/leagues/test-pl/top-scorers');
    expect(body).toMatchObject({ total: 3, version: 'v1' });
    expect(body.items.map((x: { position: number; player: { name: string }; team: { name: string }; goals: number; assists: number; minutes: number; minutes_per_goal: number }) => [x.position, x.player.name, x.team.name, x.goals, x.assists, x.minutes, x.minutes_per_goal])).toEqual([
      [1, 'Nicolas Jackson', 'Chelsea', 3, 0, 90, 30],
      [2, 'Bukayo Saka', 'Arsenal', 1, 1, 90, 90],
      [3, 'Kai Havertz', 'Arsenal', 1, 0, 70, 70],
    ]);
    expect((await get('/api/v1/leagues/test-pl/top-scorers?page=2&page_size=2')).body.items[0]).toMatchObject({ position: 3, player: { name: 'Kai Havertz' } });
    expect((await get('/api/v1/leagues/test-pl/top-scorers?season=2022-23')).body).toMatchObject({ total: 0, items: [] });
  });
});
