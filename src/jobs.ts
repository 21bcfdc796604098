// Every queue the service knows, defined once; serve (in-process) and `sharpline worker`
// consume them, and any process may enqueue. Each feature module contributes its jobs.
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Cache } from './platform/cache/cache.js';
import type { Clock } from './platform/clock.js';
import type { JobEngine } from './platform/jobs.js';
import { registerImportJob } from './modules/ingest/job.js';
import { registerPredictionJobs } from './modules/predictions/job.js';
import { registerAnalysisJob } from './modules/analysis/job.js';
import { registerConnectorJobs } from './modules/connectors/job.js';
import { registerDocumentJobs } from './modules/documents/job.js';

export interface JobServices {
  database: Database;
  clock: Clock;
  config: Config;
  /** The response cache: importers call invalidateAfterImport(cache, change) after a commit. */
  cache?: Cache;
}

export function registerJobs(jobs: JobEngine, services: JobServices): void {
  registerImportJob(jobs, services);
  registerPredictionJobs(jobs, services);
  registerAnalysisJob(jobs, services);
  registerConnectorJobs(jobs, services);
  registerDocumentJobs(jobs, services);
}
