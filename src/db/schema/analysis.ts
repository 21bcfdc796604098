// Value-analysis runs (PRODUCT D, seed 004): one row per run with its request, status and
// progress; the opportunities it found (allowed and filtered, with their violations); and,
// per match, the joint scenarios of its candidate legs that the lineup optimiser combines.
// Everything is in PostgreSQL so any instance serves a run and a restart loses nothing.
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, boolean } from 'drizzle-orm/pg-core';
import { users } from './auth.js';
import { matches } from './matches.js';

export const ANALYSIS_STATUSES = ['queued', 'collecting_data', 'analyzing', 'completed', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

export const analysisRuns = pgTable(
  'analysis_runs',
  {
    id: text('id').primaryKey(),
    /** Who asked (the caller), and whose business rules apply (seed 004's user_id). */
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rulesUserId: text('rules_user_id'),
    status: text('status').$type<AnalysisStatus>().notNull(),
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    message: text('message'),
    error: text('error'),
    totalBets: integer('total_bets').notNull().default(0),
    analysedBets: integer('analysed_bets').notNull().default(0),
    currentSport: text('current_sport'),
    currentBookmaker: text('current_bookmaker'),
    rulesetVersion: text('ruleset_version'),
    rulesLastUpdated: timestamp('rules_last_updated', { withTimezone: true }),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('analysis_runs_user_idx').on(t.requestedBy, t.createdAt)],
);

export const analysisOpportunities = pgTable(
  'analysis_opportunities',
  {
    id: serial('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    betId: text('bet_id').notNull(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    sport: text('sport').notNull(),
    /** Rank by expected value among the run's opportunities (1 = best). */
    rank: integer('rank').notNull(),
    mlConfidence: doublePrecision('ml_confidence').notNull(),
    expectedValue: doublePrecision('expected_value').notNull(),
    allowed: boolean('allowed').notNull(),
    violations: jsonb('violations').$type<string[]>().notNull(),
    /** The BetOpportunity as served. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('analysis_opportunities_uq').on(t.runId, t.betId), index('analysis_opportunities_rank_idx').on(t.runId, t.rank)],
);

export const analysisGroups = pgTable(
  'analysis_groups',
  {
    runId: text('run_id')
      .notNull()
      .references(() => analysisRuns.id, { onDelete: 'cascade' }),
    matchKey: text('match_key').notNull(),
    sport: text('sport').notNull(),
    /** The group's bet ids, in the order of each scenario's returns. */
    betIds: jsonb('bet_ids').$type<string[]>().notNull(),
    /** [{p, returns[]}]: joint outcomes of the legs, merged by identical returns. */
    scenarios: jsonb('scenarios').$type<{ p: number; returns: number[] }[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.matchKey] })],
);
