// Semantic search (LSA, decision 0021): the linear algebra on small known cases, then
// GET /documents/search?mode=semantic on the labelled sentences — ranking, filters, fold-in
// of a new document, old versions hidden, the full-text fallback without a model or a known
// word — and recall@5 on the labelled queries next to full-text search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dot, fitLsa, foldIn, lsaTerms, symmetricEigen } from '../../src/modules/documents/lsa.js';
import { signUpAdmin, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loadLabelledCorpus, searchQuality } from './search-quality.js';

describe('LSA (pure)', () => {
  it('symmetric eigen-decomposition of a known matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('stems and drops stop words; fitting is deterministic; unknown words fold to zero', () => {
    expect(lsaTerms("The striker's injuries were serious")).toEqual(['striker', 'injuri', 'serious']);
    const texts = ['hamstring injury for the striker', 'striker injured his hamstring', 'transfer fee agreed', 'the transfer deal and fee', 'title win for the champions', 'champions clinch the title'];
    const a = fitLsa(texts, { dims: 3 });
    const b = fitLsa(texts, { dims: 3 });
    expect(Array.from(a.projection)).toEqual(Array.from(b.projection));
    const q = foldIn(a, 'hamstring');
    const scores = texts.map((t) => dot(q, foldIn(a, t)));
    expect(scores.indexOf(Math.max(...scores))).toBeLessThan(2);
    expect(Math.max(...scores.slice(2))).toBeLessThan(0.5);
    expect(Array.from(foldIn(a, 'zzz qqq')).every((x) => x === 0)).toBe(true);
  });
});

let t: TestApp;
let admin: Session;
let idOf: Map<number, string>;
const search = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/documents/search?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-10T12:00:00Z' });
  admin = await signUpAdmin(t);
  idOf = await loadLabelledCorpus(t.database.db, t.clock);
});
afterAll(async () => {
  await t.close();
});

describe('GET /documents/search?mode=semantic', () => {
  it('ranks by meaning: a paraphrase finds what full-text misses', async () => {
    const sem = await search('q=hamstring%20problem&mode=semantic');
    expect(sem.mode).toBe('semantic');
    expect(sem.items.slice(0, 5).map((d: { id: number }) => idOf.get(d.id))).toEqual(expect.arrayContaining(['d01', 'h12']));
    expect(sem.items[0].score).toBeGreaterThan(sem.items[sem.items.length - 1].score - 1e-9);
    const ft = await search('q=hamstring%20problem');
    expect(ft.mode).toBe('fulltext');
    expect(ft.total).toBe(0); // websearch syntax needs both words
  });

  it('filters apply to semantic hits', async () => {
    const q = 'q=injury%20ruled%20out%20suspended%20ban%20transfer%20move&mode=semantic&page_size=50';
    const all = await search(q);
    const injured = await search(`${q}&flag=injury`);
    expect(injured.items.length).toBeGreaterThan(0);
    expect(injured.items.length).toBeLessThan(all.items.length);
    for (const d of injured.items) expect(d.flags).toContain('injury');
    expect(injured.total).toBe(injured.items.length);
  });

  it('a document pushed after the fit is folded in and found; an old version is not returned', async () => {
    const payload = { title: 'Update', text: 'Another hamstring problem for the Chelsea defender, who faces weeks out.', url: 'https://news.example.test/hamstring-again', published_at: '2024-03-09T12:00:00Z' };
    const first = (await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload })).json().document_ids[0];
    const hits = (await search('q=hamstring%20problem&mode=semantic')).items.map((d: { id: number }) => d.id);
    expect(hits).toContain(first);
    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/documents', headers: admin.bearer, payload: { ...payload, text: `${payload.text} He had a scan on Monday.` } })).json().document_ids[0];
    const again = (await search('q=hamstring%20problem&mode=semantic&page_size=50')).items.map((d: { id: number }) => d.id);
    expect(again).toContain(second);
    expect(again).not.toContain(first);
  });

  it('falls back to full-text for a query with no word the model knows, and refuses an unknown mode', async () => {
    expect((await search('q=zzzxq&mode=semantic')).mode).toBe('fulltext');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/documents/search?q=x&mode=vector' })).statusCode).toBe(400);
  });

  it('recall@5 on the labelled queries: semantic at or above the recorded figure, and above full-text', async () => {
    const r = await searchQuality(t.database.db, idOf);
    expect(r.queries).toBeGreaterThanOrEqual(15);
    expect(r.semantic).toBeGreaterThanOrEqual(0.75);
    expect(r.semantic).toBeGreaterThan(r.fulltext);
  });
});

describe('without a model', () => {
  it('semantic mode answers with full-text and says so', async () => {
    const fresh = await createTestApp({ now: '2024-03-10T12:00:00Z' });
    try {
      const a = await signUpAdmin(fresh);
      await fresh.app.inject({ method: 'POST', url: '/api/v1/documents', headers: a.bearer, payload: { title: 'One', text: 'Arsenal beat Chelsea in a hamstring-free derby.' } });
      const res = (await fresh.app.inject({ method: 'GET', url: '/api/v1/documents/search?q=derby&mode=semantic' })).json();
      expect(res).toMatchObject({ mode: 'fulltext', total: 1 });
    } finally {
      await fresh.close();
    }
  });
});
