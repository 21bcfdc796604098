// Request and response shapes of the player-prop endpoints (seed 001 §2–5, seed 000's
// player prediction routes). Props are named as seed 001 names them; only those the sport's
// model supports are served (soccer: goals, assists, cards).
import { Type, type Static } from '@sinclair/typebox';
import { DbId, versionField } from '../../platform/schemas.js';

export const Tier = Type.Union([Type.Literal('tier1'), Type.Literal('tier2'), Type.Literal('ensemble')], { description: 'tier1 independent posterior, tier2 match simulation, ensemble blend' });
export type Tier = Static<typeof Tier>;
export const PropName = Type.Union([Type.Literal('goals'), Type.Literal('assists'), Type.Literal('cards')]);
export type PropName = Static<typeof PropName>;
const Probability = Type.Number({ minimum: 0, maximum: 1 });

export const PlayerPredictionRequest = Type.Object(
  {
    player_id: DbId({ description: 'Database player id' }),
    match_id: DbId({ description: 'Database match id' }),
    tier: Type.Optional(Tier),
    return_uncertainty: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const PropPrediction = Type.Object({
  probability: Probability,
  confidence_interval: Type.Optional(Type.Tuple([Probability, Probability], { description: '90% credible interval from the rate posterior' })),
  uncertainty: Type.Optional(Type.Number({ minimum: 0, description: 'Posterior standard deviation of the probability' })),
  mc_error: Type.Optional(Type.Number({ minimum: 0, description: 'Monte Carlo standard error (tier2)' })),
  expected: Type.Optional(Type.Number({ minimum: 0, description: 'Expected count (tier1)' })),
  tier: Tier,
});
export type PropPredictionView = Static<typeof PropPrediction>;
const Predictions = Type.Record(Type.String(), PropPrediction);
const EnsembleWeightsField = Type.String({
  description: "tier ensemble only: the props-ensemble artifact whose walk-forward-learned weights blended tier1 and tier2, or 'default' (none trained: fixed 50/50 logit blend)",
});

export const PlayerPredictionBody = Type.Object({
  player_id: Type.Integer(),
  player_name: Type.String(),
  team: Type.String(),
  match_id: Type.Integer(),
  opponent: Type.String(),
  match_date: Type.String(),
  is_home: Type.Boolean(),
  expected_minutes: Type.Number(),
  predictions: Predictions,
  supported_props: Type.Array(Type.String()),
  model_version: Type.String(),
  ensemble_weights: Type.Optional(EnsembleWeightsField),
});
export type PlayerPredictionBody = Static<typeof PlayerPredictionBody>;

const Served = { cached: Type.Boolean(), inference_time_ms: Type.Integer({ minimum: 0 }), timestamp: Type.String({ format: 'date-time' }), ...versionField };
export const PlayerPredictionResponse = Type.Object({ ...PlayerPredictionBody.properties, ...Served }, { title: 'PlayerPropPrediction' });

export const MatchPropsRequest = Type.Object(
  {
    match_id: DbId(),
    tier: Type.Optional(Tier),
    min_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120, default: 0 })),
  },
  { additionalProperties: false },
);

export const MatchPlayerItem = Type.Object({
  player_id: Type.Integer(),
  player_name: Type.String(),
  team: Type.String(),
  is_home: Type.Boolean(),
  expected_minutes: Type.Number(),
  predictions: Type.Record(Type.String(), Type.Object({ probability: Probability })),
});
export const ExcludedPlayerItem = Type.Object(
  {
    player_id: Type.Integer(),
    player_name: Type.String(),
    team: Type.String(),
    injury_status: Type.String({ description: 'injured | suspended | unavailable' }),
    reason: Type.String({ description: 'Why he is left out, e.g. "injured: Knee Injury"' }),
  },
  { title: 'ExcludedPlayer' },
);
export const MatchPropsBody = Type.Object({
  match_id: Type.Integer(),
  home_team: Type.String(),
  away_team: Type.String(),
  match_date: Type.String(),
  predictions: Type.Array(MatchPlayerItem),
  excluded_players: Type.Array(ExcludedPlayerItem, { description: 'Squad players ruled out of the match (injury status), with the reason; they have no predictions' }),
  model_version: Type.String(),
  ensemble_weights: Type.Optional(EnsembleWeightsField),
});
export type MatchPropsBody = Static<typeof MatchPropsBody>;
export const MatchPropsResponse = Type.Object({ ...MatchPropsBody.properties, ...Served }, { title: 'MatchPropPredictions' });

export const LegInput = Type.Object(
  {
    match_id: Type.Optional(DbId({ description: 'Defaults to the parlay match; another match is a 422' })),
    player_id: Type.Optional(DbId()),
    prop: Type.Optional(PropName),
    market: Type.Optional(Type.String({ description: 'Match market: home_win, draw, away_win, home_scores, away_scores, btts, over, under' })),
    line: Type.Optional(Type.String({ maxLength: 20, description: 'Player props: over, under, over_0.5, under_0.5; totals: the goal line, e.g. 2.5' })),
  },
  { additionalProperties: false },
);
export type LegInput = Static<typeof LegInput>;

export const ParlayRequest = Type.Object(
  {
    match_id: DbId(),
    legs: Type.Array(LegInput, { minItems: 1, maxItems: 12 }),
    tier: Type.Optional(Type.Union([Type.Literal('tier1'), Type.Literal('tier2')])),
    include_correlation_matrix: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const LegView = Type.Object({
  player_id: Type.Union([Type.Integer(), Type.Null()]),
  player_name: Type.Union([Type.String(), Type.Null()]),
  prop: Type.String(),
  line: Type.String(),
  individual_probability: Probability,
});
export type LegView = Static<typeof LegView>;

export const ParlayResponse = Type.Object(
  {
    match_id: Type.Integer(),
    parlay: Type.Object({
      legs: Type.Array(LegView),
      joint_probability_tier1: Probability,
      joint_probability_tier2: Probability,
      mc_error_tier2: Type.Number({ minimum: 0 }),
      correlation_adjustment: Type.Number(),
      implied_odds_tier1: Type.Union([Type.Number(), Type.Null()]),
      implied_odds_tier2: Type.Union([Type.Number(), Type.Null()]),
      correlation_matrix: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()]),
    }),
    model_version: Type.String(),
    inference_time_ms: Type.Integer({ minimum: 0 }),
    timestamp: Type.String({ format: 'date-time' }),
    ...versionField,
  },
  { title: 'ParlayPrediction' },
);

export const RecommendRequest = Type.Object(
  {
    match_id: DbId(),
    bookmaker_odds: Type.Array(Type.Object({ legs: Type.Array(LegInput, { minItems: 1, maxItems: 12 }), odds: Type.Number({ exclusiveMinimum: 1, maximum: 100_000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
    min_edge: Type.Optional(Type.Number({ minimum: -1, maximum: 1, default: 0.05 })),
    max_legs: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, default: 3 })),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    kelly_fraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.25 })),
  },
  { additionalProperties: false },
);

export const Recommendation = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  parlay: Type.Object({
    legs: Type.Array(Type.Object({ player_id: Type.Union([Type.Integer(), Type.Null()]), player_name: Type.Union([Type.String(), Type.Null()]), prop: Type.String(), line: Type.String() })),
    model_probability: Probability,
    bookmaker_odds: Type.Number(),
    implied_probability: Probability,
    edge: Type.Number({ description: 'model probability − implied probability' }),
    edge_percent: Type.Number(),
    expected_value: Type.Number({ description: 'Expected profit per unit staked: p·odds − 1' }),
    kelly_stake_percent: Type.Number({ minimum: 0 }),
    recommended_stake_percent: Type.Number({ minimum: 0 }),
    confidence: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
  }),
});
export type Recommendation = Static<typeof Recommendation>;

export const RecommendResponse = Type.Object(
  {
    match_id: Type.Integer(),
    recommendations: Type.Array(Recommendation),
    total_parlays_analyzed: Type.Integer({ minimum: 0 }),
    positive_ev_count: Type.Integer({ minimum: 0 }),
    model_version: Type.String(),
    inference_time_ms: Type.Integer({ minimum: 0 }),
    timestamp: Type.String({ format: 'date-time' }),
    ...versionField,
  },
  { title: 'ParlayRecommendations' },
);

export const PlayerRouteQuery = Type.Object({
  match_id: Type.Optional(DbId({ description: "Defaults to the player's team's next match" })),
  tier: Type.Optional(Tier),
});
