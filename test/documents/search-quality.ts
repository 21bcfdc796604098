// Recall@5 of full-text and semantic search on the labelled query set
// (test/fixtures/news-queries/queries.json) over the 52 labelled sentences, each ingested as
// one document. recall@5 of a query = relevant documents in the top 5 / relevant documents
// (all queries have at most 6, so 1.0 is reachable except where 6 are relevant). Used by
// semantic.test.ts and `npx tsx bench/documents-search-quality.ts`.
import { readFileSync } from 'node:fs';
import type { Db } from '../../src/db/client.js';
import { searchDocuments } from '../../src/modules/documents/repo.js';
import { fitSemanticIndex, semanticSearch } from '../../src/modules/documents/semantic.js';
import { createDocumentsService } from '../../src/modules/documents/service.js';
import type { Clock } from '../../src/platform/clock.js';
import { createFactories } from '../helpers/factories.js';
import { loadSet } from './quality.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

export interface SearchQuality {
  queries: number;
  documents: number;
  fulltext: number;
  semantic: number;
  /** Semantic requests answered by the full-text fallback. */
  fallbacks: number;
  perQuery: { q: string; relevant: number; fulltext: number; semantic: number }[];
}

export async function loadLabelledCorpus(db: Db, clock: Clock): Promise<Map<number, string>> {
  const catalog = JSON.parse(readFileSync(`${FIXTURES}news-sentences/catalog.json`, 'utf8')) as { teams: { name: string; aliases: string[] }[]; players: { name: string; last_name: string; team: string }[] };
  const f = createFactories(db);
  const teamIds = new Map<string, number>();
  for (const t of catalog.teams) {
    const row = await f.team({ name: t.name });
    teamIds.set(t.name, row.id);
    for (const a of t.aliases) await f.teamAlias(row.id, a);
  }
  for (const p of catalog.players) await f.player({ name: p.name, lastName: p.last_name, currentTeamId: teamIds.get(p.team)! });
  const service = createDocumentsService({ db, clock });
  const idOf = new Map<number, string>();
  for (const s of [...loadSet('dev'), ...loadSet('heldout')]) {
    const r = await service.ingestPushed('labelled', { url: `https://labelled.example.test/${s.id}`, title: s.id, body: s.text, published_at: '2024-03-01T12:00:00Z' });
    if (r.error) throw new Error(`${s.id}: ${r.error}`);
    idOf.set(r.document_ids[0]!, s.id);
  }
  await fitSemanticIndex(db);
  return idOf;
}

export async function searchQuality(db: Db, idOf: Map<number, string>): Promise<SearchQuality> {
  const { queries } = JSON.parse(readFileSync(`${FIXTURES}news-queries/queries.json`, 'utf8')) as { queries: { q: string; relevant: string[] }[] };
  const perQuery: SearchQuality['perQuery'] = [];
  let fallbacks = 0;
  for (const { q, relevant } of queries) {
    const recall = (ids: number[]) => ids.filter((id) => relevant.includes(idOf.get(id) ?? '')).length / relevant.length;
    const ft = await searchDocuments(db, q, {}, 1, 5);
    const sem = await semanticSearch(db, q, {}, 1, 5);
    if (sem.mode !== 'semantic') fallbacks += 1;
    perQuery.push({ q, relevant: relevant.length, fulltext: recall(ft.items.map((i) => i.id)), semantic: recall(sem.items.map((i) => i.id)) });
  }
  const mean = (k: 'fulltext' | 'semantic') => Math.round((perQuery.reduce((a, p) => a + p[k], 0) / perQuery.length) * 1000) / 1000;
  return { queries: perQuery.length, documents: idOf.size, fulltext: mean('fulltext'), semantic: mean('semantic'), fallbacks, perQuery };
}
