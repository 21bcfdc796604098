// Live match tracking (issue 6): REST for user teams/players/matches/events, offline sync,
// match sockets fed through pub/sub (Redis across instances, in-process otherwise), share
// links and the public live page. Registered by app.ts with the shared state it needs.
import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import { Gauge, Histogram } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { createPubSub, type PubSub } from '../../platform/pubsub.js';
import type { SharedState } from '../../platform/shared-state.js';
import { createAccessServices } from '../auth/index.js';
import { liveEventRoutes } from './event-routes.js';
import { createLiveEvents } from './events.js';
import { createHub } from './hub.js';
import { livePage, notFoundPage } from './page.js';
import { liveRoutes } from './routes.js';
import { createLiveStore } from './store.js';
import { createSync } from './sync.js';
import { liveSocketRoutes } from './ws.js';
import { Type } from '@sinclair/typebox';

export interface LiveOptions {
  config: Config;
  database: Database;
  clock: Clock;
  shared: SharedState;
  /** Injected by tests and benchmarks; otherwise built from config.redisUrl. */
  pubsub?: PubSub;
  heartbeatMs?: number;
}

// Instances share a channel exactly when they share a database (their sequence numbers and
// match ids only mean something there): PostgreSQL by database name, an embedded PGlite
// (one process only) by the Database object.
const pgliteChannels = new WeakMap<Database, string>();
async function channelFor(database: Database): Promise<string> {
  if (database.kind === 'pglite') {
    if (!pgliteChannels.has(database)) pgliteChannels.set(database, `sharpline:live:pglite:${randomUUID()}`);
    return pgliteChannels.get(database)!;
  }
  const { rows } = await database.executeSql('select current_database() as name');
  return `sharpline:live:${String(rows[0]!.name)}`;
}

async function livePlugin(app: FastifyInstance, opts: LiveOptions): Promise<void> {
  const { clock } = opts;
  const db = opts.database.db;
  const channel = await channelFor(opts.database);
  const pubsub = opts.pubsub ?? (await createPubSub({ redisUrl: opts.config.redisUrl, databaseUrl: opts.database.url }, (err) => app.log.warn({ err: err.message }, 'live pub/sub error')));
  const store = createLiveStore(db, clock);
  const events = createLiveEvents(db, clock, pubsub, channel);
  const sync = createSync(db, clock, store, events);
  const fanOutSeconds = app.hasDecorator('metrics')
    ? new Histogram({
        name: 'live_fanout_seconds',
        help: 'Time to write one live message to every viewer of its match on this instance',
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1],
        registers: [app.metrics.registry],
      })
    : null;
  const hub = createHub({
    events, pubsub, log: app.log, heartbeatMs: opts.heartbeatMs ?? 15_000, channel,
    ...(fanOutSeconds ? { onFanOut: (seconds: number) => fanOutSeconds.observe(seconds) } : {}),
  });
  await hub.start();
  app.addHook('onClose', async () => {
    await hub.close();
    if (!opts.pubsub) await pubsub.close();
  });
  app.decorate('liveHub', hub);
  if (app.hasDecorator('metrics')) {
    const registers = [app.metrics.registry];
    new Gauge({ name: 'live_viewers', help: 'Sockets watching live matches on this instance', registers, collect() { this.set(hub.stats.viewers); } });
    new Gauge({ name: 'live_messages_sent', help: 'Live messages written to sockets since start', registers, collect() { this.set(hub.stats.sent); } });
    new Gauge({ name: 'live_gap_reads', help: 'Message-log reads to fill a gap in the pub/sub stream since start', registers, collect() { this.set(hub.stats.gapReads); } });
  }

  // No per-message deflate: messages are a few hundred bytes, a 200-event snapshot is under
  // 50 KB raw, and deflate state per socket costs memory and latency at 1,000 viewers.
  await app.register(websocket, { options: { maxPayload: 64 * 1024, perMessageDeflate: false } });
  const { verifier } = createAccessServices({ config: opts.config, db, clock, shared: opts.shared });
  await app.register(liveSocketRoutes, { hub, store, verifier });
  await app.register(async (api) => {
    await liveRoutes(api, { store, events, pagePath: '/live', onShareRevoked: (m, s) => hub.revokeShare(m, s) });
    await liveEventRoutes(api, { store, events, sync, clock });
  }, { prefix: '/api/v1' });

  app.get(
    '/live/:token',
    {
      schema: {
        operationId: 'livePage', tags: ['live'], summary: 'The public live page of a share link (HTML)',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: { type: 'string', description: 'text/html' }, 404: { type: 'string', description: 'text/html' } },
      },
    },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const share = await store.shareForToken(token);
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
      if (!share) return reply.code(404).send(notFoundPage());
      const snap = await events.snapshot(share.matchId);
      return reply.send(livePage(share.matchId, token, `${snap.match.home.name} v ${snap.match.away.name}`));
    },
  );
}

// Not encapsulated: `liveHub` is visible on the app (benchmarks, tests, metrics).
export default fp(livePlugin, { name: 'sharpline-live' });

declare module 'fastify' {
  interface FastifyInstance {
    /** The live sockets of this instance (viewer counts for benchmarks and metrics). */
    liveHub: ReturnType<typeof createHub>;
  }
}
