// Response and query schemas of the match routes (served at /matches and /games).
import { Type } from '@sinclair/typebox';
import { ODDS_MARKETS, ODDS_PHASES } from '../../db/schema/index.js';
import { PaginationQuery, versionField } from '../../platform/schemas.js';
import { MatchSummary, NullableInt, NullableString, SportQuery, TeamRef } from './schemas.js';

const ScorePair = Type.Object({ home: Type.Integer(), away: Type.Integer() });

export const MatchDetail = Type.Composite(
  [
    MatchSummary,
    Type.Object({
      half_time: Type.Union([ScorePair, Type.Null()], { description: 'Half-time score when the source gives it' }),
      period_scores: Type.Array(Type.Object({ period: Type.String(), home: Type.Integer(), away: Type.Integer() }), {
        description: 'Scores by period: h1 h2 | q1..q4 ot | et pens',
      }),
      venue_detail: Type.Union([
        Type.Object({ id: Type.Integer(), name: Type.String(), city: NullableString, country: NullableString, capacity: NullableInt }),
        Type.Null(),
      ]),
      referee: NullableString,
      attendance: NullableInt,
      sources: Type.Array(Type.Object({ source: Type.String(), source_ref: Type.String(), first_seen_at: Type.String({ format: 'date-time' }) })),
      updated_at: Type.String({ format: 'date-time' }),
      ...versionField,
    }),
  ],
  { title: 'MatchDetail' },
);

const StatValue = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);

export const PlayerGameStats = Type.Object(
  {
    player_id: Type.Integer(),
    player_name: Type.String(),
    team: Type.String(),
    team_id: Type.Integer(),
    position: NullableString,
    started: Type.Union([Type.Boolean(), Type.Null()]),
    minutes: NullableInt,
    stats: Type.Record(Type.String(), StatValue, { description: 'goals, assists, shots, cards, points, rebounds... (only what the source recorded)' }),
  },
  { title: 'PlayerGameStats' },
);

export const GameStats = Type.Object(
  {
    game_id: Type.Integer(),
    match_id: Type.Integer(),
    home_team: TeamRef,
    away_team: TeamRef,
    home_team_stats: Type.Record(Type.String(), Type.Number()),
    away_team_stats: Type.Record(Type.String(), Type.Number()),
    home_players: Type.Array(PlayerGameStats),
    away_players: Type.Array(PlayerGameStats),
    ...versionField,
  },
  { title: 'GameStatsResponse' },
);

export const OddsPrice = Type.Object({
  bookmaker: Type.String({ description: 'Bookmaker code (bet365, pinnacle, market_avg, ...)' }),
  bookmaker_name: Type.String(),
  bookmaker_kind: Type.String({ description: 'bookmaker | aggregate | exchange' }),
  selection: Type.String(),
  line: Type.Union([Type.Number(), Type.Null()], { description: 'Handicap (home side) or total; null for markets without a line' }),
  price: Type.Number({ description: 'Decimal odds' }),
  phase: Type.String({ description: 'opening | closing | live | snapshot' }),
  captured_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  source: Type.String(),
});

export const MatchOdds = Type.Object(
  {
    match_id: Type.Integer(),
    total: Type.Integer({ description: 'Number of prices across all markets' }),
    markets: Type.Array(Type.Object({ market: Type.String(), prices: Type.Array(OddsPrice) })),
    ...versionField,
  },
  { title: 'MatchOdds' },
);

export const OddsQuery = Type.Object({
  market: Type.Optional(Type.Union(ODDS_MARKETS.map((m) => Type.Literal(m)))),
  phase: Type.Optional(Type.Union(ODDS_PHASES.map((p) => Type.Literal(p)))),
  bookmaker: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
});

export const TodayQuery = Type.Composite([PaginationQuery, SportQuery]);

export const UpcomingQuery = Type.Composite([
  PaginationQuery,
  SportQuery,
  Type.Object({
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code' })),
    days: Type.Integer({ minimum: 1, maximum: 366, default: 7, description: 'How many days ahead, today included' }),
  }),
]);

