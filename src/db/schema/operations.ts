// Operational records: what each import did, and the progress of background jobs.
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** One file imported (or refused) by one import run. */
export const importFiles = pgTable(
  'import_files',
  {
    id: serial('id').primaryKey(),
    format: text('format').notNull(),
    file: text('file').notNull(),
    /** sha256 of the file's bytes: the same content imported twice is recognised. */
    sha256: text('sha256').notNull(),
    status: text('status').notNull(), // imported | failed
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    rejectedRows: integer('rejected_rows').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('import_files_sha_idx').on(t.sha256, t.format)],
);

export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Progress of a background job as the API shows it (pg-boss keeps the queue itself). */
export const jobProgress = pgTable(
  'job_progress',
  {
    id: text('id').primaryKey(), // the pg-boss job id
    queue: text('queue').notNull(),
    state: text('state').$type<JobState>().notNull(),
    percent: integer('percent').notNull().default(0),
    stage: text('stage'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    message: text('message'),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_progress_queue_idx').on(t.queue, t.createdAt)],
);

/** Key/value settings the service keeps for itself (e.g. when demo data was seeded). */
export const appMeta = pgTable(
  'app_meta',
  {
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('app_meta_key_uq').on(t.key)],
);
