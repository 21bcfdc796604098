// Background job progress as the API shows it: state, percent, stage, counts, result; and
// the list's upcoming scheduled runs.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import type { JobEngine, JobProgressRow } from '../../platform/jobs.js';
import { versionField } from '../../platform/schemas.js';
import type { Clock } from '../../platform/clock.js';
import { upcomingRuns } from './schedules.js';

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

export const ScheduledRun = Type.Object(
  {
    queue: Type.String(),
    cron: Type.String({ description: 'Cron expression, UTC' }),
    next_run: Type.String({ format: 'date-time', description: 'The next run after now' }),
  },
  { title: 'ScheduledRun' },
);

export async function jobRoutes(app: FastifyInstance, opts: { jobs: JobEngine; clock: Clock }) {
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
        summary: 'Recent background jobs, newest first, and the upcoming run of every scheduled job',
        querystring: Type.Object({
          queue: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(JobBody),
            scheduled: Type.Array(ScheduledRun, { description: 'Every queue with a cron schedule (only `queue` when given), with its next run; past runs are in items' }),
            ...versionField,
          }),
          400: { $ref: 'ErrorBody#' },
        },
      },
    },
    async (req) => {
      const q = req.query as { queue?: string; limit: number };
      const rows = await opts.jobs.list(q.limit, q.queue);
      const scheduled = upcomingRuns(opts.jobs, opts.clock.now()).filter((s) => q.queue === undefined || s.queue === q.queue);
      return { items: rows.map(jobView), scheduled, version: 'v1' as const };
    },
  );
}
