// Response and query schemas of the team routes.
import { Type } from '@sinclair/typebox';
import { IsoDate, PaginationQuery, versionField } from '../../platform/schemas.js';
import { CompetitionRef, MatchStatus, MatchSummary, NullableInt, NullableString, SeasonRef, Sort, SportQuery, TeamRef } from './schemas.js';

export const TeamSummary = Type.Composite([TeamRef, Type.Object({ sport: Type.String(), country: NullableString })], { title: 'Team' });

export const TeamDetail = Type.Composite(
  [
    TeamSummary,
    Type.Object({
      venue: Type.Union([
        Type.Object({ id: Type.Integer(), name: Type.String(), city: NullableString, country: NullableString, capacity: NullableInt }),
        Type.Null(),
      ]),
      aliases: Type.Array(Type.Object({ alias: Type.String(), source: Type.String({ description: "'*' = every source" }), origin: Type.String() })),
      competitions: Type.Array(CompetitionRef, { description: 'Competitions the team has matches in, most recent first' }),
      is_demo: Type.Boolean(),
      ...versionField,
    }),
  ],
  { title: 'TeamDetail' },
);

export const SquadPlayer = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    position: NullableString,
    shirt_number: NullableInt,
    nationality: NullableString,
    date_of_birth: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    injury_status: Type.String(),
  },
  { title: 'SquadPlayer' },
);

export const TeamListQuery = Type.Composite([
  PaginationQuery,
  SportQuery,
  Type.Object({
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code' })),
    season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id' })),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or of an alias; accents and case ignored' })),
  }),
]);

export const SquadQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 100, description: 'Items per page (1..200); default 100, a whole squad' }),
});

const Record_ = Type.Object({
  played: Type.Integer(),
  won: Type.Integer(),
  drawn: Type.Integer(),
  lost: Type.Integer(),
  goals_for: Type.Integer(),
  goals_against: Type.Integer(),
});

export const TeamStats = Type.Object(
  {
    team: TeamRef,
    season: Type.Union([SeasonRef, Type.Null()]),
    competition: Type.Union([CompetitionRef, Type.Null()]),
    played: Type.Integer(),
    won: Type.Integer(),
    drawn: Type.Integer(),
    lost: Type.Integer(),
    goals_for: Type.Integer(),
    goals_against: Type.Integer(),
    goal_difference: Type.Integer(),
    points: Type.Integer({ description: "With the competition's points for a win, draw and loss" }),
    win_pct: Type.Number({ description: '(won + drawn / 2) / played, 0-1' }),
    goals_for_per_match: Type.Number(),
    goals_against_per_match: Type.Number(),
    home: Record_,
    away: Record_,
    averages: Type.Record(Type.String(), Type.Number(), { description: 'Per-match averages of the recorded team statistics (shots, corners, ...)' }),
    matches_with_stats: Type.Integer(),
    available_seasons: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), competition: CompetitionRef, matches: Type.Integer() })),
    ...versionField,
  },
  { title: 'TeamSeasonStats', description: 'Final regular-season (non-playoff) matches of one season' },
);

export const TeamStatsQuery = Type.Object({
  season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name or id; default: the latest' })),
  competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code, when the team plays in several' })),
});

export const ScheduleQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    season: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    date_from: Type.Optional(IsoDate),
    date_to: Type.Optional(IsoDate),
    status: Type.Optional(MatchStatus),
    sort: Type.Optional(Sort),
  }),
]);

export const FormQuery = Type.Object({
  n: Type.Integer({ minimum: 1, maximum: 50, default: 5, description: 'How many results' }),
  competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
});

export const TeamForm = Type.Object(
  {
    team: TeamRef,
    form: Type.String({ description: 'W/D/L per result, oldest first (the last letter is the most recent)', examples: ['WWDLW'] }),
    points: Type.Integer({ description: 'Points from these results at 3/1/0' }),
    matches: Type.Array(
      Type.Object({
        result: Type.Union([Type.Literal('W'), Type.Literal('D'), Type.Literal('L')]),
        venue: Type.Union([Type.Literal('home'), Type.Literal('away')]),
        goals_for: Type.Integer(),
        goals_against: Type.Integer(),
        opponent: TeamRef,
        match: MatchSummary,
      }),
    ),
    ...versionField,
  },
  { title: 'TeamForm' },
);

export const FixturesQuery = Type.Composite([
  PaginationQuery,
  Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'Only the next N days (default: all)' })) }),
]);
