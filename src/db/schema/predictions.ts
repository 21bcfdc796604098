// The model registry and the predictions it made. A model artifact is one fitted model
// (kind + scope + training window) with its parameters, fit diagnostics and backtest
// metrics; a prediction is what one artifact said about one match before it started, kept
// as it was (never rewritten after kick-off) and settled against the result later.
import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { competitions, sports } from './catalog.js';
import { matches } from './matches.js';

export const MODEL_KINDS = ['elo', 'dixon-coles', 'bivariate-poisson', 'margin', 'ensemble'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** Player-prop models stored in the same registry (the props ensemble's learned blend weights). */
export const PLAYER_MODEL_KINDS = ['props-ensemble'] as const;
export type PlayerModelKind = (typeof PLAYER_MODEL_KINDS)[number];
/** Every kind an artifact can have: the match models and the player models. */
export const ARTIFACT_KINDS = [...MODEL_KINDS, ...PLAYER_MODEL_KINDS] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Why an artifact was trained: by an operator, on a schedule, after an import, or on demand for one match date. */
export type TrainingTrigger = 'cli' | 'schedule' | 'import' | 'api' | 'on-demand';

export const modelArtifacts = pgTable(
  'model_artifacts',
  {
    id: serial('id').primaryKey(),
    /** kind@competition-code@window-end@sequence: unique and readable in a prediction. */
    version: text('version').notNull(),
    kind: text('kind').$type<ArtifactKind>().notNull(),
    sportId: integer('sport_id')
      .notNull()
      .references(() => sports.id),
    /** The competition whose results trained it (every model is fitted per competition). */
    competitionId: integer('competition_id')
      .notNull()
      .references(() => competitions.id),
    /** Dates of the first and last result used; null when it saw none. */
    windowFrom: date('window_from'),
    windowTo: date('window_to'),
    /** Only results dated strictly before this date were eligible (the look-ahead boundary). */
    dataCutoff: date('data_cutoff').notNull(),
    matchCount: integer('match_count').notNull(),
    teamCount: integer('team_count').notNull(),
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
    diagnostics: jsonb('diagnostics').$type<Record<string, unknown>>().notNull(),
    /** Out-of-sample backtest over the last season before the cutoff; {} when there was none. */
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    trigger: text('trigger').$type<TrainingTrigger>().notNull(),
    fitMs: integer('fit_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('model_artifacts_version_uq').on(t.version),
    index('model_artifacts_scope_idx').on(t.competitionId, t.kind, t.dataCutoff),
    index('model_artifacts_created_idx').on(t.createdAt),
  ],
);

/** A settled prediction's result and scores. */
export interface PredictionOutcome {
  home_score: number;
  away_score: number;
  result: 'home' | 'draw' | 'away';
}

export interface PredictionMetrics {
  log_loss: number;
  brier: number;
  rps: number;
  correct: boolean;
  /** |predicted margin − actual margin| in points or goals. */
  spread_error: number;
  total_error: number;
}

export const predictions = pgTable(
  'predictions',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<ModelKind>().notNull(),
    modelVersion: text('model_version').notNull(),
    artifactId: integer('artifact_id').references(() => modelArtifacts.id, { onDelete: 'set null' }),
    /** The headline prediction for the match (ensemble, else the sport's main model, else Elo). */
    isPrimary: boolean('is_primary').notNull().default(false),
    probHome: doublePrecision('prob_home').notNull(),
    probDraw: doublePrecision('prob_draw').notNull(),
    probAway: doublePrecision('prob_away').notNull(),
    /** Home handicap that makes the game even: negative when home is favoured (points or goals). */
    pointSpread: doublePrecision('point_spread').notNull(),
    totalPoints: doublePrecision('total_points').notNull(),
    /** Probability of the most likely outcome (0-1). */
    confidence: doublePrecision('confidence').notNull(),
    markets: jsonb('markets').$type<Record<string, unknown>>().notNull(),
    /** The match's start as known when predicting; the row is frozen from then on. */
    kickoff: timestamp('kickoff', { withTimezone: true }).notNull(),
    matchDate: date('match_date').notNull(),
    /**
     * The instant the prediction was made for: the clock's "now" when generating (the as-of
     * instant in a replay). Only data known before it went in.
     */
    asOf: timestamp('as_of', { withTimezone: true }).notNull().defaultNow(),
    /** When the row was written, by the real clock (differs from as_of in a replay). */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    outcome: jsonb('outcome').$type<PredictionOutcome>(),
    metrics: jsonb('metrics').$type<PredictionMetrics>(),
    correct: boolean('correct'),
  },
  (t) => [
    uniqueIndex('predictions_match_kind_uq').on(t.matchId, t.kind),
    index('predictions_kickoff_idx').on(t.isPrimary, t.kickoff),
    index('predictions_settled_idx').on(t.settledAt),
  ],
);
