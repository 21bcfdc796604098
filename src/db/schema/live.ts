// Live match tracking for user-owned (grassroots) matches: the live state and clock of a
// match, its collaborators, the event log with a per-match sequence, the message log that
// lets a reconnecting socket catch up exactly, share links, and offline-sync conflicts.
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth.js';
import { players } from './catalog.js';
import { matches } from './matches.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const LIVE_PHASES = ['scheduled', 'first_half', 'half_time', 'second_half', 'extra_time', 'penalties', 'full_time'] as const;
export type LivePhase = (typeof LIVE_PHASES)[number];

/** The competition holding every user-owned match (not part of the public catalogue). */
export const GRASSROOTS_COMPETITION = 'grassroots';

/** One row per tracked match: its phase and clock. `lastSeq` is the match's sequence counter. */
export const liveMatches = pgTable('live_matches', {
  matchId: integer('match_id')
    .primaryKey()
    .references(() => matches.id, { onDelete: 'cascade' }),
  phase: text('phase').$type<LivePhase>().notNull().default('scheduled'),
  /** When the clock last started running; null while stopped (paused, half time, not started). */
  clockStartedAt: ts('clock_started_at'),
  /** Milliseconds the clock had run before clockStartedAt. */
  clockElapsedMs: bigint('clock_elapsed_ms', { mode: 'number' }).notNull().default(0),
  paused: boolean('paused').notNull().default(false),
  lastSeq: integer('last_seq').notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const liveCollaborators = pgTable(
  'live_collaborators',
  {
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.userId] }), index('live_collaborators_user_idx').on(t.userId)],
);

/** A logged event. The id is the client's UUID; `seq` is the sequence of its latest change. */
export const liveEvents = pgTable(
  'live_events',
  {
    id: text('id').primaryKey(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    side: text('side'), // home | away | null (period markers)
    playerId: integer('player_id').references(() => players.id, { onDelete: 'set null' }),
    /** Player coming on, for substitutions. */
    playerInId: integer('player_in_id').references(() => players.id, { onDelete: 'set null' }),
    minute: integer('minute'),
    period: text('period'),
    note: text('note'),
    version: integer('version').notNull().default(1),
    deleted: boolean('deleted').notNull().default(false),
    createdBy: integer('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('live_events_match_seq_idx').on(t.matchId, t.seq)],
);

/** Every message broadcast for a match, by sequence, so a reconnecting client gets the gap. */
export const liveMessages = pgTable(
  'live_messages',
  {
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.matchId, t.seq] })],
);

export const liveShareLinks = pgTable(
  'live_share_links',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    /** SHA-256 of the token; the token itself is shown once. */
    tokenHash: text('token_hash').notNull(),
    label: text('label'),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
    createdBy: integer('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('live_share_links_token_uq').on(t.tokenHash), index('live_share_links_match_idx').on(t.matchId)],
);

/** A stale offline edit: the server's version and the client's are both kept until resolved. */
export const liveSyncConflicts = pgTable(
  'live_sync_conflicts',
  {
    id: serial('id').primaryKey(),
    matchId: integer('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    userId: integer('user_id').notNull(),
    op: text('op').notNull(), // update | delete
    baseVersion: integer('base_version').notNull(),
    serverVersion: integer('server_version').notNull(),
    serverData: jsonb('server_data').$type<Record<string, unknown>>().notNull(),
    clientData: jsonb('client_data').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('open'), // open | kept_server | took_client
    resolvedAt: ts('resolved_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('live_sync_conflicts_match_idx').on(t.matchId, t.status), index('live_sync_conflicts_event_idx').on(t.eventId).where(sql`${t.status} = 'open'`)],
);
