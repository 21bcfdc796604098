// /api/v1/live: a user's teams, players and matches for live tracking, lineups,
// collaborators and share links. Strangers get 404 for a match (its existence is not
// revealed); collaborators write events but only the owner manages the match itself.
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { securedRoute } from '../../platform/auth/identity.js';
import { IdParams, Page, PaginationQuery, pageOf, versionField, DbId } from '../../platform/schemas.js';
import type { LiveEvents } from './events.js';
import * as S from './schemas.js';
import type { LiveStore } from './store.js';

const err = { $ref: 'ErrorBody#' };
const errors = { 400: err, 401: err, 403: err, 404: err, 409: err, 422: err, 429: err };
const Ok = Type.Object({ ok: Type.Literal(true), ...versionField });

export interface LiveRouteDeps {
  store: LiveStore;
  events: LiveEvents;
  /** Where share links point (page path prefix). */
  pagePath: string;
  onShareRevoked(matchId: number, shareId: number): Promise<void>;
}

type TeamRow = Awaited<ReturnType<LiveStore['createTeam']>>;
type PlayerRow = Awaited<ReturnType<LiveStore['createPlayer']>>;
const team = (t: TeamRow) => ({ id: t.id, name: t.name, short_name: t.shortName });
const player = (p: PlayerRow) => ({ id: p.id, team_id: p.currentTeamId, name: p.name, shirt_number: p.shirtNumber, position: p.position });
const shareOut = (s: Awaited<ReturnType<LiveStore['listShares']>>[number]) => ({
  id: s.id, match_id: s.matchId, label: s.label, expires_at: s.expiresAt?.toISOString() ?? null,
  revoked_at: s.revokedAt?.toISOString() ?? null, created_at: s.createdAt.toISOString(),
});

/** Route options for a signed-in user's operation. */
export function op(app: FastifyInstance, operationId: string, summary: string, parts: { params?: TSchema; querystring?: TSchema; body?: TSchema; ok: TSchema; code?: number }): RouteShorthandOptions {
  return {
    onRequest: app.requireUser,
    schema: {
      operationId, summary, tags: ['live'], ...securedRoute,
      ...(parts.params ? { params: parts.params } : {}), ...(parts.querystring ? { querystring: parts.querystring } : {}), ...(parts.body ? { body: parts.body } : {}),
      response: { [parts.code ?? 200]: parts.ok, ...errors },
    },
  };
}

export async function liveRoutes(app: FastifyInstance, deps: LiveRouteDeps) {
  const { store, events } = deps;
  const uid = (req: { auth: { userId: number } | null }) => req.auth!.userId;

  async function matchOut(matchId: number, userId: number) {
    const access = await store.requireAccess(matchId, userId);
    const snap = await events.snapshot(matchId);
    return { id: matchId, date: snap.match.date, kickoff_at: snap.match.kickoff_at, home: snap.match.home, away: snap.match.away, clock: snap.clock, score: snap.score, last_seq: snap.seq, access };
  }

  app.post('/live/teams', op(app, 'createLiveTeam', 'Create a team you own', { body: S.TeamBody, ok: Type.Object({ ...S.Team.properties, ...versionField }), code: 201 }), async (req, reply) =>
    reply.code(201).send({ ...team(await store.createTeam(uid(req), req.body as { name: string })), version: 'v1' }));
  app.get('/live/teams', op(app, 'listLiveTeams', 'Your teams', { querystring: PaginationQuery, ok: Page(S.Team) }), async (req) => {
    const q = req.query as PaginationQuery;
    const all = await store.listTeams(uid(req));
    return pageOf(all.slice((q.page - 1) * q.page_size, q.page * q.page_size).map(team), all.length, q);
  });
  app.patch('/live/teams/:id', op(app, 'updateLiveTeam', 'Rename a team', { params: IdParams, body: S.TeamPatch, ok: Type.Object({ ...S.Team.properties, ...versionField }) }), async (req) =>
    ({ ...team(await store.updateTeam(uid(req), (req.params as IdParams).id, req.body as { name?: string })), version: 'v1' as const }));
  app.delete('/live/teams/:id', op(app, 'deleteLiveTeam', 'Delete a team (not while it has matches)', { params: IdParams, ok: Ok }), async (req) => {
    await store.deleteTeam(uid(req), (req.params as IdParams).id);
    return { ok: true as const, version: 'v1' as const };
  });

  app.post('/live/teams/:id/players', op(app, 'createLivePlayer', 'Add a player to your team', { params: IdParams, body: S.PlayerBody, ok: Type.Object({ ...S.Player.properties, ...versionField }), code: 201 }), async (req, reply) =>
    reply.code(201).send({ ...player(await store.createPlayer(uid(req), (req.params as IdParams).id, req.body as { name: string })), version: 'v1' }));
  app.get('/live/teams/:id/players', op(app, 'listLivePlayers', "A team's roster", { params: IdParams, ok: Type.Object({ items: Type.Array(S.Player), ...versionField }) }), async (req) =>
    ({ items: (await store.listPlayers(uid(req), (req.params as IdParams).id)).map(player), version: 'v1' as const }));
  app.patch('/live/players/:id', op(app, 'updateLivePlayer', 'Edit a player', { params: IdParams, body: S.PlayerPatch, ok: Type.Object({ ...S.Player.properties, ...versionField }) }), async (req) =>
    ({ ...player(await store.updatePlayer(uid(req), (req.params as IdParams).id, req.body as { name?: string })), version: 'v1' as const }));

  const MatchOut = Type.Object({ ...S.LiveMatch.properties, ...versionField });
  app.post('/live/matches', op(app, 'createLiveMatch', 'Create a match between two of your teams', { body: S.MatchBody, ok: MatchOut, code: 201 }), async (req, reply) => {
    const id = await store.createMatch(uid(req), req.body as { home_team_id: number; away_team_id: number });
    return reply.code(201).send({ ...(await matchOut(id, uid(req))), version: 'v1' });
  });
  app.get('/live/matches', op(app, 'listLiveMatches', 'Matches you own or collaborate on', { querystring: PaginationQuery, ok: Page(S.LiveMatch) }), async (req) => {
    const q = req.query as PaginationQuery;
    const { ids, total } = await store.listMatchIds(uid(req), q.page_size, (q.page - 1) * q.page_size);
    const items = [];
    for (const id of ids) items.push(await matchOut(id, uid(req)));
    return pageOf(items, total, q);
  });
  app.get('/live/matches/:id', op(app, 'getLiveMatch', 'A match with clock and score', { params: IdParams, ok: MatchOut }), async (req) =>
    ({ ...(await matchOut((req.params as IdParams).id, uid(req))), version: 'v1' as const }));
  app.patch('/live/matches/:id', op(app, 'updateLiveMatch', 'Change the kick-off time', { params: IdParams, body: S.MatchPatch, ok: MatchOut }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    await store.updateMatch(id, req.body as { kickoff_at?: string | null });
    return { ...(await matchOut(id, uid(req))), version: 'v1' as const };
  });
  app.delete('/live/matches/:id', op(app, 'deleteLiveMatch', 'Delete a match and its events', { params: IdParams, ok: Ok }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    await store.deleteMatch(id);
    return { ok: true as const, version: 'v1' as const };
  });

  const LineupOut = Type.Object({ items: Type.Array(S.LineupEntry), ...versionField });
  app.put('/live/matches/:id/lineup', op(app, 'setLiveLineup', 'Replace the lineup (starters and bench)', { params: IdParams, body: S.LineupBody, ok: LineupOut }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req));
    await store.setLineup(id, (req.body as { players: Parameters<LiveStore['setLineup']>[1] }).players);
    return { items: await store.getLineup(id), version: 'v1' as const };
  });
  app.get('/live/matches/:id/lineup', op(app, 'getLiveLineup', 'The lineup', { params: IdParams, ok: LineupOut }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req));
    return { items: await store.getLineup(id), version: 'v1' as const };
  });

  app.post('/live/matches/:id/collaborators', op(app, 'addLiveCollaborator', 'Invite an existing user (by email) to log events', { params: IdParams, body: S.CollaboratorBody, ok: Type.Object({ user_id: Type.Integer(), ...versionField }), code: 201 }), async (req, reply) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    return reply.code(201).send({ user_id: await store.addCollaborator(id, (req.body as { email: string }).email), version: 'v1' });
  });
  app.get('/live/matches/:id/collaborators', op(app, 'listLiveCollaborators', 'Who may log events', { params: IdParams, ok: Type.Object({ items: Type.Array(S.Collaborator), ...versionField }) }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    return { items: await store.listCollaborators(id), version: 'v1' as const };
  });
  app.delete('/live/matches/:id/collaborators/:userId', op(app, 'removeLiveCollaborator', 'Remove a collaborator', { params: Type.Object({ id: DbId(), userId: DbId() }), ok: Ok }), async (req) => {
    const p = req.params as { id: number; userId: number };
    await store.requireAccess(p.id, uid(req), 'owner');
    await store.removeCollaborator(p.id, p.userId);
    return { ok: true as const, version: 'v1' as const };
  });

  const ShareCreated = Type.Object({ ...S.Share.properties, token: Type.String(), url: Type.String(), ...versionField });
  app.post('/live/matches/:id/shares', op(app, 'createLiveShare', 'Create a read-only share link (token shown once)', { params: IdParams, body: S.ShareBody, ok: ShareCreated, code: 201 }), async (req, reply) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    const { row, token } = await store.createShare(id, uid(req), req.body as { label?: string });
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({ ...shareOut(row), token, url: `${deps.pagePath}/${token}`, version: 'v1' });
  });
  app.get('/live/matches/:id/shares', op(app, 'listLiveShares', "A match's share links (never the tokens)", { params: IdParams, ok: Type.Object({ items: Type.Array(S.Share), ...versionField }) }), async (req) => {
    const { id } = req.params as IdParams;
    await store.requireAccess(id, uid(req), 'owner');
    return { items: (await store.listShares(id)).map(shareOut), version: 'v1' as const };
  });
  app.delete('/live/shares/:id', op(app, 'revokeLiveShare', 'Revoke a share link; its viewers are disconnected', { params: IdParams, ok: Ok }), async (req) => {
    const { id } = req.params as IdParams;
    await deps.onShareRevoked(await store.revokeShare(uid(req), id), id);
    return { ok: true as const, version: 'v1' as const };
  });
}
