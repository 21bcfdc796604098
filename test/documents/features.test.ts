// News features per team and instant (GET /teams/{id}/news/features): volume, rolling
// sentiment and flagged mentions of the team's players, computed only from documents
// published before the as-of instant — later news, and later versions of an article, change
// nothing (the no-look-ahead rule, tested like the prediction engine's) — plus as_of
// validation and the pure aggregation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from '../../src/db/client.js';
import { newsFeaturesAt, type NewsMentionRow } from '../../src/modules/documents/features.js';
import { attachNewsFeatures, trainModels } from '../../src/modules/predictions/training.js';
import { expectErrorShape, signUpAdmin, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type PlayerRow, type TeamRow } from '../helpers/factories.js';

let t: TestApp;
let admin: Session;
const T: Record<string, TeamRow> = {};
const P: Record<string, PlayerRow> = {};

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-10T12:00:00Z' });
  const f = createFactories(t.database.db);
  for (const name of ['Arsenal', 'Chelsea']) T[name] = await f.team({ name });
  for (const [name, lastName, team] of [
    ['Bukayo Saka', 'Saka', 'Arsenal'],
    ['Martin Ødegaard', 'Ødegaard', 'Arsenal'],
    ['Cole Palmer', 'Palmer', 'Chelsea'],
  ] as const)
    P[name] = await f.player({ name, lastName, currentTeamId: T[team]!.id });
  admin = await signUpAdmin(t);
});
afterAll(async () => {
  await t.close();
});

const push = async (url: string, published_at: string, text: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: { title: url, text, url: `https://news.example.test/${url}`, published_at } });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().document_ids[0] as number;
};
const features = async (team: string, query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/teams/${T[team]!.id}/news/features?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('team news features', () => {
  it('counts what was published in the window before as_of, and ignores later news and later versions', async () => {
    await push('saka-injury', '2024-03-05T10:00:00Z', 'Bukayo Saka has a hamstring injury and is ruled out of the weekend.');
    await push('arsenal-win', '2024-03-07T10:00:00Z', 'Arsenal were brilliant in a superb win, and Saka watched from the stands.');
    await push('odegaard-red', '2024-03-07T18:00:00Z', 'Martin Ødegaard was sent off and is suspended for the next game.');
    await push('palmer', '2024-03-06T10:00:00Z', 'Chelsea forward Cole Palmer has a knee injury.');
    const before = await features('Arsenal', 'as_of=2024-03-08');
    expect(before).toMatchObject({
      team_id: T['Arsenal']!.id,
      as_of: '2024-03-08T00:00:00.000Z',
      window_days: 7,
      documents: 3,
      injury_mentions: 1,
      suspension_mentions: 1,
      injured_players: 1,
      suspended_players: 1,
      transfer_mentions: 0,
    });
    expect(before.sentiment_mean).not.toBeNull();

    // Later news: published on and after the as-of instant.
    await push('at-as-of', '2024-03-08T00:00:00Z', 'Bukayo Saka suffered a knee injury in training.');
    await push('saka-again', '2024-03-09T09:00:00Z', 'Martin Ødegaard has an ankle injury; Saka is banned.');
    // A later version of an article the as-of instant already saw (ingested after as_of).
    await push('saka-injury', '2024-03-05T10:00:00Z', 'Bukayo Saka is fit and available for the weekend after a superb recovery.');
    expect(await features('Arsenal', 'as_of=2024-03-08')).toEqual(before);
    expect(await features('Arsenal', 'as_of=2024-03-08T01:00:00%2B01:00')).toEqual(before);

    // As of a later instant the new news and the new version count.
    const after = await features('Arsenal', 'as_of=2024-03-11T00:00:00Z');
    expect(after.documents).toBe(5);
    expect(after.injury_mentions).toBe(2); // at-as-of and saka-again (Ødegaard); the corrected saka-injury has none
    expect(after.suspension_mentions).toBe(2);
  });

  it('a shorter window sees less; another team sees only its own players', async () => {
    expect((await features('Arsenal', 'as_of=2024-03-08&window_days=1')).documents).toBe(2);
    expect(await features('Chelsea', 'as_of=2024-03-08')).toMatchObject({ documents: 1, injury_mentions: 1, suspension_mentions: 0 });
    const none = await features('Chelsea', 'as_of=2024-03-01');
    expect(none).toMatchObject({ documents: 0, mentions: 0, sentiment_mean: null, sentiment_trend: null });
  });

  it('defaults as_of to now; refuses a bad as_of or window with the error shape; 404 for an unknown team', async () => {
    expect((await features('Arsenal', '')).as_of).toBe('2024-03-10T12:00:00.000Z');
    for (const q of ['as_of=yesterday', 'as_of=2024-02-31', 'as_of=2024-03-08T10:00:00']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/teams/${T['Arsenal']!.id}/news/features?${q}` });
      expect(res.statusCode, q).toBe(400);
      expectErrorShape(res.json(), 'ValidationError');
      expect(res.json().field).toBe('as_of');
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/teams/${T['Arsenal']!.id}/news/features?window_days=0` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/teams/999999/news/features' })).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('describes the features route with its as_of and window_days parameters', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/api/v1/teams/{id}/news/features'].get;
    expect(op.operationId).toBe('teamNewsFeatures');
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['as_of', 'id', 'window_days']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});

describe('newsFeaturesAt (pure)', () => {
  const row = (over: Partial<NewsMentionRow>): NewsMentionRow => ({ documentId: 1, url: 'u1', version: 1, publishedAt: Date.parse('2024-03-01T00:00:00Z'), ingestedAt: Date.parse('2024-03-01T01:00:00Z'), teamId: 7, playerId: 70, sentiment: -0.2, flags: ['injury'], ...over });

  it('rows at or after as_of change nothing, whatever the caller passes in', () => {
    const asOf = new Date('2024-03-05T00:00:00Z');
    const past = [row({}), row({ documentId: 2, url: 'u2', playerId: null, sentiment: 0.4, flags: [], publishedAt: Date.parse('2024-03-04T00:00:00Z') })];
    const future = [row({ documentId: 3, url: 'u3', publishedAt: asOf.getTime() }), row({ documentId: 4, url: 'u4', publishedAt: Date.parse('2024-03-09T00:00:00Z'), flags: ['suspension'] })];
    expect(newsFeaturesAt([...past, ...future], 7, asOf)).toEqual(newsFeaturesAt(past, 7, asOf));
    expect(newsFeaturesAt(past, 7, asOf)).toMatchObject({ documents: 2, mentions: 2, injury_mentions: 1, sentiment_mean: 0.1, sentiment_trend: 0.6 });
  });

  it('reads the newest version ingested by as_of, else the first one', () => {
    const asOf = new Date('2024-03-05T00:00:00Z');
    const v1 = row({});
    const v2Known = row({ documentId: 2, version: 2, ingestedAt: Date.parse('2024-03-03T00:00:00Z'), flags: [] });
    const v3Later = row({ documentId: 3, version: 3, ingestedAt: Date.parse('2024-03-06T00:00:00Z'), flags: ['suspension'] });
    expect(newsFeaturesAt([v1, v2Known, v3Later], 7, asOf)).toMatchObject({ documents: 1, injury_mentions: 0, suspension_mentions: 0 });
    const lateV1 = { ...v1, ingestedAt: Date.parse('2024-03-07T00:00:00Z') };
    expect(newsFeaturesAt([lateV1, v3Later], 7, asOf)).toMatchObject({ documents: 1, injury_mentions: 1, suspension_mentions: 0 });
  });
});

describe('news features in the training pipeline (NEWS_FEATURES_IN_TRAINING)', () => {
  it('off by default; on, the Elo artifact reports coverage computed from news before each match day only', async () => {
    const f = createFactories(t.database.db);
    const league = await f.league({ teams: ['Everton', 'Fulham'] });
    await f.player({ name: 'Dwight McNeil', lastName: 'McNeil', currentTeamId: league.team('Everton').id });
    await league.play('Everton', 'Fulham', 1, 0, '2024-02-20');
    await league.play('Fulham', 'Everton', 2, 2, '2024-03-06');
    await league.play('Everton', 'Fulham', 0, 1, '2024-03-08');
    await push('mcneil-knee', '2024-03-04T10:00:00Z', 'Everton winger Dwight McNeil has a knee injury.');
    await push('mcneil-red', '2024-03-06T10:00:00Z', 'Dwight McNeil was sent off and is suspended.');
    const competition = String(league.competition.id);
    const diagnostics = async () =>
      (await queryRows<{ diagnostics: Record<string, unknown> }>(t.database.db, sql`select diagnostics from model_artifacts where kind = 'elo' and competition_id = ${league.competition.id} order by id desc limit 1`))[0]!.diagnostics;

    await trainModels({ db: t.database.db, clock: t.clock }, { competition, trigger: 'cli', backtest: false, cutoff: '2024-03-10' });
    expect(await diagnostics()).not.toHaveProperty('news_features');

    await trainModels({ db: t.database.db, clock: t.clock, newsFeatures: true }, { competition, trigger: 'cli', backtest: false, cutoff: '2024-03-10' });
    // 2024-03-06: only the knee injury (the red card came on the match's own day); 2024-03-08: both.
    expect(await diagnostics()).toMatchObject({ news_features: { window_days: 7, matches: 3, matches_with_news: 2, used_by_models: [] } });
  });

  it('the features attached to a match ignore news from its own day and later', async () => {
    const everton = (await queryRows<{ id: number }>(t.database.db, sql`select id from teams where name = 'Everton'`))[0]!.id;
    const fulham = (await queryRows<{ id: number }>(t.database.db, sql`select id from teams where name = 'Fulham'`))[0]!.id;
    const ms = [
      { id: -1, date: '2024-03-06', season: 's', home: fulham, away: everton, homeScore: 2, awayScore: 2, neutral: false },
      { id: -2, date: '2024-03-08', season: 's', home: everton, away: fulham, homeScore: 0, awayScore: 1, neutral: false },
    ];
    await attachNewsFeatures(t.database.db, ms);
    const [a, b] = ms as unknown as { news: { home: { documents: number; injury_mentions: number; suspension_mentions: number }; away: { documents: number; injury_mentions: number; suspension_mentions: number } } }[];
    expect(a!.news.away).toMatchObject({ documents: 1, injury_mentions: 1, suspension_mentions: 0 });
    expect(a!.news.home).toMatchObject({ documents: 0 });
    expect(b!.news.home).toMatchObject({ documents: 2, injury_mentions: 1, suspension_mentions: 1 });
  });
});
