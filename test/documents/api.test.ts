// Documents end to end on the real database: ingest of the RSS/Atom/HTML/Markdown/text
// fixtures (folder and a local stub HTTP server), idempotency and versions, refusals that
// store nothing, links with offsets, the push endpoint's auth, full-text search with
// snippets and filters, team/player news and the per-source health list.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, sql } from '../../src/db/client.js';
import { createDocumentsService, type DocumentsService } from '../../src/modules/documents/service.js';
import { expectErrorShape, signUp, signUpAdmin, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories, type PlayerRow, type TeamRow } from '../helpers/factories.js';

const FIXTURES = new URL('../fixtures/documents/', import.meta.url).pathname;

let t: TestApp;
let svc: DocumentsService;
let admin: Session;
let user: Session;
let server: Server;
let base: string;
const routes: Record<string, { type: string; body: string | Buffer; status?: number }> = {};
const T: Record<string, TeamRow> = {};
const P: Record<string, PlayerRow> = {};

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-10T12:00:00Z' });
  const f = createFactories(t.database.db);
  for (const name of ['Arsenal', 'Chelsea', 'Liverpool', 'Manchester United', 'Manchester City', 'Tottenham Hotspur', 'Brentford']) T[name] = await f.team({ name });
  await f.teamAlias(T['Manchester United']!.id, 'Man Utd');
  await f.teamAlias(T['Tottenham Hotspur']!.id, 'Tottenham');
  const players: [string, string, string][] = [
    ['Bukayo Saka', 'Saka', 'Arsenal'],
    ['Martin Ødegaard', 'Ødegaard', 'Arsenal'],
    ['Reece James', 'James', 'Chelsea'],
    ['Cole Palmer', 'Palmer', 'Chelsea'],
    ['Darwin Núñez', 'Núñez', 'Liverpool'],
    ['Mohamed Salah', 'Salah', 'Liverpool'],
    ['Ivan Toney', 'Toney', 'Brentford'],
    ['Daniel James', 'James', 'Manchester United'],
  ];
  for (const [name, lastName, team] of players) P[name] = await f.player({ name, lastName, currentTeamId: T[team]!.id });
  svc = createDocumentsService({ db: t.database.db, clock: t.clock });
  admin = await signUpAdmin(t);
  user = await signUp(t);
  server = createServer((req, res) => {
    const r = routes[req.url ?? ''];
    if (!r) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(r.status ?? 200, { 'content-type': r.type }).end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const count = async () => Number((await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from documents`))[0]!.n);

describe('ingestion', () => {
  it('ingests a folder of feeds, a page and text files; a second run changes nothing', async () => {
    const first = await svc.ingestTarget(FIXTURES);
    const byFile = Object.fromEntries(first.map((r) => [r.source.split('/').pop(), r]));
    expect(byFile['rss2-sports.xml']).toMatchObject({ inserted: 3, skipped: 1, error: null });
    expect(byFile['atom-sports.xml']).toMatchObject({ inserted: 2, error: null });
    expect(byFile['page-article.html']).toMatchObject({ inserted: 1, error: null });
    expect(byFile['note.md']).toMatchObject({ inserted: 1, error: null });
    expect(byFile['brief.txt']).toMatchObject({ inserted: 1, error: null });
    expect(Object.keys(byFile)).not.toContain('README.md'); // the folder's provenance note is not news
    const n = await count();
    const again = await svc.ingestTarget(FIXTURES);
    expect(again.every((r) => r.inserted === 0 && r.updated === 0)).toBe(true);
    expect(await count()).toBe(n);
  });

  it('keeps timezones, authors and the clean text of a page (boilerplate dropped)', async () => {
    const list = (await get('/api/v1/documents?page_size=50')).json();
    const chelsea = list.items.find((d: { url: string }) => d.url.endsWith('68512002'));
    expect(chelsea.published_at).toBe('2024-03-08T08:10:00.000Z');
    const inacio = list.items.find((d: { url: string }) => d.url.endsWith('inacio'));
    expect(inacio).toMatchObject({ published_at: '2024-03-08T12:29:29.000Z', author: 'Mark Reporter' });
    const page = list.items.find((d: { url: string }) => d.url.endsWith('page-article.html'));
    expect(page).toMatchObject({ author: 'Jane Columnist', published_at: '2024-03-09T19:45:00.000Z' });
    const detail = (await get(`/api/v1/documents/${page.id}`)).json();
    expect(detail.text).toContain('Martin Ødegaard scored a brilliant winner');
    expect(detail.text).not.toMatch(/cookies|Most read|Sign in/i);
    const md = list.items.find((d: { url: string }) => d.url.endsWith('note.md'));
    expect(md).toMatchObject({ title: 'Weekend preview: Liverpool v Manchester City', published_at: '2024-03-09T08:00:00.000Z' });
  });

  it('links aliases and accented names with offsets; a shared surname needs its team in the sentence', async () => {
    const list = (await get('/api/v1/documents?page_size=50')).json();
    const inacio = (await get(`/api/v1/documents/${list.items.find((d: { url: string }) => d.url.endsWith('inacio')).id}`)).json();
    const mu = inacio.mentions.find((m: { team_id: number }) => m.team_id === T['Manchester United']!.id);
    expect(mu).toMatchObject({ surface: 'Man Utd', entity_type: 'team' });
    expect(inacio.text.slice(mu.start, mu.end)).toBe('Man Utd');
    const chelsea = (await get(`/api/v1/documents/${list.items.find((d: { url: string }) => d.url.endsWith('68512002')).id}`)).json();
    const james = chelsea.mentions.find((m: { player_id: number | null }) => m.player_id === P['Reece James']!.id);
    expect(james).toBeTruthy();
    expect(chelsea.flags).toContain('injury');
    expect(james.flags).toContain('injury');
    expect(james.sentiment).toBeLessThan(0);
    const nunez = (await get(`/api/v1/documents/${list.items.find((d: { url: string }) => d.url.endsWith('68512003')).id}`)).json();
    expect(nunez.mentions.some((m: { player_id: number | null; surface: string }) => m.player_id === P['Darwin Núñez']!.id && m.surface === 'Darwin Núñez')).toBe(true);
    expect(nunez.flags).toContain('suspension');
  });

  it('an updated article is a new version; the old one is kept', async () => {
    const url = `${base}/feed.xml`;
    const xml = await readFile(join(FIXTURES, 'rss2-sports.xml'), 'utf8');
    routes['/feed.xml'] = { type: 'application/rss+xml', body: xml };
    const r1 = await svc.ingestTarget(url);
    expect(r1[0]).toMatchObject({ inserted: 0, unchanged: 3, error: null });
    routes['/feed.xml'] = { type: 'application/rss+xml', body: xml.replace('for four weeks', 'for six weeks') };
    const r2 = await svc.ingestTarget(url);
    expect(r2[0]).toMatchObject({ updated: 1, unchanged: 2 });
    const list = (await get('/api/v1/documents?page_size=50&include_old_versions=true')).json();
    const versions = list.items.filter((d: { url: string }) => d.url.endsWith('68512002'));
    expect(versions.map((v: { version: number; is_current: boolean }) => [v.version, v.is_current]).sort()).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('refuses bad input with a reason, stores nothing, and shows the failure in source health', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-docs-'));
    await writeFile(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    await writeFile(join(dir, 'latin1.txt'), Buffer.from('Arsenal win at Stamford Bridge \xe9\xe9 and more text here', 'latin1'));
    await writeFile(join(dir, 'empty.html'), '<!doctype html><html><body><nav>Home</nav></body></html>');
    await writeFile(join(dir, 'broken.xml'), '<?xml version="1.0"?><note><body>Arsenal played Chelsea today at home</body></note>');
    const before = await count();
    const results = await svc.ingestTarget(dir);
    const reasons = Object.fromEntries(results.map((r) => [r.source.split('/').pop(), r.error?.split(':')[0]]));
    expect(reasons).toEqual({ 'binary.txt': 'binary', 'latin1.txt': 'encoding', 'empty.html': 'no_text', 'broken.xml': 'not_a_feed' });
    routes['/huge'] = { type: 'text/html', body: Buffer.alloc(6 * 1024 * 1024, 0x61) };
    routes['/down'] = { type: 'text/plain', body: 'oops', status: 503 };
    expect((await svc.ingestTarget(`${base}/huge`))[0]!.error).toMatch(/^too_large/);
    expect((await svc.ingestTarget(`${base}/down`))[0]!.error).toMatch(/^fetch_failed.*503/);
    expect(await count()).toBe(before);
    const sources = (await get('/api/v1/documents/sources')).json().items;
    const down = sources.find((s: { locator: string }) => s.locator === `${base}/down`);
    expect(down).toMatchObject({ status: 'failing', consecutive_failures: 1, documents: 0 });
    expect(down.last_error).toMatch(/HTTP 503/);
    expect(sources.find((s: { locator: string }) => s.locator === `${base}/feed.xml`)).toMatchObject({ status: 'ok', last_error: null });
  });
});

describe('API', () => {
  const doc = { title: 'Saka injury update', text: 'Arsenal say Bukayo Saka has a minor ankle knock and is a doubt for the weekend.', url: 'https://club.example.test/saka-update', published_at: '2024-03-10T09:00:00+01:00' };

  it('POST /documents needs an admin or an API key; same content twice is a no-op', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/documents', payload: doc })).statusCode).toBe(401);
    const forbidden = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: user.bearer, payload: doc });
    expect(forbidden.statusCode).toBe(403);
    expectErrorShape(forbidden.json(), 'Forbidden');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: doc });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ inserted: 1, source: 'push:api' });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: doc });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ inserted: 0, unchanged: 1, document_ids: created.json().document_ids });
    const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: user.bearer, payload: { name: 'newsbot' } });
    const viaKey = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: { 'x-api-key': key.json().key }, payload: { ...doc, text: `${doc.text} Update: he trained today.` } });
    expect(viaKey.statusCode, viaKey.body).toBe(201);
    expect(viaKey.json()).toMatchObject({ updated: 1 });
    const d = (await get(`/api/v1/documents/${viaKey.json().document_ids[0]}`)).json();
    expect(d.published_at).toBe('2024-03-10T08:00:00.000Z');
    expect(d.versions).toHaveLength(2);
  });

  it('refuses a pushed text without words, and a bad body, with the error shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: { title: 'x', text: '<p> </p>' } });
    expect(res.statusCode).toBe(422);
    expectErrorShape(res.json(), 'UnprocessableEntity');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: { text: 'no title' } });
    expect(bad.statusCode).toBe(400);
  });

  it('full-text search ranks, highlights and filters', async () => {
    const res = await get('/api/v1/documents/search?q=hamstring%20injury');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items[0].snippet).toContain('<mark>');
    expect(body.items[0].title).toMatch(/Reece James/);
    const filtered = (await get(`/api/v1/documents/search?q=hamstring&team_id=${T['Liverpool']!.id}`)).json();
    expect(filtered.items.every((d: { title: string }) => /Salah|Liverpool/.test(d.title))).toBe(true);
    const dated = (await get('/api/v1/documents/search?q=hamstring&since=2024-03-09T00:00:00Z')).json();
    expect(dated.items.every((d: { published_at: string }) => d.published_at >= '2024-03-09')).toBe(true);
    expect((await get('/api/v1/documents/search?q=')).statusCode).toBe(400);
  });

  it("flags are per player: a flag filter on a player's or team's news is about that player", async () => {
    const text = 'Bukayo Saka is fit again after a knock, but Martin Ødegaard has a knee injury and will miss the trip. Chelsea have completed the £40m signing of Reece James.';
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: { title: 'Team news', text, url: 'https://club.example.test/team-news', published_at: '2024-03-10T10:00:00Z' } });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().document_ids[0];
    const d = (await get(`/api/v1/documents/${id}`)).json();
    expect(d.flags).toEqual(['injury', 'transfer']);
    const flagsOf = (pid: number) => d.mentions.filter((m: { player_id: number | null }) => m.player_id === pid).flatMap((m: { flags: string[] }) => m.flags);
    expect(flagsOf(P['Bukayo Saka']!.id)).toEqual([]);
    expect(flagsOf(P['Martin Ødegaard']!.id)).toEqual(['injury']);
    expect(flagsOf(P['Reece James']!.id)).toEqual(['transfer']);
    const ids = async (url: string) => (await get(url)).json().items.map((x: { id: number }) => x.id);
    expect(await ids(`/api/v1/players/${P['Martin Ødegaard']!.id}/news?flag=injury`)).toContain(id);
    expect(await ids(`/api/v1/players/${P['Bukayo Saka']!.id}/news?flag=injury`)).not.toContain(id);
    expect(await ids(`/api/v1/players/${P['Bukayo Saka']!.id}/news`)).toContain(id);
    expect(await ids(`/api/v1/teams/${T['Arsenal']!.id}/news?flag=injury`)).toContain(id);
    expect(await ids(`/api/v1/teams/${T['Arsenal']!.id}/news?flag=transfer`)).not.toContain(id);
    expect(await ids('/api/v1/documents?flag=transfer')).toContain(id);
    const bad = await get('/api/v1/documents?flag=rumour');
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'ValidationError');
  });

  it('team and player news; 404 for unknown ids', async () => {
    const news = (await get(`/api/v1/teams/${T['Arsenal']!.id}/news`)).json();
    expect(news.total).toBeGreaterThanOrEqual(3);
    const pn = (await get(`/api/v1/players/${P['Ivan Toney']!.id}/news`)).json();
    expect(pn.items.map((d: { title: string }) => d.title)).toEqual(['Brentford confirm Ivan Toney is available']);
    expect((await get('/api/v1/teams/999999/news')).statusCode).toBe(404);
    expect((await get('/api/v1/documents/999999')).statusCode).toBe(404);
  });
});
