// User-owned teams, players and matches for live tracking, who may write to a match
// (owner and invited collaborators), and share links. User matches live in the same
// tables as the catalogue, under one shared competition 'grassroots' (one season per
// calendar year), so ratings and listings treat them like any other soccer match.
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { competitions, GRASSROOTS_COMPETITION, lineups, liveCollaborators, liveMatches, liveShareLinks, matches, players, seasons, teams, users } from '../../db/schema/index.js';
import { randomToken, sha256Hex } from '../../platform/auth/tokens.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { ensureSports } from '../ingest/refs.js';

export { GRASSROOTS_COMPETITION };
export type Access = 'owner' | 'collaborator';

function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

export function createLiveStore(db: Db, clock: Clock) {
  async function grassrootsSeason(tx: Executor, year: number) {
    const sportIds = await ensureSports(tx as Parameters<typeof ensureSports>[0], ['soccer']);
    const sportId = sportIds.get('soccer')!;
    await tx
      .insert(competitions)
      .values({ sportId, code: GRASSROOTS_COMPETITION, name: 'Grassroots matches', kind: 'friendly' })
      .onConflictDoNothing({ target: competitions.code });
    const [comp] = await tx.select({ id: competitions.id }).from(competitions).where(eq(competitions.code, GRASSROOTS_COMPETITION));
    await tx.insert(seasons).values({ competitionId: comp!.id, name: String(year) }).onConflictDoNothing();
    const [season] = await tx
      .select({ id: seasons.id })
      .from(seasons)
      .where(and(eq(seasons.competitionId, comp!.id), eq(seasons.name, String(year))));
    return { sportId, competitionId: comp!.id, seasonId: season!.id };
  }

  async function ownTeam(userId: number, teamId: number) {
    const [t] = await db.select().from(teams).where(and(eq(teams.id, teamId), eq(teams.ownerUserId, userId)));
    if (!t) throw new NotFoundError('team', teamId);
    return t;
  }

  return {
    async access(matchId: number, userId: number): Promise<Access | null> {
      const [m] = await db.select({ owner: matches.ownerUserId }).from(matches).where(eq(matches.id, matchId));
      if (!m || m.owner === null) return null;
      if (m.owner === userId) return 'owner';
      const [c] = await db
        .select({ u: liveCollaborators.userId })
        .from(liveCollaborators)
        .where(and(eq(liveCollaborators.matchId, matchId), eq(liveCollaborators.userId, userId)));
      return c ? 'collaborator' : null;
    },

    /** 404 for strangers (a match's existence is not revealed), 403 when owner rights are needed. */
    async requireAccess(matchId: number, userId: number, need: 'write' | 'owner' = 'write'): Promise<Access> {
      const a = await this.access(matchId, userId);
      if (!a) throw new NotFoundError('match', matchId);
      if (need === 'owner' && a !== 'owner') throw new ForbiddenError('Only the match owner can do this');
      return a;
    },

    async createTeam(userId: number, body: { name: string; short_name?: string }) {
      const sportId = (await ensureSports(db as Parameters<typeof ensureSports>[0], ['soccer'])).get('soccer')!;
      const [t] = await db
        .insert(teams)
        .values({ sportId, name: body.name, nameKey: nameKey(body.name), shortName: body.short_name ?? null, ownerUserId: userId })
        .returning();
      return t!;
    },
    listTeams: (userId: number) => db.select().from(teams).where(eq(teams.ownerUserId, userId)).orderBy(asc(teams.id)),
    ownTeam,
    async updateTeam(userId: number, teamId: number, body: { name?: string; short_name?: string | null }) {
      await ownTeam(userId, teamId);
      const [t] = await db
        .update(teams)
        .set({
          ...(body.name !== undefined ? { name: body.name, nameKey: nameKey(body.name) } : {}),
          ...(body.short_name !== undefined ? { shortName: body.short_name } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(teams.id, teamId))
        .returning();
      return t!;
    },
    async deleteTeam(userId: number, teamId: number) {
      await ownTeam(userId, teamId);
      const [used] = await db
        .select({ id: matches.id })
        .from(matches)
        .where(or(eq(matches.homeTeamId, teamId), eq(matches.awayTeamId, teamId)))
        .limit(1);
      if (used) throw new ConflictError('The team plays in a match; delete the match first');
      await db.update(players).set({ currentTeamId: null }).where(eq(players.currentTeamId, teamId));
      await db.delete(teams).where(eq(teams.id, teamId));
    },

    async createPlayer(userId: number, teamId: number, body: { name: string; shirt_number?: number; position?: string }) {
      const team = await ownTeam(userId, teamId);
      const [p] = await db
        .insert(players)
        .values({
          sportId: team.sportId,
          name: body.name,
          searchName: nameKey(body.name),
          currentTeamId: teamId,
          shirtNumber: body.shirt_number ?? null,
          position: body.position ?? null,
          ownerUserId: userId,
        })
        .returning();
      return p!;
    },
    async listPlayers(userId: number, teamId: number) {
      await ownTeam(userId, teamId);
      return db.select().from(players).where(eq(players.currentTeamId, teamId)).orderBy(asc(players.shirtNumber), asc(players.id));
    },
    async updatePlayer(userId: number, playerId: number, body: { name?: string; shirt_number?: number | null; position?: string | null }) {
      const [p] = await db.select().from(players).where(and(eq(players.id, playerId), eq(players.ownerUserId, userId)));
      if (!p) throw new NotFoundError('player', playerId);
      const [u] = await db
        .update(players)
        .set({
          ...(body.name !== undefined ? { name: body.name, searchName: nameKey(body.name) } : {}),
          ...(body.shirt_number !== undefined ? { shirtNumber: body.shirt_number } : {}),
          ...(body.position !== undefined ? { position: body.position } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(players.id, playerId))
        .returning();
      return u!;
    },

    async createMatch(userId: number, body: { home_team_id: number; away_team_id: number; kickoff_at?: string; match_date?: string }) {
      if (body.home_team_id === body.away_team_id) throw new ValidationError('A team cannot play itself', 'away_team_id');
      await ownTeam(userId, body.home_team_id);
      await ownTeam(userId, body.away_team_id);
      const kickoff = body.kickoff_at ? new Date(body.kickoff_at) : null;
      const date = body.match_date ?? (kickoff ?? clock.now()).toISOString().slice(0, 10);
      return db.transaction(async (tx) => {
        const ref = await grassrootsSeason(tx, Number(date.slice(0, 4)));
        const [dup] = await tx
          .select({ id: matches.id })
          .from(matches)
          .where(and(eq(matches.competitionId, ref.competitionId), eq(matches.matchDate, date), eq(matches.homeTeamId, body.home_team_id), eq(matches.awayTeamId, body.away_team_id)));
        if (dup) throw new ConflictError('These teams already have a match on that date', { match_id: dup.id });
        const [m] = await tx
          .insert(matches)
          .values({ ...ref, homeTeamId: body.home_team_id, awayTeamId: body.away_team_id, matchDate: date, kickoffAt: kickoff, ownerUserId: userId })
          .returning({ id: matches.id });
        await tx.insert(liveMatches).values({ matchId: m!.id });
        return m!.id;
      });
    },
    /** Matches the user owns or collaborates on. */
    async listMatchIds(userId: number, limit: number, offset: number) {
      const visible = or(
        eq(matches.ownerUserId, userId),
        inArray(matches.id, db.select({ id: liveCollaborators.matchId }).from(liveCollaborators).where(eq(liveCollaborators.userId, userId))),
      );
      const [rows, [count]] = await Promise.all([
        db.select({ id: matches.id }).from(matches).where(visible).orderBy(asc(matches.matchDate), asc(matches.id)).limit(limit).offset(offset),
        db.select({ n: sql<number>`count(*)::int` }).from(matches).where(visible),
      ]);
      return { ids: rows.map((r) => r.id), total: count!.n };
    },
    async updateMatch(matchId: number, body: { kickoff_at?: string | null }) {
      await db
        .update(matches)
        .set({ ...(body.kickoff_at !== undefined ? { kickoffAt: body.kickoff_at ? new Date(body.kickoff_at) : null } : {}), updatedAt: clock.now() })
        .where(eq(matches.id, matchId));
    },
    async deleteMatch(matchId: number) {
      await db.delete(matches).where(eq(matches.id, matchId));
    },

    async setLineup(matchId: number, entries: { player_id: number; role: 'starter' | 'bench'; position?: string; shirt_number?: number }[]) {
      const [m] = await db.select().from(matches).where(eq(matches.id, matchId));
      const ids = entries.map((e) => e.player_id);
      const found = ids.length ? await db.select({ id: players.id, team: players.currentTeamId }).from(players).where(inArray(players.id, ids)) : [];
      const teamOf = new Map(found.map((p) => [p.id, p.team]));
      for (const e of entries) {
        const team = teamOf.get(e.player_id);
        if (team !== m!.homeTeamId && team !== m!.awayTeamId) throw new ValidationError(`Player ${e.player_id} is not in either team`, 'player_id', e.player_id);
      }
      await db.transaction(async (tx) => {
        await tx.delete(lineups).where(eq(lineups.matchId, matchId));
        if (entries.length)
          await tx.insert(lineups).values(
            entries.map((e) => ({ matchId, teamId: teamOf.get(e.player_id)!, playerId: e.player_id, role: e.role, position: e.position ?? null, shirtNumber: e.shirt_number ?? null })),
          );
      });
    },
    getLineup: (matchId: number) =>
      db
        .select({ player_id: lineups.playerId, team_id: lineups.teamId, role: lineups.role, position: lineups.position, shirt_number: lineups.shirtNumber, name: players.name })
        .from(lineups)
        .innerJoin(players, eq(players.id, lineups.playerId))
        .where(eq(lineups.matchId, matchId))
        .orderBy(asc(lineups.id)),

    async addCollaborator(matchId: number, email: string) {
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()));
      if (!u) throw new NotFoundError('user', email);
      await db.insert(liveCollaborators).values({ matchId, userId: u.id }).onConflictDoNothing();
      return u.id;
    },
    listCollaborators: (matchId: number) =>
      db
        .select({ user_id: users.id, email: users.email, display_name: users.displayName })
        .from(liveCollaborators)
        .innerJoin(users, eq(users.id, liveCollaborators.userId))
        .where(eq(liveCollaborators.matchId, matchId)),
    async removeCollaborator(matchId: number, userId: number) {
      await db.delete(liveCollaborators).where(and(eq(liveCollaborators.matchId, matchId), eq(liveCollaborators.userId, userId)));
    },

    async createShare(matchId: number, userId: number, body: { label?: string; expires_in_hours?: number }) {
      const token = randomToken(24);
      const expiresAt = body.expires_in_hours ? new Date(clock.now().getTime() + body.expires_in_hours * 3_600_000) : null;
      const [row] = await db
        .insert(liveShareLinks)
        .values({ matchId, tokenHash: sha256Hex(token), label: body.label ?? null, expiresAt, createdBy: userId, createdAt: clock.now() })
        .returning();
      return { row: row!, token };
    },
    listShares: (matchId: number) =>
      db.select().from(liveShareLinks).where(eq(liveShareLinks.matchId, matchId)).orderBy(asc(liveShareLinks.id)),
    async revokeShare(userId: number, shareId: number) {
      const [s] = await db.select().from(liveShareLinks).where(eq(liveShareLinks.id, shareId));
      if (!s || (await this.access(s.matchId, userId)) !== 'owner') throw new NotFoundError('share link', shareId);
      await db.update(liveShareLinks).set({ revokedAt: clock.now() }).where(and(eq(liveShareLinks.id, shareId), isNull(liveShareLinks.revokedAt)));
      return s.matchId;
    },
    /** The link and match a share token opens, or null when unknown, revoked or expired. */
    async shareForToken(token: string): Promise<{ matchId: number; shareId: number } | null> {
      const [s] = await db.select().from(liveShareLinks).where(eq(liveShareLinks.tokenHash, sha256Hex(token)));
      if (!s || s.revokedAt || (s.expiresAt && s.expiresAt.getTime() <= clock.now().getTime())) return null;
      return { matchId: s.matchId, shareId: s.id };
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;
