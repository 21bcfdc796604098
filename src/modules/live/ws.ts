// The match sockets. /ws/match/{id} is for the owner and collaborators (access token in
// ?token= because browsers cannot set headers on a WebSocket, or the Authorization header);
// /ws/match/{id}/share?token=<share token> is read-only. Both are refused with an HTTP
// error before the upgrade, so a client learns why it cannot connect.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CredentialVerifier } from '../../platform/auth/identity.js';
import { NotFoundError, UnauthorizedError } from '../../platform/errors.js';
import type { Hub } from './hub.js';
import type { LiveStore } from './store.js';

const Params = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Query = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 4096 })),
  since_seq: Type.Optional(Type.Integer({ minimum: 0, description: 'Last sequence the client applied: only later messages are sent' })),
});
type Q = { token?: string; since_seq?: number };

export async function liveSocketRoutes(app: FastifyInstance, deps: { hub: Hub; store: LiveStore; verifier: CredentialVerifier }) {
  const { hub, store, verifier } = deps;
  const shareOf = new WeakMap<FastifyRequest, number>();

  app.get(
    '/ws/match/:id',
    {
      websocket: true,
      schema: { hide: true, params: Params, querystring: Query },
      preHandler: async (req) => {
        const q = req.query as Q;
        if (!req.auth && q.token) req.auth = await verifier.accessToken(q.token);
        if (!req.auth) throw new UnauthorizedError('Send an access token in ?token= or the Authorization header');
        await store.requireAccess((req.params as { id: number }).id, req.auth.userId);
      },
    },
    async (socket, req) => {
      await join(socket, req, null);
    },
  );

  app.get(
    '/ws/match/:id/share',
    {
      websocket: true,
      schema: { hide: true, params: Params, querystring: Query },
      preHandler: async (req) => {
        const { id } = req.params as { id: number };
        const token = (req.query as Q).token;
        const share = token ? await store.shareForToken(token) : null;
        // Unknown, revoked, expired and other-match tokens look the same from outside.
        if (!share || share.matchId !== id) throw new NotFoundError('share link', id);
        shareOf.set(req, share.shareId);
      },
    },
    async (socket, req) => {
      await join(socket, req, shareOf.get(req) ?? null);
    },
  );

  async function join(socket: Parameters<Hub['join']>[0], req: FastifyRequest, shareId: number | null) {
    const { id } = req.params as { id: number };
    try {
      await hub.join(socket, id, (req.query as Q).since_seq, shareId);
    } catch (err) {
      req.log.error({ err }, 'live: join failed');
      socket.close(1011, 'could not load match');
    }
  }
}
