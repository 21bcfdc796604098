// Matches and what happened in them: scores by period, team and player statistics,
// lineups, and bookmaker odds. A match is identified by competition, local date, and
// home and away team after alias resolution, so the same match from two sources is one row.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  doublePrecision,
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
import { competitions, players, seasons, sports, teams, venues } from './catalog.js';

export const MATCH_STATUSES = ['scheduled', 'in_progress', 'final', 'postponed', 'cancelled'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** Score of one period (half, quarter, overtime, inning). */
export interface PeriodScore {
  period: string; // h1 h2 | q1..q4 ot | et pens
  home: number;
  away: number;
}

export const matches = pgTable(
  'matches',
  {
    id: serial('id').primaryKey(),
    sportId: integer('sport_id').notNull().references(() => sports.id),
    competitionId: integer('competition_id').notNull().references(() => competitions.id),
    seasonId: integer('season_id').notNull().references(() => seasons.id),
    homeTeamId: integer('home_team_id').notNull().references(() => teams.id),
    awayTeamId: integer('away_team_id').notNull().references(() => teams.id),
    venueId: integer('venue_id').references(() => venues.id),
    /** The match's local calendar date in the competition's time zone (part of its identity). */
    matchDate: date('match_date').notNull(),
    /** Kick-off instant; null when the source gives a date without a time. */
    kickoffAt: timestamp('kickoff_at', { withTimezone: true }),
    status: text('status').$type<MatchStatus>().notNull().default('scheduled'),
    neutral: boolean('neutral').notNull().default(false),
    homeScore: integer('home_score'),
    awayScore: integer('away_score'),
    homeScoreHt: integer('home_score_ht'),
    awayScoreHt: integer('away_score_ht'),
    periodScores: jsonb('period_scores').$type<PeriodScore[]>(),
    round: text('round'),
    isPlayoff: boolean('is_playoff').notNull().default(false),
    referee: text('referee'),
    attendance: integer('attendance'),
    ownerUserId: integer('owner_user_id'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('matches_identity_uq').on(t.competitionId, t.matchDate, t.homeTeamId, t.awayTeamId),
    // The catalogue's default page order (user-owned live matches are excluded there).
    index('matches_catalogue_date_idx').on(t.matchDate, t.kickoffAt, t.id).where(sql`${t.ownerUserId} is null`),
    index('matches_season_idx').on(t.seasonId),
    index('matches_home_idx').on(t.homeTeamId, t.matchDate),
    index('matches_away_idx').on(t.awayTeamId, t.matchDate),
    index('matches_status_idx').on(t.status, t.matchDate),
    index('matches_sport_date_idx').on(t.sportId, t.matchDate),
  ],
);

/** Which sources have supplied a match, and where (file:line or provider id). */
export const matchSources = pgTable(
  'match_sources',
  {
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    sourceRef: text('source_ref').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('match_sources_uq').on(t.matchId, t.source)],
);

/** Per-team statistics for one match: shots, shots_on_target, corners, fouls, cards, possession... */
export const teamMatchStats = pgTable(
  'team_match_stats',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').notNull().references(() => teams.id),
    side: text('side').notNull(), // home | away
    stats: jsonb('stats').$type<Record<string, number>>().notNull(),
  },
  (t) => [uniqueIndex('team_match_stats_uq').on(t.matchId, t.teamId)],
);

export const playerMatchStats = pgTable(
  'player_match_stats',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    playerId: integer('player_id').notNull().references(() => players.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').notNull().references(() => teams.id),
    started: boolean('started'),
    minutes: integer('minutes'),
    goals: integer('goals'),
    assists: integer('assists'),
    shots: integer('shots'),
    shotsOnTarget: integer('shots_on_target'),
    yellowCards: integer('yellow_cards'),
    redCards: integer('red_cards'),
    ownGoals: integer('own_goals'),
    saves: integer('saves'),
    points: integer('points'),
    rebounds: integer('rebounds'),
    /** Everything else the source gives (threat, creativity, penalties_missed, ...). */
    extra: jsonb('extra').$type<Record<string, number | string | boolean | null>>(),
  },
  (t) => [
    uniqueIndex('player_match_stats_uq').on(t.matchId, t.playerId),
    index('player_match_stats_player_idx').on(t.playerId),
  ],
);

export const lineups = pgTable(
  'lineups',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').notNull().references(() => teams.id),
    playerId: integer('player_id').notNull().references(() => players.id, { onDelete: 'cascade' }),
    role: text('role').notNull(), // starter | bench
    position: text('position'),
    shirtNumber: integer('shirt_number'),
  },
  (t) => [uniqueIndex('lineups_uq').on(t.matchId, t.playerId)],
);

export const bookmakers = pgTable('bookmakers', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(), // bet365, pinnacle, market_avg, market_max, ...
  name: text('name').notNull(),
  /** bookmaker | aggregate (average or best of several) | exchange */
  kind: text('kind').notNull().default('bookmaker'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ODDS_MARKETS = ['1x2', 'over_under', 'asian_handicap', 'btts', 'moneyline', 'spread', 'total'] as const;
export type OddsMarket = (typeof ODDS_MARKETS)[number];
export const ODDS_PHASES = ['opening', 'closing', 'live', 'snapshot'] as const;
export type OddsPhase = (typeof ODDS_PHASES)[number];

/**
 * One price: decimal odds for a selection of a market. `line` is the handicap or total
 * (home-side handicap for asian_handicap and spread), null for markets without one.
 */
export const odds = pgTable(
  'odds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    bookmakerId: integer('bookmaker_id').notNull().references(() => bookmakers.id),
    market: text('market').$type<OddsMarket>().notNull(),
    selection: text('selection').notNull(), // home draw away | over under | yes no
    line: doublePrecision('line'),
    price: doublePrecision('price').notNull(),
    phase: text('phase').$type<OddsPhase>().notNull(),
    /** When the price was observed; null when the source only says opening/closing. */
    capturedAt: timestamp('captured_at', { withTimezone: true }),
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('odds_uq')
      .on(t.matchId, t.bookmakerId, t.market, t.selection, t.line, t.phase, t.capturedAt)
      .nullsNotDistinct(),
    index('odds_market_idx').on(t.market, t.phase),
  ],
);

/**
 * Every distinct price a provider feed showed for one key, with when Sharpline saw it (and
 * the provider's own update time when it gives one): a row is written only when the price
 * differs from the key's latest row, so a repeated sync writes nothing. Opening = the first
 * row of a key, closing = its last row before kick-off (decision 0031).
 */
export const oddsHistory = pgTable(
  'odds_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    bookmakerId: integer('bookmaker_id').notNull().references(() => bookmakers.id),
    market: text('market').$type<OddsMarket>().notNull(),
    selection: text('selection').notNull(),
    line: doublePrecision('line'),
    price: doublePrecision('price').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
    providerUpdatedAt: timestamp('provider_updated_at', { withTimezone: true }),
    source: text('source').notNull(),
  },
  (t) => [
    unique('odds_history_uq').on(t.matchId, t.bookmakerId, t.market, t.selection, t.line, t.seenAt).nullsNotDistinct(),
    index('odds_history_match_idx').on(t.matchId, t.seenAt),
  ],
);

/**
 * Bookmaker prices of player props (The Odds API's player markets), in the props' own terms:
 * `prop` goals | assists | cards | shots_on_target | shots, `selection` over | under of `line`
 * (an anytime scorer's Yes is goals over 0.5). Opening and closing as in `odds` (decision 0026).
 */
export const playerPropOdds = pgTable(
  'player_prop_odds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    matchId: integer('match_id').notNull().references(() => matches.id, { onDelete: 'cascade' }),
    playerId: integer('player_id').notNull().references(() => players.id, { onDelete: 'cascade' }),
    bookmakerId: integer('bookmaker_id').notNull().references(() => bookmakers.id),
    prop: text('prop').notNull(),
    selection: text('selection').notNull(),
    line: doublePrecision('line').notNull(),
    price: doublePrecision('price').notNull(),
    phase: text('phase').$type<OddsPhase>().notNull(),
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('player_prop_odds_uq').on(t.matchId, t.playerId, t.bookmakerId, t.prop, t.selection, t.line, t.phase),
    index('player_prop_odds_player_idx').on(t.playerId),
  ],
);
