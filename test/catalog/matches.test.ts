// Match routes through the public surface: filters, pagination bounds, sort, detail, box
// score, odds, today/upcoming/live on the fixed clock (2024-03-15T12:00Z), 404s and 400s,
// and /games serving exactly what /matches serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type MatchRow } from '../helpers/factories.js';
import { findMatchRows, type MatchCriteria, type SortOrder } from '../../src/modules/catalog/matches-repository.js';

let t: TestApp;
const ids: Record<string, number> = {};
let epl: { id: number; code: string };
let nbaTeam: number;

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z' });
  const f = createFactories(t.database.db);
  const lg = await f.league({
    teams: ['Arsenal', 'Chelsea', 'Everton', 'Fulham'],
    competition: { code: 'test-premier', name: 'Test Premier League' },
    season: '2023-24',
  });
  epl = lg.competition;
  const venue = await f.venue({ name: 'Emirates Stadium', city: 'London', capacity: 60704 });
  const m1 = await lg.play('Arsenal', 'Chelsea', 2, 1, '2024-03-01', {
    homeScoreHt: 1,
    awayScoreHt: 0,
    periodScores: [
      { period: 'h1', home: 1, away: 0 },
      { period: 'h2', home: 1, away: 1 },
    ],
    venueId: venue.id,
    referee: 'M Oliver',
    attendance: 60001,
    kickoffAt: new Date('2024-03-01T20:00:00Z'),
  });
  ids.m1 = m1.id;
  ids.m2 = (await lg.play('Everton', 'Fulham', 0, 0, '2024-03-02')).id;
  ids.m3 = (await lg.play('Chelsea', 'Everton', 3, 0, '2024-03-09')).id;
  ids.today = (await lg.play('Fulham', 'Arsenal', null, null, '2024-03-15', { kickoffAt: new Date('2024-03-15T15:00:00Z') })).id;
  ids.todayEarly = (await lg.play('Chelsea', 'Fulham', null, null, '2024-03-15', { kickoffAt: new Date('2024-03-15T12:30:00Z') })).id;
  ids.live = (await lg.play('Everton', 'Arsenal', 1, 0, '2024-03-15', { status: 'in_progress' })).id;
  ids.in6 = (await lg.play('Arsenal', 'Everton', null, null, '2024-03-21')).id;
  ids.in7 = (await lg.play('Fulham', 'Chelsea', null, null, '2024-03-22')).id;
  ids.postponed = (await lg.play('Chelsea', 'Arsenal', null, null, '2024-03-18', { status: 'postponed' })).id;

  // Another season of the same league, and an NBA game.
  const old = await f.season({ competitionId: epl.id, name: '2022-23' });
  ids.old = (await f.match({ competitionId: epl.id, seasonId: old.id, homeTeamId: lg.team('Arsenal').id, awayTeamId: lg.team('Fulham').id, matchDate: '2023-02-01', score: [3, 0] })).id;
  const nba = await f.competition({ sport: 'basketball', code: 'test-nba', name: 'Test NBA', tieBreaks: ['win_pct', 'head_to_head'] });
  const nbaGame: MatchRow = await f.match({ competitionId: nba.id, matchDate: '2024-03-15', score: [110, 102], periodScores: [{ period: 'q1', home: 30, away: 20 }] });
  ids.nba = nbaGame.id;
  nbaTeam = nbaGame.homeTeamId;

  // Box score and odds for m1.
  await f.teamStats(m1.id, lg.team('Arsenal').id, 'home', { shots: 14, corners: 6 });
  await f.teamStats(m1.id, lg.team('Chelsea').id, 'away', { shots: 9, corners: 3 });
  const saka = await f.player({ name: 'Bukayo Saka', position: 'MID', currentTeamId: lg.team('Arsenal').id });
  const palmer = await f.player({ name: 'Cole Palmer', position: 'MID', currentTeamId: lg.team('Chelsea').id });
  await f.playerStats({ matchId: m1.id, playerId: saka.id, started: true, minutes: 90, goals: 1, assists: 1, shots: 4, extra: { threat: 55.2 } });
  await f.playerStats({ matchId: m1.id, playerId: palmer.id, started: true, minutes: 85, goals: 1, yellowCards: 1 });
  for (const [selection, price] of [['home', 1.9], ['draw', 3.6], ['away', 4.2]] as const) {
    await f.odds({ matchId: m1.id, bookmaker: 'bet365', selection, price, phase: 'closing' });
    await f.odds({ matchId: m1.id, bookmaker: 'pinnacle', selection, price: price + 0.05, phase: 'opening' });
  }
  await f.odds({ matchId: m1.id, market: 'over_under', selection: 'over', line: 2.5, price: 1.8 });
  await f.odds({ matchId: m1.id, market: 'over_under', selection: 'under', line: 2.5, price: 2.05 });
});
afterAll(async () => {
  await t?.close();
});

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};
const idsOf = (body: { items: { id: number }[] }) => body.items.map((m) => m.id);

describe('GET /api/v1/matches', () => {
  it('lists every catalogue match newest first by default, in the list envelope', async () => {
    const { status, body } = await get('/api/v1/matches');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 11, page: 1, page_size: 20, version: 'v1' });
    expect(body.items).toHaveLength(11);
    const dates = body.items.map((m: { match_date: string }) => m.match_date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(body.items.at(-1).id).toBe(ids.old);
  });

  it('renders a match with teams, competition, season and scores', async () => {
    const { body } = await get('/api/v1/matches?date_from=2024-03-01&date_to=2024-03-01');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: ids.m1,
      sport: 'soccer',
      competition: { id: epl.id, code: 'test-premier', name: 'Test Premier League' },
      season: { name: '2023-24' },
      home_team: { name: 'Arsenal' },
      away_team: { name: 'Chelsea' },
      match_date: '2024-03-01',
      kickoff_at: '2024-03-01T20:00:00.000Z',
      game_date: '2024-03-01T20:00:00.000Z',
      status: 'final',
      home_score: 2,
      away_score: 1,
      venue: 'Emirates Stadium',
      is_playoff: false,
    });
  });

  it('sorts oldest first with sort=date, and orders a day by kick-off', async () => {
    const { body } = await get('/api/v1/matches?sort=date&date_from=2024-03-15&date_to=2024-03-15&sport=soccer');
    // Unknown kick-off (the live match) sorts after known ones on the same day.
    expect(idsOf(body)).toEqual([ids.todayEarly, ids.today, ids.live]);
  });

  it('filters by status, team, season (name or id), competition (id or code) and sport', async () => {
    expect(idsOf((await get('/api/v1/matches?status=postponed')).body)).toEqual([ids.postponed]);
    const team = (await get(`/api/v1/matches?team=${nbaTeam}`)).body;
    expect(idsOf(team)).toEqual([ids.nba]);
    expect((await get('/api/v1/matches?season=2022-23')).body.total).toBe(1);
    const seasonId = (await get('/api/v1/matches?season=2022-23')).body.items[0].season.id;
    expect(idsOf((await get(`/api/v1/matches?season=${seasonId}`)).body)).toEqual([ids.old]);
    expect((await get('/api/v1/matches?competition=test-premier')).body.total).toBe(10);
    expect((await get(`/api/v1/matches?competition=${epl.id}&season=2023-24`)).body.total).toBe(9);
    expect((await get('/api/v1/matches?sport=basketball')).body.total).toBe(1);
    expect((await get('/api/v1/matches?sport=soccer&status=final')).body.total).toBe(4);
  });

  it("accepts seed 000's league acronyms as sport aliases, and a known sport without data gives an empty list", async () => {
    expect(idsOf((await get('/api/v1/matches?sport=NBA')).body)).toEqual([ids.nba]);
    expect((await get('/api/v1/matches?sport=NFL')).body).toMatchObject({ items: [], total: 0 });
  });

  it('pages through results without overlap', async () => {
    const p1 = (await get('/api/v1/matches?page_size=5&page=1&sort=date')).body;
    const p2 = (await get('/api/v1/matches?page_size=5&page=2&sort=date')).body;
    const p3 = (await get('/api/v1/matches?page_size=5&page=3&sort=date')).body;
    expect(p1).toMatchObject({ total: 11, page: 1, page_size: 5 });
    expect(idsOf(p3)).toHaveLength(1);
    expect(new Set([...idsOf(p1), ...idsOf(p2), ...idsOf(p3)]).size).toBe(11);
    expect((await get('/api/v1/matches?page=99')).body).toMatchObject({ items: [], total: 11, page: 99 });
  });

  it.each([
    ['page_size=0', 'page_size', 0],
    ['page_size=201', 'page_size', 201],
    ['page=0', 'page', 0],
    ['status=finished', 'status', 'finished'],
    ['sort=name', 'sort', 'name'],
    ['date_from=2024-13-01', 'date_from', '2024-13-01'],
    ['team=abc', 'team', 'abc'],
  ])('rejects %s with a 400 naming the field', async (qs, field, value) => {
    const { status, body } = await get(`/api/v1/matches?${qs}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'ValidationError', field });
    expect(body.provided_value).toEqual(value);
    expect(body.message).toContain(field);
  });

  it('accepts the page_size bounds 1 and 200', async () => {
    expect((await get('/api/v1/matches?page_size=1')).body.items).toHaveLength(1);
    expect((await get('/api/v1/matches?page_size=200')).status).toBe(200);
  });

  it.each([
    ['sport=curling', 'sport', 'curling'],
    ['competition=no-such-league', 'competition', 'no-such-league'],
    ['competition=999999', 'competition', '999999'],
    ['season=1999-00', 'season', '1999-00'],
    ['date_from=2024-03-10&date_to=2024-03-01', 'date_from', '2024-03-10'],
  ])('rejects the semantically wrong %s with a 400 naming field and value', async (qs, field, value) => {
    const { status, body } = await get(`/api/v1/matches?${qs}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'ValidationError', field, provided_value: value });
    expect(body.message).toContain(value);
    expect(body.request_id).toEqual(expect.any(String));
  });
});

describe('GET /api/v1/matches keyset pagination (cursor / next)', () => {
  it.each(['-date', 'date'])('walks the same rows as the offset pages, one at a time, sort=%s (same-day and unknown kick-offs included)', async (sort) => {
    const all = await get(`/api/v1/matches?page_size=100&sort=${sort}`);
    expect(all.body.next).toBeNull();
    const expected = idsOf(all.body);
    expect(expected.length).toBeGreaterThan(4);
    const walked: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < expected.length + 2; i++) {
      const res = await get(`/api/v1/matches?page_size=1&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(expected.length);
      expect(['counted', 'cached']).toContain(res.body.total_source);
      walked.push(...idsOf(res.body));
      cursor = res.body.next;
      if (cursor === null) break;
    }
    expect(walked).toEqual(expected);
  });

  it('keeps the filters on every page and ends with next = null', async () => {
    const first = await get('/api/v1/matches?status=final&page_size=2');
    const all = await get('/api/v1/matches?status=final&page_size=100');
    expect(idsOf(first.body)).toEqual(idsOf(all.body).slice(0, 2));
    const second = await get(`/api/v1/matches?status=final&page_size=100&cursor=${first.body.next}`);
    expect(idsOf(second.body)).toEqual(idsOf(all.body).slice(2));
    expect(second.body.next).toBeNull();
  });

  it('rejects a cursor it did not make, one made for the other sort, and page with cursor', async () => {
    const { body } = await get('/api/v1/matches?page_size=1');
    for (const [url, field] of [
      ['/api/v1/matches?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`/api/v1/matches?cursor=${Buffer.from(JSON.stringify(['-date', '2024-13-45', null, 1])).toString('base64url')}`, 'cursor'],
      [`/api/v1/matches?cursor=${Buffer.from(JSON.stringify(['-date', '2024-01-01', null, -4])).toString('base64url')}`, 'cursor'],
      [`/api/v1/matches?sort=date&cursor=${body.next}`, 'cursor'],
      [`/api/v1/matches?page=2&cursor=${body.next}`, 'page'],
      ['/api/v1/matches?cursor=has%20spaces', 'cursor'],
    ] as const) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error).toBe('ValidationError');
      expect(res.body.field, url).toBe(field);
    }
  });
});

describe('page statements (prepared once per filter shape, rows read by position)', () => {
  // The fast path reads rows as arrays from the driver; inside a transaction the same
  // statement runs through drizzle's mapping. Both must give the same rows, for every shape.
  const shapes: [string, MatchCriteria, SortOrder][] = [
    ['no filter', {}, '-date'],
    ['competition + statuses', { competitionId: 0, statuses: ['final', 'in_progress'] }, 'date'],
    ['team + dates', { teamId: 0, dateFrom: '2024-03-01', dateTo: '2024-03-15' }, '-date'],
    ['ids', { matchIds: [] }, 'date'],
  ];
  it.each(shapes)('%s: driver rows equal drizzle rows, twice (the second run reuses the statement)', async (_name, given, sort) => {
    const criteria: MatchCriteria = { ...given };
    if (criteria.competitionId !== undefined) criteria.competitionId = epl.id;
    if (criteria.teamId !== undefined) criteria.teamId = (await get(`/api/v1/matches/${ids.m1}`)).body.home_team.id;
    if (criteria.matchIds !== undefined) criteria.matchIds = [ids.m1!, ids.today!, ids.nba!];
    for (let run = 0; run < 2; run++) {
      const fast = await findMatchRows(t.database.db, criteria, sort, 100);
      const viaDrizzle = await t.database.db.transaction((tx) => findMatchRows(tx, criteria, sort, 100));
      expect(fast.length).toBeGreaterThan(0);
      expect(fast).toEqual(viaDrizzle);
    }
  });

  it('a cursor shape pages the same way on both paths', async () => {
    const [first] = await findMatchRows(t.database.db, {}, 'date', 1);
    const cursor = { sort: 'date' as const, matchDate: first!.matchDate, kickoffAt: first!.kickoffAt?.toISOString() ?? null, id: first!.id };
    const fast = await findMatchRows(t.database.db, {}, 'date', 100, 0, cursor);
    const viaDrizzle = await t.database.db.transaction((tx) => findMatchRows(tx, {}, 'date', 100, 0, cursor));
    expect(fast.map((r) => r.id)).not.toContain(first!.id);
    expect(fast).toEqual(viaDrizzle);
  });
});

describe('GET /api/v1/games (seed 000 paths)', () => {
  it.each([
    '',
    '?sport=NBA',
    '?status=final&sort=date',
    '/today',
    '/upcoming?days=10',
    '/live',
  ])('serves the same body as /matches%s', async (suffix) => {
    const a = await get(`/api/v1/matches${suffix}`);
    const b = await get(`/api/v1/games${suffix}`);
    expect(a.status).toBe(200);
    // The second asks the same count the first one counted: it may come from the count cache.
    const { total_source: _a, ...restA } = a.body as Record<string, unknown>;
    const { total_source: _b, ...restB } = b.body as Record<string, unknown>;
    expect(restB).toEqual(restA);
    expect(b.status).toBe(a.status);
  });

  it('serves the same detail, stats and odds', async () => {
    for (const suffix of ['', '/stats', '/odds']) {
      expect(await get(`/api/v1/games/${ids.m1}${suffix}`)).toEqual(await get(`/api/v1/matches/${ids.m1}${suffix}`));
    }
  });
});

describe('GET /api/v1/matches/:id', () => {
  it('gives the detail: half-time and period scores, venue, referee, version', async () => {
    const { status, body } = await get(`/api/v1/matches/${ids.m1}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: ids.m1,
      version: 'v1',
      home_team: { name: 'Arsenal' },
      half_time: { home: 1, away: 0 },
      period_scores: [
        { period: 'h1', home: 1, away: 0 },
        { period: 'h2', home: 1, away: 1 },
      ],
      venue: 'Emirates Stadium',
      venue_detail: { name: 'Emirates Stadium', city: 'London', capacity: 60704 },
      referee: 'M Oliver',
      attendance: 60001,
      sources: [],
      is_playoff: false,
    });
    expect((await get(`/api/v1/matches/${ids.today}`)).body).toMatchObject({ half_time: null, period_scores: [], venue_detail: null, status: 'scheduled' });
  });

  it('answers 404 naming the resource and id, and 400 for a malformed id', async () => {
    const missing = await get('/api/v1/matches/999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'NotFound', resource: 'match', id: 999999 });
    for (const suffix of ['/stats', '/odds']) expect((await get(`/api/v1/matches/999999${suffix}`)).body).toMatchObject({ resource: 'match', id: 999999 });
    const bad = await get('/api/v1/matches/abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'ValidationError', field: 'id', provided_value: 'abc' });
  });

  it('gives the box score in seed 000 GameStatsResponse shape', async () => {
    const { body } = await get(`/api/v1/matches/${ids.m1}/stats`);
    expect(body).toMatchObject({
      game_id: ids.m1,
      home_team_stats: { shots: 14, corners: 6 },
      away_team_stats: { shots: 9, corners: 3 },
      version: 'v1',
    });
    expect(body.home_players).toEqual([
      {
        player_id: expect.any(Number),
        player_name: 'Bukayo Saka',
        team: 'Arsenal',
        team_id: body.home_team.id,
        position: 'MID',
        started: true,
        minutes: 90,
        stats: { goals: 1, assists: 1, shots: 4, threat: 55.2 },
      },
    ]);
    // Counts the source did not record are absent, not zero.
    expect(body.away_players[0].stats).toEqual({ goals: 1, yellow_cards: 1 });
    expect((await get(`/api/v1/matches/${ids.m2}/stats`)).body).toMatchObject({ home_team_stats: {}, home_players: [], away_players: [] });
  });

  it('gives stored odds grouped by market, filterable by market, phase and bookmaker', async () => {
    const { body } = await get(`/api/v1/matches/${ids.m1}/odds`);
    expect(body).toMatchObject({ match_id: ids.m1, total: 8, version: 'v1' });
    expect(body.markets.map((m: { market: string }) => m.market)).toEqual(['1x2', 'over_under']);
    const oneX2 = body.markets[0].prices;
    expect(oneX2).toHaveLength(6);
    expect(oneX2).toContainEqual({
      bookmaker: 'bet365',
      bookmaker_name: 'bet365',
      bookmaker_kind: 'bookmaker',
      selection: 'home',
      line: null,
      price: 1.9,
      phase: 'closing',
      captured_at: null,
      source: 'test',
    });
    expect(body.markets[1].prices.map((p: { selection: string; line: number }) => [p.selection, p.line])).toEqual([
      ['over', 2.5],
      ['under', 2.5],
    ]);
    const opening = (await get(`/api/v1/matches/${ids.m1}/odds?phase=opening&bookmaker=pinnacle`)).body;
    expect(opening.total).toBe(3);
    expect(opening.markets[0].prices.every((p: { phase: string; bookmaker: string }) => p.phase === 'opening' && p.bookmaker === 'pinnacle')).toBe(true);
    expect((await get(`/api/v1/matches/${ids.m1}/odds?market=btts`)).body).toMatchObject({ total: 0, markets: [] });
    expect((await get(`/api/v1/matches/${ids.m1}/odds?market=nonsense`)).status).toBe(400);
  });
});

describe('today, upcoming and live (clock fixed at 2024-03-15T12:00Z)', () => {
  it("/today lists the UTC day's matches of every status, earliest kick-off first (unknown times last)", async () => {
    const { body } = await get('/api/v1/matches/today');
    expect(idsOf(body)).toEqual([ids.todayEarly, ids.today, ids.live, ids.nba]);
    expect(idsOf((await get('/api/v1/matches/today?sport=soccer')).body)).toEqual([ids.todayEarly, ids.today, ids.live]);
  });

  it('/today follows the injected clock', async () => {
    t.clock.set('2024-03-21T23:59:00Z');
    try {
      expect(idsOf((await get('/api/v1/matches/today')).body)).toEqual([ids.in6]);
    } finally {
      t.clock.set('2024-03-15T12:00:00Z');
    }
  });

  it('/upcoming lists scheduled matches from today through the next 7 days by default', async () => {
    expect(idsOf((await get('/api/v1/matches/upcoming')).body)).toEqual([ids.todayEarly, ids.today, ids.in6]);
    expect(idsOf((await get('/api/v1/matches/upcoming?days=8')).body)).toEqual([ids.todayEarly, ids.today, ids.in6, ids.in7]);
    expect(idsOf((await get('/api/v1/matches/upcoming?days=1&competition=test-premier')).body)).toEqual([ids.todayEarly, ids.today]);
    expect((await get('/api/v1/matches/upcoming?days=0')).body).toMatchObject({ error: 'ValidationError', field: 'days' });
  });

  it('/live lists matches in progress', async () => {
    const { body } = await get('/api/v1/matches/live');
    expect(body).toMatchObject({ total: 1, items: [{ id: ids.live, status: 'in_progress', home_score: 1, away_score: 0 }] });
  });
});
