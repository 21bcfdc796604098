// POST /api/v1/imports: validate the inputs (a known format; each input an existing path or
// an http(s) URL) and enqueue an 'import.files' job; its progress is at /api/v1/jobs/{id}.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { securedRoute } from '../../platform/auth/identity.js';
import { ServiceUnavailableError, ValidationError } from '../../platform/errors.js';
import type { JobEngine } from '../../platform/jobs.js';
import { versionField } from '../../platform/schemas.js';
import { IMPORT_QUEUE, type ImportJobData } from './job.js';
import { isUrl } from './source.js';
import { IMPORT_FORMATS } from './types.js';

const ImportRequest = Type.Object(
  {
    format: Type.Union(
      IMPORT_FORMATS.map((f) => Type.Literal(f)),
      { description: `One of ${IMPORT_FORMATS.join(', ')}` },
    ),
    inputs: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
      minItems: 1,
      maxItems: 200,
      description: 'Files or folders on the server, or http(s) URLs',
    }),
    force: Type.Optional(Type.Boolean({ description: 'Import again files whose bytes were imported before', default: false })),
  },
  { additionalProperties: false },
);
type ImportRequest = Static<typeof ImportRequest>;

const ImportAccepted = Type.Object(
  { job_id: Type.String(), status_url: Type.String({ description: 'GET it for progress and the import summary' }), ...versionField },
  { title: 'ImportAccepted' },
);

/** Absolute paths (the worker may run elsewhere in the tree) and URLs as given; 400 naming the bad input. */
export async function checkInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, input] of inputs.entries()) {
    if (isUrl(input)) {
      out.push(input);
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw new ValidationError(`input ${input} is not an http(s) URL`, `inputs.${i}`, input);
    const path = resolve(input);
    const exists = await stat(path).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return false;
        throw err;
      },
    );
    if (!exists) throw new ValidationError(`input ${input} does not exist`, `inputs.${i}`, input);
    out.push(path);
  }
  return out;
}

export async function ingestRoutes(app: FastifyInstance, opts: { jobs: JobEngine }) {
  app.post(
    '/imports',
    {
      // Imports read server paths and fetch URLs: admins only.
      onRequest: app.requireAdmin,
      schema: {
        ...securedRoute,
        operationId: 'createImport',
        tags: ['imports'],
        summary: 'Import files, folders or URLs of a format as a background job',
        body: ImportRequest,
        response: { 202: ImportAccepted, 400: { $ref: 'ErrorBody#' }, 401: { $ref: 'ErrorBody#' }, 403: { $ref: 'ErrorBody#' }, 503: { $ref: 'ErrorBody#' } },
      },
    },
    async (req, reply) => {
      const body = req.body as ImportRequest;
      const data: ImportJobData = { format: body.format, inputs: await checkInputs(body.inputs), force: body.force === true };
      if (!opts.jobs.started) throw new ServiceUnavailableError('The job queue is not running; run `sharpline worker` or `sharpline serve`');
      const id = await opts.jobs.enqueue(IMPORT_QUEUE, data);
      return reply.code(202).send({ job_id: id, status_url: `/api/v1/jobs/${id}`, version: 'v1' as const });
    },
  );
}
