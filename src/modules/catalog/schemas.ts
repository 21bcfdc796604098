// Schemas shared by the catalogue routes: the small reference objects (team, competition,
// season) embedded in bigger ones, the match object, and the common query filters.
import { Type, type Static } from '@sinclair/typebox';
import { MATCH_STATUSES } from '../../db/schema/index.js';
import { IsoDate, PaginationQuery } from '../../platform/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(s: T) => Type.Union([s, Type.Null()]);
export const NullableString = Nullable(Type.String());
export const NullableInt = Nullable(Type.Integer());

export const TeamRef = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    short_name: NullableString,
    abbreviation: NullableString,
    city: NullableString,
    logo_url: NullableString,
  },
  { title: 'TeamRef' },
);
export type TeamRef = Static<typeof TeamRef>;

export const CompetitionRef = Type.Object(
  { id: Type.Integer(), code: Type.String(), name: Type.String(), country: NullableString },
  { title: 'CompetitionRef' },
);
export type CompetitionRef = Static<typeof CompetitionRef>;

export const SeasonRef = Type.Object({ id: Type.Integer(), name: Type.String() }, { title: 'SeasonRef' });
export type SeasonRef = Static<typeof SeasonRef>;

export const MatchStatus = Type.Union(
  MATCH_STATUSES.map((s) => Type.Literal(s)),
  { description: MATCH_STATUSES.join(' | ') },
);

export const MatchSummary = Type.Object(
  {
    id: Type.Integer(),
    sport: Type.String({ description: 'Sport code: soccer, basketball, american_football, ...' }),
    competition: CompetitionRef,
    season: SeasonRef,
    season_id: Type.Integer(),
    home_team: TeamRef,
    away_team: TeamRef,
    match_date: Type.String({ format: 'date', description: "Local calendar date in the competition's time zone" }),
    kickoff_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    game_date: Type.String({ format: 'date-time', description: 'Kick-off instant, or the match date at 00:00 UTC when no time is known (seed 000)' }),
    status: MatchStatus,
    neutral: Type.Boolean(),
    home_score: NullableInt,
    away_score: NullableInt,
    venue: NullableString,
    round: NullableString,
    is_playoff: Type.Boolean(),
  },
  { title: 'Match' },
);
export type MatchSummary = Static<typeof MatchSummary>;

export const Sort = Type.Union([Type.Literal('date'), Type.Literal('-date')], { description: 'date = oldest first, -date = newest first' });

const sportField = Type.String({ minLength: 1, maxLength: 40, description: 'Sport code (soccer, basketball, american_football, ...) or league alias (NBA, NFL, MLB)' });

/** Filters every match list understands (the team schedule fixes `team` itself). */
export const MatchFilterFields = {
  sport: Type.Optional(sportField),
  competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Competition id or code' })),
  season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name (2015-16, 2019) or id' })),
  date_from: Type.Optional(IsoDate),
  date_to: Type.Optional(IsoDate),
  status: Type.Optional(MatchStatus),
};

export const MatchListQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    ...MatchFilterFields,
    team: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Team id (home or away)' })),
    sort: Type.Optional(Sort),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: "Keyset pagination: the previous page's `next`. Constant time at any depth; use instead of `page`." })),
  }),
]);
export type MatchListQuery = Static<typeof MatchListQuery>;

export const SportQuery = Type.Object({ sport: Type.Optional(sportField) });

/** Path parameter naming a competition by id or by code. */
export const CompetitionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'Competition id or code' }),
});

export const SeasonQuery = Type.Object({
  season: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Season name (2015-16, 2019) or id; default: the latest' })),
});
