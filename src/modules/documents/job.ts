// The scheduled documents job (`documents.ingest`, CRON_DOCUMENTS, every 2 h by default; seed
// 002's ingest_documents): ingests each feed or page URL of DOCUMENT_FEEDS through the same
// service as `sharpline documents ingest` (idempotent by URL and content hash). With no feed
// configured it does nothing and says so in its result.
import type { JobServices } from '../../jobs.js';
import type { JobEngine } from '../../platform/jobs.js';
import { DocumentInputError } from './extract.js';
import { createDocumentsService } from './service.js';

export const DOCUMENTS_QUEUE = 'documents.ingest';

export function registerDocumentsJob(jobs: JobEngine, services: JobServices): void {
  const { documents: cron, documentFeeds } = services.config.schedules;
  jobs.define<Record<string, never>, Record<string, unknown>>({
    queue: DOCUMENTS_QUEUE,
    policy: 'stately',
    retryLimit: 0, // the next scheduled run is the retry
    expireInMinutes: 60,
    ...(cron ? { schedule: { cron, data: {} } } : {}),
    handler: async (ctx) => {
      if (documentFeeds.length === 0) return { status: 'skipped', reason: 'no DOCUMENT_FEEDS configured', feeds: [] };
      const service = createDocumentsService({ db: services.database.db, clock: services.clock });
      const feeds: { source: string; error: string | null }[] = [];
      for (const [i, url] of documentFeeds.entries()) {
        await ctx.progress({ percent: Math.round((100 * i) / documentFeeds.length), stage: url });
        // A feed that cannot be read is reported in its result (and the documents source health), not thrown.
        try {
          feeds.push(...(await service.ingestTarget(url)));
        } catch (err) {
          if (!(err instanceof DocumentInputError)) throw err;
          feeds.push({ source: url, error: `${err.reason}: ${err.message}` });
        }
      }
      const failed = feeds.filter((f) => f.error).length;
      return { status: failed === feeds.length ? 'failed' : 'completed', feeds, failed };
    },
  });
}
