// Response and query schemas of the player routes.
import { Type } from '@sinclair/typebox';
import { PaginationQuery, versionField } from '../../platform/schemas.js';
import { CompetitionRef, MatchStatus, NullableInt, NullableString, SeasonRef, SportQuery, TeamRef } from './schemas.js';

export const PlayerSummary = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    position: NullableString,
    sport: Type.String(),
    team: Type.Union([TeamRef, Type.Null()], { description: 'Current team' }),
    shirt_number: NullableInt,
    nationality: NullableString,
    injury_status: Type.String({ description: 'available | doubtful | injured | suspended | unavailable' }),
  },
  { title: 'Player' },
);

export const PlayerDetail = Type.Composite(
  [
    PlayerSummary,
    Type.Object({
      first_name: NullableString,
      last_name: NullableString,
      date_of_birth: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      injury_note: NullableString,
      spells: Type.Array(
        Type.Object({
          team: TeamRef,
          season: Type.Union([SeasonRef, Type.Null()]),
          from_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
          to_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
          current: Type.Boolean({ description: 'An open spell (no end date)' }),
        }),
        { description: 'Team history, current spell first' },
      ),
      is_demo: Type.Boolean(),
      ...versionField,
    }),
  ],
  { title: 'PlayerDetail' },
);

export const PlayerListQuery = Type.Composite([
  PaginationQuery,
  SportQuery,
  Type.Object({
    team: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Current team id' })),
    position: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'GK DEF MID FWD (soccer), G F C (basketball), QB ... (NFL)' })),
  }),
]);

export const PlayerSearchQuery = Type.Composite([
  PlayerListQuery,
  Type.Object({
    q: Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name; case and accents ignored ("ozil" finds "Mesut Özil")' }),
  }),
]);

const StatTotals = {
  goals: NullableInt,
  assists: NullableInt,
  shots: NullableInt,
  shots_on_target: NullableInt,
  yellow_cards: NullableInt,
  red_cards: NullableInt,
  own_goals: NullableInt,
  saves: NullableInt,
  points: NullableInt,
  rebounds: NullableInt,
};

const Rates = Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]));

export const PlayerStats = Type.Object(
  {
    player: Type.Object({ id: Type.Integer(), name: Type.String(), position: NullableString }),
    season: Type.Union([Type.String(), Type.Null()], { description: 'Season name; totals cover every competition of that season' }),
    competitions: Type.Array(CompetitionRef),
    appearances: Type.Integer({ description: 'Matches with minutes > 0 (or unknown minutes)' }),
    starts: Type.Integer(),
    minutes: NullableInt,
    ...StatTotals,
    per_90: Rates,
    per_game: Rates,
    available_seasons: Type.Array(Type.String(), { description: 'Seasons with statistics, most recent first' }),
    ...versionField,
  },
  { title: 'PlayerSeasonStats', description: 'A null total means the source does not record that statistic' },
);

export const PlayerStatsQuery = Type.Object({
  season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id; default: the latest with statistics' })),
});

export const GameLogRow = Type.Object(
  {
    match_id: Type.Integer(),
    match_date: Type.String({ format: 'date' }),
    kickoff_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    status: MatchStatus,
    competition: CompetitionRef,
    season: SeasonRef,
    team_id: Type.Integer(),
    opponent: TeamRef,
    home_away: Type.Union([Type.Literal('home'), Type.Literal('away')]),
    team_score: NullableInt,
    opponent_score: NullableInt,
    result: Type.Union([Type.Literal('W'), Type.Literal('D'), Type.Literal('L'), Type.Null()]),
    started: Type.Union([Type.Boolean(), Type.Null()]),
    minutes: NullableInt,
    ...StatTotals,
    extra: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()])),
  },
  { title: 'GameLogRow' },
);

export const GameLogQuery = Type.Composite([
  PaginationQuery,
  Type.Object({ season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id' })) }),
]);
