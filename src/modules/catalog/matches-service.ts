// Match queries as the API serves them: resolves filters (sport aliases, competition codes,
// season names), pages through matches, and builds detail, box score and odds views.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import type { MatchStatus } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import { cachedRead } from '../../platform/cache/read.js';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import type { Cache } from '../../platform/cache/cache.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { pageOf, type PaginationQuery } from '../../platform/schemas.js';
import {
  findMatchExtras,
  findMatchOdds,
  findMatchPage,
  findMatchRow,
  findMatchStats,
  type MatchCriteria,
  type MatchCursor,
  type OddsFilter,
  type PlayerStatRow,
  type SortOrder,
} from './matches-repository.js';
import { matchView, teamRefView } from './refs.js';
import { checkDateRange, competitionFilter, resolveSport, seasonFilter } from './resolve.js';
import type { GameStats, MatchDetail, MatchOdds, PlayerGameStats } from './schemas-matches.js';

/** Filters as callers give them, before resolution. */
export interface MatchFilterInput {
  sport?: string;
  competition?: string;
  season?: string;
  team?: number;
  date_from?: string;
  date_to?: string;
  status?: MatchStatus;
}

/** UTC calendar date of an instant, YYYY-MM-DD. */
export const utcDate = (d: Date): string => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return utcDate(d);
}

/** Resolves a filter to ids; null when it can match nothing (a known sport with no data). */
export async function resolveMatchCriteria(db: Db, f: MatchFilterInput): Promise<MatchCriteria | null> {
  checkDateRange(f.date_from, f.date_to);
  const c: MatchCriteria = {};
  if (f.sport !== undefined) {
    const sport = await resolveSport(db, f.sport);
    if (sport.id === null) return null;
    c.sportId = sport.id;
  }
  if (f.competition !== undefined) c.competitionId = (await competitionFilter(db, f.competition)).id;
  if (f.season !== undefined) c.seasonIds = (await seasonFilter(db, f.season, c.competitionId)).map((s) => s.id);
  if (f.team !== undefined) c.teamId = f.team;
  if (f.date_from !== undefined) c.dateFrom = f.date_from;
  if (f.date_to !== undefined) c.dateTo = f.date_to;
  if (f.status !== undefined) c.statuses = [f.status];
  return c;
}

const STAT_FIELDS = [
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

function playerGameStats(r: PlayerStatRow, teamName: string): Static<typeof PlayerGameStats> {
  const stats: Record<string, number | string | boolean | null> = { ...(r.extra ?? {}) };
  // Only what the source recorded: a missing count is unknown, not zero.
  for (const [key, out] of STAT_FIELDS) if (r[key] !== null) stats[out] = r[key];
  return {
    player_id: r.playerId,
    player_name: r.name,
    team: teamName,
    team_id: r.teamId,
    position: r.position,
    started: r.started,
    minutes: r.minutes,
    stats,
  };
}

/** A keyset cursor as clients see it: opaque, URL-safe. */
export function encodeCursor(c: MatchCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.matchDate, c.kickoffAt, c.id])).toString('base64url');
}

/** The inverse of encodeCursor; a ValidationError for anything it did not make, or made for the other sort. */
export function decodeCursor(text: string, sort: SortOrder): MatchCursor {
  const bad = (why: string) => new ValidationError(`query parameter 'cursor' ${why}; pass the \`next\` value of the previous page as it was given`, 'cursor', text);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a page cursor');
  }
  if (!Array.isArray(v) || v.length !== 4) throw bad('is not a page cursor');
  const [s, d, k, id] = v as unknown[];
  if (s !== 'date' && s !== '-date') throw bad('is not a page cursor');
  if (s !== sort) throw bad(`was made for sort=${s}, not sort=${sort}`);
  if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw bad('is not a page cursor');
  if (k !== null && (typeof k !== 'string' || Number.isNaN(Date.parse(k)))) throw bad('is not a page cursor');
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) throw bad('is not a page cursor');
  return { sort: s, matchDate: d, kickoffAt: k, id };
}

export function createMatchService(deps: { db: Db; clock: Clock; cache?: Cache }) {
  const { db, clock } = deps;

  // Counts are exact, cached like lists (any import that changes data drops list:*), and
  // labelled: `total_source` says whether this request counted or read the cache.
  const total = deps.cache
    ? (criteria: MatchCriteria) => async (count: () => Promise<number>) => {
        const { value, cached } = await cachedRead(deps.cache!, cacheKeys.list('matches_count', { ...criteria }), CACHE_TTL_SECONDS.list, count);
        return { total: value, cached };
      }
    : undefined;

  async function page(criteria: MatchCriteria | null, sort: SortOrder, q: PaginationQuery & { cursor?: string }) {
    const cursor = q.cursor !== undefined ? decodeCursor(q.cursor, sort) : undefined;
    if (cursor && q.page > 1) throw new ValidationError("give either 'page' or 'cursor', not both", 'page', q.page);
    if (criteria === null) return { ...pageOf([], 0, q), next: null, total_source: 'counted' as const };
    const found = await findMatchPage(db, criteria, sort, q.page_size, (q.page - 1) * q.page_size, {
      ...(cursor ? { cursor } : {}),
      ...(total ? { total: total(criteria) } : {}),
    });
    return { ...pageOf(found.rows.map(matchView), found.total, q), next: found.next ? encodeCursor(found.next) : null, total_source: found.totalSource };
  }

  async function requireMatch(id: number) {
    const row = await findMatchRow(db, id);
    if (!row) throw new NotFoundError('match', id);
    return row;
  }

  return {
    page,

    async list(q: MatchFilterInput & PaginationQuery & { sort?: SortOrder; cursor?: string }) {
      return page(await resolveMatchCriteria(db, q), q.sort ?? '-date', q);
    },

    async today(q: PaginationQuery & { sport?: string }) {
      const today = utcDate(clock.now());
      return page(await resolveMatchCriteria(db, { sport: q.sport, date_from: today, date_to: today }), 'date', q);
    },

    /** Scheduled matches from today through `days` - 1 days ahead. */
    async upcoming(q: PaginationQuery & { sport?: string; competition?: string; days: number }) {
      const today = utcDate(clock.now());
      const criteria = await resolveMatchCriteria(db, {
        sport: q.sport,
        competition: q.competition,
        date_from: today,
        date_to: addDays(today, q.days - 1),
        status: 'scheduled',
      });
      return page(criteria, 'date', q);
    },

    async live(q: PaginationQuery & { sport?: string }) {
      return page(await resolveMatchCriteria(db, { sport: q.sport, status: 'in_progress' }), 'date', q);
    },

    async detail(id: number): Promise<Static<typeof MatchDetail>> {
      const row = await requireMatch(id);
      const { extras, sources } = await findMatchExtras(db, id);
      const x = extras!;
      return {
        ...matchView(row),
        half_time: x.homeScoreHt !== null && x.awayScoreHt !== null ? { home: x.homeScoreHt, away: x.awayScoreHt } : null,
        period_scores: x.periodScores ?? [],
        venue_detail:
          x.venueId !== null && row.venue !== null
            ? { id: x.venueId, name: row.venue, city: x.venueCity, country: x.venueCountry, capacity: x.venueCapacity }
            : null,
        referee: x.referee,
        attendance: x.attendance,
        sources: sources.map((s) => ({ source: s.source, source_ref: s.sourceRef, first_seen_at: s.firstSeenAt.toISOString() })),
        updated_at: x.updatedAt.toISOString(),
        version: 'v1',
      };
    },

    async stats(id: number): Promise<Static<typeof GameStats>> {
      const row = await requireMatch(id);
      const { teamStats, playerStats } = await findMatchStats(db, id);
      const statsOf = (teamId: number) => teamStats.find((t) => t.teamId === teamId)?.stats ?? {};
      const playersOf = (teamId: number, teamName: string) =>
        playerStats.filter((p) => p.teamId === teamId).map((p) => playerGameStats(p, teamName));
      return {
        game_id: id,
        match_id: id,
        home_team: teamRefView(row.home),
        away_team: teamRefView(row.away),
        home_team_stats: statsOf(row.home.id),
        away_team_stats: statsOf(row.away.id),
        home_players: playersOf(row.home.id, row.home.name),
        away_players: playersOf(row.away.id, row.away.name),
        version: 'v1',
      };
    },

    async odds(id: number, f: OddsFilter): Promise<Static<typeof MatchOdds>> {
      await requireMatch(id);
      const rows = await findMatchOdds(db, id, f);
      const markets = new Map<string, Static<typeof MatchOdds>['markets'][number]>();
      for (const r of rows) {
        let m = markets.get(r.market);
        if (!m) {
          m = { market: r.market, prices: [] };
          markets.set(r.market, m);
        }
        m.prices.push({
          bookmaker: r.bookmaker,
          bookmaker_name: r.bookmakerName,
          bookmaker_kind: r.bookmakerKind,
          selection: r.selection,
          line: r.line,
          price: r.price,
          phase: r.phase,
          captured_at: r.capturedAt?.toISOString() ?? null,
          source: r.source,
        });
      }
      return { match_id: id, total: rows.length, markets: [...markets.values()], version: 'v1' };
    },
  };
}

export type MatchService = ReturnType<typeof createMatchService>;
