// Background job progress as the API shows it: state, percent, stage, counts, result.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import type { JobEngine, JobProgressRow } from '../../platform/jobs.js';
import { versionField } from '../../platform/schemas.js';

export const JobBody = Type.Object(
  {
    id: Type.String(),
    queue: Type.String(),
    state: Type.String({ enum: ['queued', 'running', 'completed', 'failed', 'cancelled'] }),
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
    stage: Type.Union([Type.String(), Type.Null()]),
    counts: Type.Record(Type.String(), Type.Number()),
    message: Type.Union([Type.String(), Type.Null()]),
    result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    ...versionField,
  },
  { title: 'Job' },
);

export function jobView(row: JobProgressRow) {
  return {
    id: row.id,
    queue: row.queue,
    state: row.state,
    percent: row.percent,
    stage: row.stage,
    counts: row.counts,
    message: row.message,
    result: row.result ?? null,
    error: row.error,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
    version: 'v1' as const,
  };
}

export async function jobRoutes(app: FastifyInstance, opts: { jobs: JobEngine }) {
  app.get(
    '/jobs/:id',
    {
      schema: {
        operationId: 'getJob',
        tags: ['jobs'],
        summary: 'Progress and result of a background job',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) }),
        response: { 200: JobBody, 400: { $ref: 'ErrorBody#' }, 404: { $ref: 'ErrorBody#' } },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const row = await opts.jobs.get(id);
      if (!row) throw new NotFoundError('job', id);
      return jobView(row);
    },
  );

  app.get(
    '/jobs',
    {
      schema: {
        operationId: 'listJobs',
        tags: ['jobs'],
        summary: 'Recent background jobs, newest first',
        querystring: Type.Object({
          queue: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(JobBody), ...versionField }), 400: { $ref: 'ErrorBody#' } },
      },
    },
    async (req) => {
      const q = req.query as { queue?: string; limit: number };
      const rows = await opts.jobs.list(q.limit, q.queue);
      return { items: rows.map(jobView), version: 'v1' as const };
    },
  );
}
