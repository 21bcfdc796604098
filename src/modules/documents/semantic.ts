// Semantic search over documents with the LSA model of lsa.ts (decision 0021): the model and
// every current document's concept vector are stored in PostgreSQL (bytea float32, the same
// on PGlite and a server — neither has pgvector here), and a query is scored against the
// vectors in process (one dot product per document). Each process keeps the vectors of the
// model in use in memory and reloads them when the stored set changes (a cheap count/max
// check per query), so several API processes stay correct.
//
// When the model is fitted: at the first ingest that leaves MIN_DOCUMENTS current documents,
// and again whenever the corpus has grown by half since the last fit (or on
// `sharpline documents reindex`). Between fits, new documents are folded in. Fallbacks: no
// model yet, or a query with no word the model knows, is answered by full-text search, and
// the response says which mode answered.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { queryRows, sql, type Db, type Executor } from '../../db/client.js';
import { documentLsaModels, documents, documentVectors } from '../../db/schema/index.js';
import { dot, fitLsa, foldIn, type LsaModel } from './lsa.js';
import { COLUMNS, searchDocuments, toRow, where, type DocumentFilters, type DocumentRow } from './repo.js';

/** Fewest current documents worth fitting a model on. */
export const MIN_DOCUMENTS = 3;
/** Refit once the corpus is this many times the size the model was fitted on. */
export const REFIT_GROWTH = 1.5;
/** Cosine below which a document is not a semantic hit. */
export const MIN_SCORE = 0.1;
const DIMS = 100;

const toBytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const toFloats = (b: unknown) => {
  const bytes = new Uint8Array(b as Uint8Array); // a copy: aligned, whatever the driver gave
  return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
};

interface StoredModel {
  id: number;
  documents: number;
  model: LsaModel;
}

/** The model in use, per database handle (one model at a time). */
const models = new WeakMap<object, StoredModel>();

async function latestModel(db: Executor): Promise<StoredModel | null> {
  const [head] = await db.select({ id: documentLsaModels.id }).from(documentLsaModels).orderBy(desc(documentLsaModels.id)).limit(1);
  if (!head) return null;
  const cached = models.get(db);
  if (cached?.id === head.id) return cached;
  const [r] = await db.select().from(documentLsaModels).where(eq(documentLsaModels.id, head.id));
  const stored = { id: r!.id, documents: r!.documents, model: { terms: r!.terms, idf: toFloats(r!.idf), projection: toFloats(r!.projection), dims: r!.dims } };
  models.set(db, stored);
  return stored;
}

async function insertVectors(db: Executor, modelId: number, rows: { id: number; vector: Float32Array }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insert(documentVectors)
      .values(chunk.map((r) => ({ documentId: r.id, modelId, vector: toBytes(r.vector) })))
      .onConflictDoNothing();
  }
}

export interface FitSummary {
  model_id: number;
  documents: number;
  terms: number;
  dims: number;
  fit_ms: number;
}

/** Fits a model on every current document, stores it and their vectors, drops older models. */
export async function fitSemanticIndex(db: Db): Promise<FitSummary | null> {
  const docs = await db.select({ id: documents.id, title: documents.title, body: documents.body }).from(documents).where(eq(documents.isCurrent, true)).orderBy(documents.id);
  if (docs.length < MIN_DOCUMENTS) return null;
  const started = performance.now();
  const texts = docs.map((d) => `${d.title}\n${d.body}`);
  const model = fitLsa(texts, { dims: DIMS });
  const vectors = texts.map((t) => foldIn(model, t));
  const fitMs = Math.round(performance.now() - started);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(documentLsaModels)
      .values({ documents: docs.length, dims: model.dims, terms: model.terms, idf: toBytes(model.idf), projection: toBytes(model.projection), fitMs })
      .returning({ id: documentLsaModels.id });
    await insertVectors(tx, row!.id, docs.map((d, i) => ({ id: d.id, vector: vectors[i]! })));
    await tx.execute(sql`delete from document_lsa_models where id < ${row!.id}`);
    return row!.id;
  });
  return { model_id: id, documents: docs.length, terms: model.terms.length, dims: model.dims, fit_ms: fitMs };
}

/** After an ingest: fit when due, else fold the new documents into the model in use. */
export async function indexDocuments(db: Db, ids: number[]): Promise<void> {
  const current = await latestModel(db);
  const [{ n }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from documents where is_current`)) as [{ n: number }];
  if (!current ? Number(n) >= MIN_DOCUMENTS : Number(n) >= current.documents * REFIT_GROWTH) {
    await fitSemanticIndex(db);
    return;
  }
  if (!current || ids.length === 0) return;
  const have = await db
    .select({ id: documentVectors.documentId })
    .from(documentVectors)
    .where(and(eq(documentVectors.modelId, current.id), inArray(documentVectors.documentId, ids)));
  const missing = ids.filter((id) => !have.some((h) => h.id === id));
  if (missing.length === 0) return;
  const docs = await db.select({ id: documents.id, title: documents.title, body: documents.body }).from(documents).where(inArray(documents.id, missing));
  await insertVectors(db, current.id, docs.map((d) => ({ id: d.id, vector: foldIn(current.model, `${d.title}\n${d.body}`) })));
}

interface VectorCache {
  modelId: number;
  stamp: string;
  ids: Int32Array;
  vectors: Float32Array;
  dims: number;
}
const vectorCaches = new WeakMap<object, VectorCache>();

async function vectorsOf(db: Executor, m: StoredModel): Promise<VectorCache> {
  const [s] = await queryRows<{ n: number; mx: number }>(
    db,
    sql`select count(*)::int as n, coalesce(max(v.document_id), 0)::int as mx from document_vectors v join documents d on d.id = v.document_id and d.is_current where v.model_id = ${m.id}`,
  );
  const stamp = `${m.id}:${s?.n}:${s?.mx}`;
  const cached = vectorCaches.get(db);
  if (cached && cached.stamp === stamp) return cached;
  const rows = await queryRows<{ document_id: number; vector: unknown }>(
    db,
    sql`select v.document_id, v.vector from document_vectors v join documents d on d.id = v.document_id and d.is_current where v.model_id = ${m.id} order by v.document_id`,
  );
  const dims = m.model.dims;
  const ids = new Int32Array(rows.length);
  const vectors = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => {
    ids[i] = Number(r.document_id);
    vectors.set(toFloats(r.vector).subarray(0, dims), i * dims);
  });
  const fresh = { modelId: m.id, stamp, ids, vectors, dims };
  vectorCaches.set(db, fresh);
  return fresh;
}

export type SearchHitRow = DocumentRow & { score: number; snippet: string };

/** Semantic search; `mode` says what answered ('fulltext' when there is no model or the query has no known word). */
export async function semanticSearch(db: Executor, q: string, f: DocumentFilters, page: number, pageSize: number): Promise<{ items: SearchHitRow[]; total: number; mode: 'semantic' | 'fulltext' }> {
  const m = await latestModel(db);
  const query = m ? foldIn(m.model, q) : null;
  if (!m || !query || query.every((x) => x === 0)) return { ...(await searchDocuments(db, q, f, page, pageSize)), mode: 'fulltext' };
  const cache = await vectorsOf(db, m);
  const filtered = Object.entries(f).some(([k, v]) => v !== undefined && k !== 'include_old_versions');
  const allowed = filtered ? new Set((await queryRows<{ id: number }>(db, sql`select d.id from documents d ${where({ ...f, include_old_versions: false })}`)).map((r) => Number(r.id))) : null;
  const hits: { id: number; score: number }[] = [];
  for (let i = 0; i < cache.ids.length; i++) {
    const id = cache.ids[i]!;
    if (allowed && !allowed.has(id)) continue;
    const score = dot(query, cache.vectors, i * cache.dims);
    if (score >= MIN_SCORE) hits.push({ id, score });
  }
  hits.sort((a, b) => b.score - a.score || b.id - a.id);
  const pageHits = hits.slice((page - 1) * pageSize, page * pageSize);
  if (pageHits.length === 0) return { items: [], total: hits.length, mode: 'semantic' };
  const words = [...new Set(q.toLowerCase().match(/\p{L}+/gu) ?? [])].slice(0, 30);
  const tsq = sql`websearch_to_tsquery('english'::regconfig, ${words.join(' or ') || 'none'})`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${COLUMNS}, ts_headline('english'::regconfig, d.body, ${tsq}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2') as snippet
        from documents d join document_sources s on s.id = d.source_id where d.id in (${sql.join(pageHits.map((h) => sql`${h.id}`), sql`, `)})`,
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const items = pageHits
    .filter((h) => byId.has(h.id))
    .map((h) => {
      const r = byId.get(h.id)!;
      return { ...toRow(r), score: Math.round(h.score * 1e6) / 1e6, snippet: String(r.snippet) };
    });
  return { items, total: hits.length, mode: 'semantic' };
}
