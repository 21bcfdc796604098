// The sports catalogue: sports, competitions, seasons, venues, teams (with aliases),
// players (with team spells) and the external ids that tie them to providers' records.
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** How a competition's table breaks ties, in order of application. */
export type TieBreak = 'points' | 'goal_difference' | 'goals_for' | 'head_to_head' | 'win_pct' | 'wins';

export const sports = pgTable('sports', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(), // soccer, basketball, american_football, baseball, ...
  name: text('name').notNull(),
  /** What a score counts: goals, points, runs, sets. */
  scoring: text('scoring').notNull(),
  /** Whether a drawn result is a normal outcome (soccer) or rare/impossible (NBA). */
  drawsPossible: boolean('draws_possible').notNull(),
  createdAt: createdAt(),
});

export const competitions = pgTable(
  'competitions',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    code: text('code').notNull().unique(), // england-premier-league, nba, nfl
    name: text('name').notNull(),
    country: text('country'),
    kind: text('kind').notNull().default('league'), // league | cup
    /** IANA zone the sources' local dates and times are in. */
    timezone: text('timezone').notNull().default('UTC'),
    pointsWin: integer('points_win').notNull().default(3),
    pointsDraw: integer('points_draw').notNull().default(1),
    pointsLoss: integer('points_loss').notNull().default(0),
    tieBreaks: jsonb('tie_breaks').$type<TieBreak[]>().notNull().default(sql`'["points","goal_difference","goals_for"]'::jsonb`),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('competitions_sport_idx').on(t.sportId)],
);

export const seasons = pgTable(
  'seasons',
  {
    id: serial('id').primaryKey(),
    competitionId: integer('competition_id').notNull().references(() => competitions.id),
    name: text('name').notNull(), // 2015-16 (split-year) or 2019 (single-year)
    startDate: date('start_date'),
    endDate: date('end_date'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('seasons_competition_name_uq').on(t.competitionId, t.name)],
);

export const venues = pgTable(
  'venues',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    city: text('city'),
    country: text('country'),
    capacity: integer('capacity'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('venues_name_uq').on(t.name)],
);

export const teams = pgTable(
  'teams',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    name: text('name').notNull(),
    /** Normalised name (lower case, no accents, no club suffixes) used for matching. */
    nameKey: text('name_key').notNull(),
    shortName: text('short_name'),
    abbreviation: text('abbreviation'),
    city: text('city'),
    country: text('country'),
    venueId: integer('venue_id').references(() => venues.id),
    logoUrl: text('logo_url'),
    /** Set for teams a user created for live tracking; null for the shared catalogue. */
    ownerUserId: integer('owner_user_id'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('teams_sport_name_key_uq').on(t.sportId, t.nameKey).where(sql`${t.ownerUserId} is null`),
    index('teams_owner_idx').on(t.ownerUserId),
  ],
);

/** Other spellings of a team's name. `source` '*' applies to every source. */
export const teamAliases = pgTable(
  'team_aliases',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    alias: text('alias').notNull(),
    aliasKey: text('alias_key').notNull(),
    source: text('source').notNull().default('*'),
    /** curated (shipped), manual (operator), import (seen in a file and resolved). */
    origin: text('origin').notNull().default('manual'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('team_aliases_key_uq').on(t.sportId, t.aliasKey, t.source), index('team_aliases_team_idx').on(t.teamId)],
);

/** A name seen in an import that resembles, but does not match, an existing team. */
export const nameReviews = pgTable(
  'name_reviews',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    source: text('source').notNull(),
    rawName: text('raw_name').notNull(),
    createdTeamId: integer('created_team_id').references(() => teams.id, { onDelete: 'set null' }),
    candidateTeamId: integer('candidate_team_id').references(() => teams.id, { onDelete: 'set null' }),
    similarity: integer('similarity_pct').notNull(),
    status: text('status').notNull().default('open'), // open | merged | dismissed
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('name_reviews_uq').on(t.sportId, t.source, t.rawName)],
);

export const players = pgTable(
  'players',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    name: text('name').notNull(),
    /** Lower case, accents stripped: what name search matches against. */
    searchName: text('search_name').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    position: text('position'), // GK DEF MID FWD for soccer; G F C for basketball; QB ... for NFL
    dateOfBirth: date('date_of_birth'),
    nationality: text('nationality'),
    currentTeamId: integer('current_team_id').references(() => teams.id),
    shirtNumber: integer('shirt_number'),
    injuryStatus: text('injury_status').notNull().default('available'), // available | doubtful | injured | suspended | unavailable
    injuryNote: text('injury_note'),
    /** Who set the injury status (a provider, e.g. api-football); null when set by hand or never. */
    injurySource: text('injury_source'),
    injuryUpdatedAt: timestamp('injury_updated_at', { withTimezone: true }),
    ownerUserId: integer('owner_user_id'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('players_search_idx').on(t.searchName),
    index('players_team_idx').on(t.currentTeamId),
    index('players_owner_idx').on(t.ownerUserId),
  ],
);

/** A player's time at a team; an open spell (to_date null) is the current one. */
export const playerTeamSpells = pgTable(
  'player_team_spells',
  {
    id: serial('id').primaryKey(),
    playerId: integer('player_id').notNull().references(() => players.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').notNull().references(() => teams.id),
    seasonId: integer('season_id').references(() => seasons.id),
    fromDate: date('from_date'),
    toDate: date('to_date'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('player_team_spells_uq').on(t.playerId, t.teamId, t.seasonId).nullsNotDistinct(),
    index('player_team_spells_team_idx').on(t.teamId),
  ],
);

/** Provider and file identifiers for our entities (e.g. FPL element 376 in 2019-20). */
export const externalIds = pgTable(
  'external_ids',
  {
    id: serial('id').primaryKey(),
    entityType: text('entity_type').notNull(), // team | player | match | competition
    entityId: integer('entity_id').notNull(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('external_ids_uq').on(t.entityType, t.source, t.externalId),
    index('external_ids_entity_idx').on(t.entityType, t.entityId),
  ],
);
