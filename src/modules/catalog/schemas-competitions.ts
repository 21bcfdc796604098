// Response and query schemas of the competition (league) routes and of the standings.
import { Type } from '@sinclair/typebox';
import { PaginationQuery, versionField } from '../../platform/schemas.js';
import { CompetitionRef, NullableInt, NullableString, SeasonRef, SportQuery, TeamRef } from './schemas.js';

export const CompetitionSummary = Type.Composite(
  [CompetitionRef, Type.Object({ sport: Type.String(), kind: Type.String({ description: 'league | cup' }), is_demo: Type.Boolean() })],
  { title: 'Competition' },
);

export const SeasonInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  matches: Type.Integer(),
  finished: Type.Integer({ description: 'Matches with a final result' }),
  first_match_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  last_match_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});

const PointsRules = Type.Object({ win: Type.Integer(), draw: Type.Integer(), loss: Type.Integer() });

export const CompetitionDetail = Type.Composite(
  [
    CompetitionSummary,
    Type.Object({
      timezone: Type.String(),
      points_rules: PointsRules,
      tie_breaks: Type.Array(Type.String(), { description: 'Applied in order: points, goal_difference, goals_for, head_to_head, win_pct, wins' }),
      current_season: Type.Union([SeasonRef, Type.Null()]),
      seasons: Type.Array(SeasonInfo, { description: 'Newest first' }),
      ...versionField,
    }),
  ],
  { title: 'CompetitionDetail' },
);


export const CompetitionListQuery = Type.Composite([
  PaginationQuery,
  SportQuery,
  Type.Object({ country: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Country name, case-insensitive' })) }),
]);

export const StandingsRow = Type.Object(
  {
    position: Type.Integer({ minimum: 1 }),
    team: TeamRef,
    played: Type.Integer(),
    won: Type.Integer(),
    drawn: Type.Integer({ description: 'Draws (ties in the NFL)' }),
    lost: Type.Integer(),
    goals_for: Type.Integer({ description: 'Goals, or points/runs in other sports' }),
    goals_against: Type.Integer(),
    goal_difference: Type.Integer(),
    points: Type.Integer(),
    win_pct: Type.Number({ description: '(won + drawn / 2) / played, 0-1' }),
    games_behind: Type.Union([Type.Number(), Type.Null()], { description: 'Win-percentage tables only' }),
    form: Type.String({ description: 'Last five results, oldest first', examples: ['WDLWW'] }),
  },
  { title: 'StandingsRow' },
);

const tableFields = {
  competition: CompetitionRef,
  sport: Type.String(),
  season: Type.Union([SeasonRef, Type.Null()]),
  format: Type.Union([Type.Literal('points'), Type.Literal('win_pct')]),
  tie_breaks: Type.Array(Type.String()),
  points_rules: PointsRules,
  table: Type.Array(StandingsRow),
};

export const StandingsTable = Type.Object(tableFields, { title: 'StandingsTable' });
export const StandingsResponse = Type.Object({ ...tableFields, ...versionField }, { title: 'Standings' });

export const StandingsBySportQuery = Type.Composite([
  PaginationQuery,
  SportQuery,
  Type.Object({
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code' })),
    season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id (with competition); default: the latest' })),
  }),
]);

export const TopScorer = Type.Object(
  {
    position: Type.Integer({ minimum: 1 }),
    player: Type.Object({ id: Type.Integer(), name: Type.String(), position: NullableString }),
    team: Type.Union([TeamRef, Type.Null()], { description: "The team of the player's latest match in the season" }),
    goals: Type.Integer(),
    assists: NullableInt,
    minutes: NullableInt,
    appearances: Type.Integer(),
    minutes_per_goal: Type.Union([Type.Number(), Type.Null()]),
  },
  { title: 'TopScorer' },
);

export const SeasonPageQuery = Type.Composite([
  PaginationQuery,
  Type.Object({ season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id; default: the latest' })) }),
]);
