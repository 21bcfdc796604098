// The scheduled news ingest (seed 002's ingest_documents; CRON_DOCUMENTS, every 2 hours by
// default): one queue, `documents.ingest`, that fetches every DOCUMENT_FEEDS URL through the
// same service as `sharpline documents ingest <url>`. With no feed configured it runs and
// reports it has nothing to do. A failing feed does not stop the others; its error is
// recorded in the source's health (GET /api/v1/documents/sources) as for a manual ingest,
// and the job fails only when every feed failed. Policy 'stately': two workers never ingest
// at once.
import type { JobServices } from '../../jobs.js';
import type { JobEngine } from '../../platform/jobs.js';
import { createDocumentsService } from './service.js';

export const DOCUMENTS_INGEST_QUEUE = 'documents.ingest';

export interface DocumentsIngestSummary {
  status: 'completed';
  feeds: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: { source: string; error: string }[];
}

export function registerDocumentJobs(jobs: JobEngine, services: JobServices): void {
  const { feeds, ingestCron } = services.config.documents;
  jobs.define<Record<string, never>, Record<string, unknown>>({
    queue: DOCUMENTS_INGEST_QUEUE,
    policy: 'stately',
    retryLimit: 0, // the next scheduled run is the retry
    expireInMinutes: 30,
    ...(ingestCron ? { schedule: { cron: ingestCron, data: {} } } : {}),
    handler: async (ctx) => {
      if (feeds.length === 0) return { status: 'skipped', reason: 'no DOCUMENT_FEEDS configured', feeds: 0 };
      const service = createDocumentsService({ db: services.database.db, clock: services.clock });
      const summary: DocumentsIngestSummary = { status: 'completed', feeds: feeds.length, inserted: 0, updated: 0, unchanged: 0, failed: [] };
      for (const [i, url] of feeds.entries()) {
        for (const r of await service.ingestTarget(url)) {
          summary.inserted += r.inserted;
          summary.updated += r.updated;
          summary.unchanged += r.unchanged;
          if (r.error) summary.failed.push({ source: r.source, error: r.error });
        }
        await ctx.progress({ percent: Math.round(((i + 1) / feeds.length) * 100), stage: 'ingesting', counts: { feeds: i + 1, inserted: summary.inserted } });
      }
      if (summary.failed.length === feeds.length) throw new Error(`every feed failed: ${summary.failed.map((f) => `${f.source}: ${f.error}`).join('; ')}`);
      return { ...summary };
    },
  });
}
