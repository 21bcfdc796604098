// The 'import.files' job: the API enqueues it (POST /api/v1/imports), a worker runs the same
// importFiles the CLI runs, reporting progress (percent, files done, current file, counts)
// and dropping cached responses that showed data a committed file changed.
import type { JobServices } from '../../jobs.js';
import { afterDataCommitted } from '../../data-changes.js';
import type { JobEngine } from '../../platform/jobs.js';
import { importFiles } from './service.js';
import type { ImportFormat } from './types.js';

export const IMPORT_QUEUE = 'import.files';

export interface ImportJobData {
  format: ImportFormat;
  inputs: string[];
  force?: boolean;
}

export function registerImportJob(jobs: JobEngine, services: JobServices): void {
  const { cache } = services;
  jobs.define<ImportJobData, Record<string, unknown>>({
    queue: IMPORT_QUEUE,
    expireInMinutes: 180,
    handler: async (ctx) => {
      const summary = await importFiles(services.database, ctx.data.format, ctx.data.inputs, {
        clock: services.clock,
        force: ctx.data.force === true,
        onProgress: (p) =>
          ctx.progress({
            percent: p.percent,
            stage: p.stage,
            message: `file ${Math.min(p.filesDone + 1, p.files)} of ${p.files}: ${p.file}`,
            counts: { files_done: p.filesDone, files: p.files, ...p.counts },
          }),
        onCommitted: afterDataCommitted({
          database: services.database,
          clock: services.clock,
          cache,
          onError: (what, err) => void ctx.progress({ message: `warning: ${what} failed: ${err.message}` }),
        }),
      });
      return { ...summary };
    },
  });
}
