// Player queries as the API serves them: lists, accent-insensitive search, detail with
// team history, season totals with per-90 and per-game rates, and the game log.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import { NotFoundError } from '../../platform/errors.js';
import { pageOf, type PaginationQuery } from '../../platform/schemas.js';
import {
  findGameLogPage,
  findPlayer,
  findPlayerPage,
  findPlayerSeasonNames,
  findPlayerTotals,
  findSeasonCompetitions,
  findSpells,
  type GameLogRow,
  type PlayerCriteria,
  type PlayerSummaryRow,
} from './players-repository.js';
import { competitionRefView, teamRefView, type TeamRefRow } from './refs.js';
import { resolveSport, seasonFilter, seasonsNamed } from './resolve.js';
import type { GameLogRow as GameLogView, PlayerDetail, PlayerStats } from './schemas-players.js';
import { toSearchName } from './search-name.js';

type NullableTeam = { [K in keyof TeamRefRow]: TeamRefRow[K] | null };
const teamOrNull = (t: NullableTeam | null) =>
  t && t.id !== null && t.name !== null ? teamRefView({ ...t, id: t.id, name: t.name }) : null;

const summaryView = (r: PlayerSummaryRow) => ({
  id: r.id,
  name: r.name,
  position: r.position,
  sport: r.sport,
  team: teamOrNull(r.team),
  shirt_number: r.shirtNumber,
  nationality: r.nationality,
  injury_status: r.injuryStatus,
});

const TOTALS = [
  ['goals', 'goals'],
  ['assists', 'assists'],
  ['shots', 'shots'],
  ['shotsOnTarget', 'shots_on_target'],
  ['yellowCards', 'yellow_cards'],
  ['redCards', 'red_cards'],
  ['ownGoals', 'own_goals'],
  ['saves', 'saves'],
  ['points', 'points'],
  ['rebounds', 'rebounds'],
] as const;
type TotalKey = (typeof TOTALS)[number][1];

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function gameLogView(r: GameLogRow): Static<typeof GameLogView> {
  const atHome = r.homeTeamId === r.teamId;
  const teamScore = atHome ? r.homeScore : r.awayScore;
  const oppScore = atHome ? r.awayScore : r.homeScore;
  const result = r.status === 'final' && teamScore !== null && oppScore !== null ? (teamScore > oppScore ? 'W' : teamScore < oppScore ? 'L' : 'D') : null;
  const totals = Object.fromEntries(TOTALS.map(([k, out]) => [out, r[k]])) as Record<TotalKey, number | null>;
  return {
    match_id: r.matchId,
    match_date: r.matchDate,
    kickoff_at: r.kickoffAt?.toISOString() ?? null,
    status: r.status,
    competition: competitionRefView(r.competition),
    season: r.season,
    team_id: r.teamId,
    opponent: teamRefView(r.opponent),
    home_away: atHome ? 'home' : 'away',
    team_score: teamScore,
    opponent_score: oppScore,
    result,
    started: r.started,
    minutes: r.minutes,
    ...totals,
    extra: r.extra ?? {},
  };
}

export function createPlayerService(deps: { db: Db }) {
  const { db } = deps;

  async function criteria(q: { sport?: string; team?: number; position?: string }): Promise<PlayerCriteria | null> {
    const c: PlayerCriteria = {};
    if (q.sport !== undefined) {
      const sport = await resolveSport(db, q.sport);
      if (sport.id === null) return null;
      c.sportId = sport.id;
    }
    if (q.team !== undefined) c.teamId = q.team;
    if (q.position !== undefined) c.position = q.position;
    return c;
  }

  async function requirePlayer(id: number) {
    const row = await findPlayer(db, id);
    if (!row) throw new NotFoundError('player', id);
    return row;
  }

  return {
    async list(q: PaginationQuery & { sport?: string; team?: number; position?: string }) {
      const c = await criteria(q);
      if (!c) return pageOf([], 0, q);
      const { rows, total } = await findPlayerPage(db, c, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(summaryView), total, q);
    },

    async search(q: PaginationQuery & { q: string; sport?: string; team?: number; position?: string }) {
      const c = await criteria(q);
      const words = toSearchName(q.q).split(' ').filter(Boolean);
      // A query of only punctuation normalises to nothing and would match everyone.
      if (!c || words.length === 0) return pageOf([], 0, q);
      const { rows, total } = await findPlayerPage(db, { ...c, words }, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(summaryView), total, q);
    },

    async detail(id: number): Promise<Static<typeof PlayerDetail>> {
      const row = await requirePlayer(id);
      const spells = await findSpells(db, id);
      return {
        ...summaryView(row),
        first_name: row.firstName,
        last_name: row.lastName,
        date_of_birth: row.dateOfBirth,
        injury_note: row.injuryNote,
        spells: spells.map((s) => ({
          team: teamRefView(s.team),
          season: s.season && s.season.id !== null && s.season.name !== null ? { id: s.season.id, name: s.season.name } : null,
          from_date: s.fromDate,
          to_date: s.toDate,
          current: s.toDate === null,
        })),
        is_demo: row.isDemo,
        version: 'v1',
      };
    },

    async stats(id: number, q: { season?: string }): Promise<Static<typeof PlayerStats>> {
      const row = await requirePlayer(id);
      const available = await findPlayerSeasonNames(db, id);
      let seasonName: string | null;
      let seasonIds: number[];
      if (q.season !== undefined) {
        const named = await seasonFilter(db, q.season);
        seasonName = named[0]!.name;
        seasonIds = named.map((s) => s.id);
      } else {
        seasonName = available[0] ?? null;
        seasonIds = seasonName !== null ? (await seasonsNamed(db, seasonName)).map((s) => s.id) : [];
      }
      const t = seasonIds.length > 0 ? await findPlayerTotals(db, id, seasonIds) : null;
      const comps = seasonIds.length > 0 ? await findSeasonCompetitions(db, id, seasonIds) : [];
      const minutes = t?.minutes ?? null;
      const appearances = t?.appearances ?? 0;
      const totals = Object.fromEntries(TOTALS.map(([k, out]) => [out, t ? t[k] : null])) as Record<TotalKey, number | null>;
      const rate = (per: (v: number) => number | null) =>
        Object.fromEntries(TOTALS.filter(([, out]) => out !== 'own_goals').map(([, out]) => [out, totals[out] === null ? null : per(totals[out]!)]));
      return {
        player: { id: row.id, name: row.name, position: row.position },
        season: seasonName,
        competitions: comps.map(competitionRefView),
        appearances,
        starts: t?.starts ?? 0,
        minutes,
        ...totals,
        per_90: rate((v) => (minutes !== null && minutes > 0 ? round3((v * 90) / minutes) : null)),
        per_game: rate((v) => (appearances > 0 ? round3(v / appearances) : null)),
        available_seasons: available,
        version: 'v1',
      };
    },

    async gameLog(id: number, q: PaginationQuery & { season?: string }) {
      await requirePlayer(id);
      const seasonIds = q.season !== undefined ? (await seasonFilter(db, q.season)).map((s) => s.id) : undefined;
      const { rows, total } = await findGameLogPage(db, id, seasonIds, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(gameLogView), total, q);
    },
  };
}

export type PlayerService = ReturnType<typeof createPlayerService>;
