// Recall@5 of full-text vs semantic (LSA) search on the labelled query set; figures in
// docs/documents.md. On PGlite, or on PostgreSQL with TEST_DATABASE_URL.
//   npx tsx bench/documents-search-quality.ts [--queries]
import { fixedClock } from '../src/platform/clock.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { loadLabelledCorpus, searchQuality } from '../test/documents/search-quality.js';

const db = await createTestDatabase();
try {
  const idOf = await loadLabelledCorpus(db.database.db, fixedClock('2024-03-10T12:00:00Z'));
  const r = await searchQuality(db.database.db, idOf);
  process.stdout.write(`${r.queries} queries over ${r.documents} documents: recall@5 full-text ${r.fulltext.toFixed(3)}, semantic ${r.semantic.toFixed(3)} (${r.fallbacks} semantic requests fell back to full-text)\n`);
  if (process.argv.includes('--queries')) for (const p of r.perQuery) process.stdout.write(`  ${p.q.padEnd(34)} relevant ${p.relevant}  full-text ${p.fulltext.toFixed(2)}  semantic ${p.semantic.toFixed(2)}\n`);
} finally {
  await db.cleanup();
}
