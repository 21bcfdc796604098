// TypeBox schemas of the live-tracking API (REST and the sync endpoints).
import { DbId } from '../../platform/schemas.js';
import { Type, type Static } from '@sinclair/typebox';
import { LIVE_PHASES } from '../../db/schema/live.js';
import { EVENT_KINDS } from './events.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NInt = (o: Record<string, unknown> = {}) => Type.Union([Type.Integer({ minimum: 0, maximum: 2_147_483_647, ...o }), Type.Null()]);
const Name = Type.String({ minLength: 1, maxLength: 80 });

export const Uuid = Type.String({ format: 'uuid', description: 'Client-generated UUID' });
export const UuidParams = Type.Object({ id: Uuid });
export const MatchIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const TeamBody = Type.Object({ name: Name, short_name: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false });
export const TeamPatch = Type.Partial(Type.Object({ name: Name, short_name: Nullable(Type.String({ maxLength: 20 })) }), { additionalProperties: false });
export const Team = Type.Object({ id: Type.Integer(), name: Type.String(), short_name: Type.Union([Type.String(), Type.Null()]) });

export const PlayerBody = Type.Object(
  { name: Name, shirt_number: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })), position: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
);
export const PlayerPatch = Type.Partial(
  Type.Object({ name: Name, shirt_number: NInt({ maximum: 999 }), position: Nullable(Type.String({ maxLength: 20 })) }),
  { additionalProperties: false },
);
export const Player = Type.Object({
  id: Type.Integer(),
  team_id: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  shirt_number: Type.Union([Type.Integer(), Type.Null()]),
  position: Type.Union([Type.String(), Type.Null()]),
});

export const MatchBody = Type.Object(
  {
    home_team_id: DbId(),
    away_team_id: DbId(),
    kickoff_at: Type.Optional(Type.String({ format: 'date-time' })),
    match_date: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export const MatchPatch = Type.Object({ kickoff_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))) }, { additionalProperties: false });

export const Clock = Type.Object({
  phase: Type.Union(LIVE_PHASES.map((p) => Type.Literal(p))),
  running: Type.Boolean(),
  paused: Type.Boolean(),
  elapsed_ms: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
});
export const Score = Type.Object({
  home: Type.Integer(),
  away: Type.Integer(),
  penalties: Type.Optional(Type.Object({ home: Type.Integer(), away: Type.Integer() })),
});
const Side = Type.Object({ name: Type.String(), short_name: Type.Union([Type.String(), Type.Null()]) });
export const LiveMatch = Type.Object({
  id: Type.Integer(),
  date: Type.String(),
  kickoff_at: Type.Union([Type.String(), Type.Null()]),
  home: Side,
  away: Side,
  clock: Clock,
  score: Score,
  last_seq: Type.Integer(),
  access: Type.Union([Type.Literal('owner'), Type.Literal('collaborator')]),
});

export const ClockAction = Type.Object(
  { phase: Type.Optional(Type.Union(LIVE_PHASES.map((p) => Type.Literal(p)))), pause: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, description: 'Move to the next phase, or pause/resume the clock' },
);

export const LineupBody = Type.Object(
  {
    players: Type.Array(
      Type.Object({
        player_id: DbId(),
        role: Type.Union([Type.Literal('starter'), Type.Literal('bench')]),
        position: Type.Optional(Type.String({ maxLength: 20 })),
        shirt_number: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
      }),
      { maxItems: 60 },
    ),
  },
  { additionalProperties: false },
);
export const LineupEntry = Type.Object({
  player_id: Type.Integer(),
  team_id: Type.Integer(),
  role: Type.String(),
  position: Type.Union([Type.String(), Type.Null()]),
  shirt_number: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
});

const eventFields = {
  kind: Type.Union(EVENT_KINDS.map((k) => Type.Literal(k))),
  side: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('away'), Type.Null()])),
  player_id: Type.Optional(Type.Union([DbId(), Type.Null()])),
  player_in_id: Type.Optional(Type.Union([DbId(), Type.Null()])),
  minute: Type.Optional(NInt({ maximum: 200 })),
  period: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 280 }))),
};
export const EventBody = Type.Object({ id: Uuid, ...eventFields }, { additionalProperties: false });
export const EventPatch = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version this edit is based on' }), ...Type.Partial(Type.Object(eventFields)).properties },
  { additionalProperties: false },
);
export const VersionQuery = Type.Object({ version: Type.Optional(DbId()) });
export const WireEvent = Type.Object(
  {
    id: Type.String(),
    seq: Type.Integer({ description: 'Sequence of the latest change' }),
    v: Type.Integer({ description: 'version' }),
    kind: Type.String(),
    side: Type.Optional(Type.String()),
    minute: Type.Optional(Type.Integer()),
    period: Type.Optional(Type.String()),
    player: Type.Optional(Type.String({ description: 'Display name' })),
    player_id: Type.Optional(Type.Integer()),
    player_in: Type.Optional(Type.String()),
    player_in_id: Type.Optional(Type.Integer()),
    note: Type.Optional(Type.String()),
    deleted: Type.Optional(Type.Literal(true)),
  },
  { description: 'Compact event: fields that are null are left out' },
);
export const EventListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  since_seq: Type.Optional(Type.Integer({ minimum: 0, description: 'Only changes after this sequence, deletions included' })),
});
export type EventListQuery = Static<typeof EventListQuery>;

export const CollaboratorBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }, { additionalProperties: false });
export const Collaborator = Type.Object({ user_id: Type.Integer(), email: Type.String(), display_name: Type.Union([Type.String(), Type.Null()]) });

export const ShareBody = Type.Object(
  { label: Type.Optional(Type.String({ maxLength: 80 })), expires_in_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 365 })) },
  { additionalProperties: false },
);
export const Share = Type.Object({
  id: Type.Integer(),
  match_id: Type.Integer(),
  label: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});

export const SyncBody = Type.Object(
  {
    device_id: Type.Optional(Type.String({ maxLength: 100 })),
    items: Type.Array(
      Type.Object(
        {
          op: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
          id: Uuid,
          match_id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
          base_version: Type.Optional(DbId()),
          data: Type.Optional(Type.Partial(Type.Object(eventFields))),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export const SyncAnswer = Type.Object({
  id: Type.String(),
  op: Type.String(),
  status: Type.Union(['applied', 'duplicate', 'conflict', 'not_found', 'rejected'].map((s) => Type.Literal(s))),
  version: Type.Optional(Type.Integer()),
  seq: Type.Optional(Type.Integer()),
  conflict_id: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
});
export const Conflict = Type.Object({
  id: Type.Integer(),
  match_id: Type.Integer(),
  event_id: Type.String(),
  op: Type.String(),
  base_version: Type.Integer(),
  server_version: Type.Integer(),
  server: Type.Record(Type.String(), Type.Unknown()),
  client: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String(),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export const ConflictQuery = Type.Object({
  match_id: Type.Optional(DbId()),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('kept_server'), Type.Literal('took_client')])),
});
export const ResolveBody = Type.Object(
  { id: DbId(), resolution: Type.Union([Type.Literal('keep_server'), Type.Literal('take_client')]) },
  { additionalProperties: false },
);
