// Request and response schemas of the prediction routes. Probabilities are 0-1; spreads are
// home handicaps (negative: home favoured) in the sport's unit (goals or points).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ARTIFACT_KINDS, MODEL_KINDS } from '../../db/schema/index.js';
import { IsoDate, PaginationQuery, versionField } from '../../platform/schemas.js';
import { CompetitionRef, MatchSummary } from '../catalog/schemas.js';

const Prob = Type.Number({ minimum: 0, maximum: 1 });
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const ModelKind = Type.Union(
  MODEL_KINDS.map((k) => Type.Literal(k)),
  { description: MODEL_KINDS.join(' | ') },
);

/** A stored artifact's kind: a match model or a player model (props-ensemble). */
export const ArtifactKind = Type.Union(
  ARTIFACT_KINDS.map((k) => Type.Literal(k)),
  { description: ARTIFACT_KINDS.join(' | ') },
);

export const WinProbability = Type.Object(
  { home: Prob, draw: Prob, away: Prob },
  { title: 'WinProbability', description: 'Home win, draw (0 in sports without draws) and away win' },
);

export const ConfidenceTier = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')], {
  description: 'high: confidence > 0.7, medium: > 0.5, low: otherwise (seed 000)',
});

export const Outcome = Type.Object({ home_score: Type.Integer(), away_score: Type.Integer(), result: Type.Union([Type.Literal('home'), Type.Literal('draw'), Type.Literal('away')]) });

export const PredictionScores = Type.Object({
  log_loss: Type.Number(),
  brier: Type.Number(),
  rps: Type.Number(),
  correct: Type.Boolean(),
  spread_error: Type.Number(),
  total_error: Type.Number(),
});

const predictionFields = {
  game_id: Type.Integer(),
  match_id: Type.Integer(),
  win_probability: WinProbability,
  point_spread: Type.Number({ description: 'Home handicap that makes the match even (negative: home favoured)' }),
  total_points: Type.Number({ description: 'Expected total points (goals in soccer)' }),
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Probability of the most likely outcome' }),
  confidence_tier: ConfidenceTier,
  model: ModelKind,
  model_version: Type.String(),
  as_of: Type.String({ format: 'date-time', description: 'The instant the prediction was made for (the clock, or the operator\'s as-of instant in a replay); only data before it was used' }),
  created_at: Type.String({ format: 'date-time', description: 'When the row was written (real time)' }),
  kickoff: DateTime,
  settled_at: Nullable(DateTime),
  outcome: Nullable(Outcome),
  correct: Nullable(Type.Boolean()),
};

export const GamePrediction = Type.Object({ ...predictionFields, ...versionField }, { title: 'GamePrediction' });
export type GamePrediction = Static<typeof GamePrediction>;

export const PredictionItem = Type.Object({ ...predictionFields, match: MatchSummary }, { title: 'PredictionItem' });
export type PredictionItem = Static<typeof PredictionItem>;

const Settlement = Type.Object({
  win: Prob,
  half_win: Prob,
  push: Prob,
  half_loss: Prob,
  loss: Prob,
  fair_price: Nullable(Type.Number({ description: 'Decimal price with zero expected profit' })),
});
const TwoWay = Type.Object({ home: Settlement, away: Settlement });

export const Markets = Type.Object(
  {
    '1x2': Type.Optional(WinProbability),
    double_chance: Type.Optional(Type.Object({ home_or_draw: Prob, home_or_away: Prob, draw_or_away: Prob })),
    draw_no_bet: Type.Optional(TwoWay),
    btts: Type.Optional(Type.Object({ yes: Prob, no: Prob })),
    expected_goals: Type.Optional(Type.Object({ home: Type.Number(), away: Type.Number(), total: Type.Number() })),
    over_under: Type.Optional(Type.Array(Type.Object({ line: Type.Number(), over: Settlement, under: Settlement }))),
    asian_handicap: Type.Optional(Type.Array(Type.Object({ home_line: Type.Number(), home: Settlement, away: Settlement }))),
    correct_score: Type.Optional(Type.Array(Type.Object({ home: Type.Integer(), away: Type.Integer(), probability: Prob }))),
    moneyline: Type.Optional(Type.Object({ home: Prob, away: Prob })),
    expected_score: Type.Optional(Type.Object({ home: Type.Number(), away: Type.Number() })),
    spread: Type.Optional(Type.Object({ home_line: Type.Number(), line_source: Type.String(), margin_sd: Type.Number(), home: Settlement, away: Settlement })),
    total: Type.Optional(Type.Object({ line: Type.Number(), line_source: Type.String(), total_sd: Type.Number(), over: Settlement, under: Settlement })),
    ratings: Type.Optional(Type.Object({ home: Type.Number(), away: Type.Number(), difference: Type.Number() })),
    blend: Type.Optional(
      Type.Object({
        weights: Type.Record(Type.String(), Type.Number()),
        market: Type.Object({ bookmaker: Type.String(), phase: Type.String(), method: Type.String(), overround: Nullable(Type.Number()), probabilities: WinProbability }),
      }),
    ),
  },
  { title: 'PredictionMarkets' },
);

export const MARKET_KEYS = [
  '1x2',
  'double_chance',
  'draw_no_bet',
  'btts',
  'expected_goals',
  'over_under',
  'asian_handicap',
  'correct_score',
  'moneyline',
  'expected_score',
  'spread',
  'total',
] as const;

export const ModelLine = Type.Object({
  model: ModelKind,
  model_version: Type.String(),
  win_probability: WinProbability,
  point_spread: Type.Number(),
  total_points: Type.Number(),
  as_of: Type.String({ format: 'date-time', description: 'The instant the prediction was made for (the clock, or the operator\'s as-of instant in a replay); only data before it was used' }),
  created_at: Type.String({ format: 'date-time', description: 'When the row was written (real time)' }),
});

export const MatchPrediction = Type.Object(
  {
    ...predictionFields,
    match: MatchSummary,
    markets: Markets,
    models: Type.Array(ModelLine, { description: 'Every model that predicted the match' }),
    scores: Nullable(PredictionScores),
    ...versionField,
  },
  { title: 'MatchPrediction' },
);

export const MatchPredictionQuery = Type.Object({
  markets: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated subset of ${MARKET_KEYS.join(', ')} (default: all)` })),
  model: Type.Optional(ModelKind),
});

const sportFilter = Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Sport code or league alias (NBA, NFL)' }));

export const TodayQuery = Type.Composite([
  PaginationQuery,
  Type.Object({ sport: sportFilter, min_confidence: Type.Number({ minimum: 0, maximum: 1, default: 0 }) }),
]);

export const UpcomingQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    sport: sportFilter,
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code' })),
    days: Type.Integer({ minimum: 1, maximum: 366, default: 7 }),
    min_confidence: Type.Number({ minimum: 0, maximum: 1, default: 0 }),
  }),
]);

export const LeagueQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    when: Type.Union([Type.Literal('upcoming'), Type.Literal('settled'), Type.Literal('all')], { default: 'upcoming' }),
  }),
]);

export const HistoryQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    sport: sportFilter,
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    team: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    date_from: Type.Optional(IsoDate),
    date_to: Type.Optional(IsoDate),
    model: Type.Optional(ModelKind),
  }),
]);

export const PeriodQuery = Type.Object({
  sport: sportFilter,
  days: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  model: Type.Optional(ModelKind),
});

export const AccuracyResponse = Type.Object(
  {
    total_predictions: Type.Integer(),
    correct_predictions: Type.Integer(),
    accuracy: Prob,
    by_sport: Type.Record(Type.String(), Prob),
    by_confidence_tier: Type.Object({ high: Prob, medium: Prob, low: Prob }),
    by_confidence_tier_count: Type.Object({ high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() }),
    point_spread_mae: Type.Number(),
    log_loss: Nullable(Type.Number()),
    brier: Nullable(Type.Number()),
    rps: Nullable(Type.Number()),
    period_start: DateTime,
    period_end: DateTime,
    ...versionField,
  },
  { title: 'PredictionAccuracy' },
);

const ModelPerformanceItem = Type.Object({
  model: ModelKind,
  settled_predictions: Type.Integer(),
  accuracy: Nullable(Prob),
  log_loss: Nullable(Type.Number()),
  brier: Nullable(Type.Number()),
  rps: Nullable(Type.Number()),
  point_spread_mae: Nullable(Type.Number()),
  total_points_mae: Nullable(Type.Number()),
  calibration_error: Type.Object({ home: Nullable(Type.Number()), draw: Nullable(Type.Number()), away: Nullable(Type.Number()) }, { description: 'Expected calibration error per outcome, 10 bins' }),
  current_versions: Type.Array(Type.String()),
});

export const ModelPerformance = Type.Object(
  { items: Type.Array(ModelPerformanceItem), period_start: DateTime, period_end: DateTime, ...versionField },
  { title: 'ModelPerformance' },
);

export const AnalyticsQuery = Type.Object({
  sport: sportFilter,
  competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  days: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
});

export const LeagueAccuracy = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        competition: CompetitionRef,
        sport: Type.String(),
        total_predictions: Type.Integer(),
        correct_predictions: Type.Integer(),
        accuracy: Prob,
        log_loss: Type.Number(),
        rps: Type.Number(),
        point_spread_mae: Type.Number(),
      }),
    ),
    period_start: DateTime,
    period_end: DateTime,
    ...versionField,
  },
  { title: 'PredictionAccuracyByLeague' },
);
