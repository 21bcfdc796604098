// Provider connectors (#13): the state of each data source, written by every sync run
// (CLI, scheduled job) and read by /api/v1/health/data-sources, so any process sees it.
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const dataSources = pgTable('data_sources', {
  /** football-data.org | api-football | the-odds-api */
  source: text('source').primaryKey(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  /** Last run that fetched everything it asked for. */
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  /** Failed runs in a row (0 after a success). */
  errorStreak: integer('error_streak').notNull().default(0),
  /** Requests left in the provider's long window, as its last response said. */
  quotaRemaining: integer('quota_remaining'),
  /** The last run's summary (counts, where it stopped). */
  lastOutcome: jsonb('last_outcome').$type<Record<string, unknown>>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
