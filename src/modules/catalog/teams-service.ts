// Team queries as the API serves them: lists, detail, squad, season statistics, schedule,
// form and fixtures. Match lists reuse the match service so every route renders matches
// the same way.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { NotFoundError } from '../../platform/errors.js';
import { pageOf, type PaginationQuery } from '../../platform/schemas.js';
import { findMatchRows, type SortOrder } from './matches-repository.js';
import { addDays, resolveMatchCriteria, utcDate, type MatchFilterInput, type MatchService } from './matches-service.js';
import { competitionRefView, matchView, teamRefView } from './refs.js';
import { competitionById, competitionFilter, resolveSport, seasonFilter } from './resolve.js';
import type { TeamDetail, TeamForm, TeamStats } from './schemas-teams.js';
import { toSearchName } from './search-name.js';
import {
  findLastResultIds,
  findSquadPage,
  findTeam,
  findTeamAliases,
  findTeamMatchStats,
  findTeamPage,
  findTeamResults,
  findTeamSeasons,
  type TeamCriteria,
  type TeamSeasonRow,
  type TeamSummaryRow,
} from './teams-repository.js';

const summaryView = (r: TeamSummaryRow) => ({ ...teamRefView(r), sport: r.sport, country: r.country });

type Tally = { played: number; won: number; drawn: number; lost: number; goals_for: number; goals_against: number };
const emptyTally = (): Tally => ({ played: 0, won: 0, drawn: 0, lost: 0, goals_for: 0, goals_against: 0 });

function add(t: Tally, gf: number, ga: number): void {
  t.played += 1;
  t.goals_for += gf;
  t.goals_against += ga;
  if (gf > ga) t.won += 1;
  else if (gf < ga) t.lost += 1;
  else t.drawn += 1;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The season a team's statistics describe: the one asked for (a name can cover several
 * competitions: prefer a league, then the one with most of the team's matches), or the
 * team's latest season (a league's over a cup's when both end the same year).
 */
function pickSeason(candidates: TeamSeasonRow[], wanted: Set<number> | null): TeamSeasonRow | undefined {
  const pool = wanted ? candidates.filter((c) => wanted.has(c.id)) : candidates.filter((c) => c.name === candidates[0]?.name);
  return [...pool].sort((a, b) => Number(b.kind === 'league') - Number(a.kind === 'league') || b.matches - a.matches)[0];
}

export function createTeamService(deps: { db: Db; clock: Clock; matches: MatchService }) {
  const { db, clock } = deps;

  async function requireTeam(id: number) {
    const row = await findTeam(db, id);
    if (!row) throw new NotFoundError('team', id);
    return row;
  }

  return {
    async list(q: PaginationQuery & { sport?: string; competition?: string; season?: string; search?: string }) {
      const c: TeamCriteria = {};
      if (q.sport !== undefined) {
        const sport = await resolveSport(db, q.sport);
        if (sport.id === null) return pageOf([], 0, q);
        c.sportId = sport.id;
      }
      if (q.competition !== undefined) c.competitionId = (await competitionFilter(db, q.competition)).id;
      if (q.season !== undefined) c.seasonIds = (await seasonFilter(db, q.season, c.competitionId)).map((s) => s.id);
      if (q.search !== undefined) {
        c.search = toSearchName(q.search);
        c.searchRaw = q.search.trim().toLowerCase();
      }
      const { rows, total } = await findTeamPage(db, c, q.page_size, (q.page - 1) * q.page_size);
      return pageOf(rows.map(summaryView), total, q);
    },

    async detail(id: number): Promise<Static<typeof TeamDetail>> {
      const row = await requireTeam(id);
      const [aliases, seasons] = await Promise.all([findTeamAliases(db, id), findTeamSeasons(db, id)]);
      const seen = new Map<number, ReturnType<typeof competitionRefView>>();
      for (const s of seasons) if (!seen.has(s.competition.id)) seen.set(s.competition.id, competitionRefView(s.competition));
      return {
        ...summaryView(row),
        venue: row.venue && row.venue.id !== null ? row.venue : null,
        aliases,
        competitions: [...seen.values()],
        is_demo: row.isDemo,
        version: 'v1',
      };
    },

    async squad(id: number, q: PaginationQuery) {
      await requireTeam(id);
      const { rows, total } = await findSquadPage(db, id, q.page_size, (q.page - 1) * q.page_size);
      const items = rows.map((p) => ({
        id: p.id,
        name: p.name,
        position: p.position,
        shirt_number: p.shirtNumber,
        nationality: p.nationality,
        date_of_birth: p.dateOfBirth,
        injury_status: p.injuryStatus,
      }));
      return pageOf(items, total, q);
    },

    async stats(id: number, q: { season?: string; competition?: string }): Promise<Static<typeof TeamStats>> {
      const team = await requireTeam(id);
      const competitionId = q.competition !== undefined ? (await competitionFilter(db, q.competition)).id : undefined;
      const all = await findTeamSeasons(db, id);
      const candidates = competitionId !== undefined ? all.filter((s) => s.competition.id === competitionId) : all;
      let season: { id: number; name: string } | undefined;
      let competitionOfSeason: number | undefined;
      if (q.season !== undefined) {
        const named = await seasonFilter(db, q.season, competitionId);
        const chosen = pickSeason(candidates, new Set(named.map((s) => s.id)));
        // A real season the team did not play in is a valid question: its numbers are all zero.
        season = chosen ?? named[0];
        competitionOfSeason = chosen?.competition.id ?? named[0]?.competitionId;
      } else {
        const chosen = pickSeason(candidates, null);
        season = chosen;
        competitionOfSeason = chosen?.competition.id;
      }
      const competition = competitionOfSeason !== undefined ? await competitionById(db, String(competitionOfSeason)) : undefined;
      const rules = competition ? { win: competition.pointsWin, draw: competition.pointsDraw, loss: competition.pointsLoss } : undefined;
      const results = season ? await findTeamResults(db, id, [season.id]) : [];
      const total = emptyTally();
      const home = emptyTally();
      const away = emptyTally();
      for (const m of results) {
        if (m.homeScore === null || m.awayScore === null) continue;
        const atHome = m.homeTeamId === id;
        const gf = atHome ? m.homeScore : m.awayScore;
        const ga = atHome ? m.awayScore : m.homeScore;
        add(total, gf, ga);
        add(atHome ? home : away, gf, ga);
      }
      const statRows = await findTeamMatchStats(db, id, results.map((m) => m.id));
      const sums = new Map<string, { sum: number; n: number }>();
      for (const r of statRows) {
        for (const [k, v] of Object.entries(r.stats)) {
          if (typeof v !== 'number' || !Number.isFinite(v)) continue;
          const s = sums.get(k) ?? { sum: 0, n: 0 };
          s.sum += v;
          s.n += 1;
          sums.set(k, s);
        }
      }
      const points = rules ? total.won * rules.win + total.drawn * rules.draw + total.lost * rules.loss : 0;
      const per = (x: number) => (total.played === 0 ? 0 : round3(x / total.played));
      return {
        team: teamRefView(team),
        season: season ? { id: season.id, name: season.name } : null,
        competition: competition ? competitionRefView(competition) : null,
        ...total,
        goal_difference: total.goals_for - total.goals_against,
        points,
        win_pct: total.played === 0 ? 0 : round3((total.won + total.drawn / 2) / total.played),
        goals_for_per_match: per(total.goals_for),
        goals_against_per_match: per(total.goals_against),
        home,
        away,
        averages: Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => [k, round3(s.sum / s.n)])),
        matches_with_stats: statRows.length,
        available_seasons: all.map((s) => ({ id: s.id, name: s.name, competition: competitionRefView(s.competition), matches: s.matches })),
        version: 'v1',
      };
    },

    async schedule(id: number, q: PaginationQuery & Omit<MatchFilterInput, 'team' | 'sport'> & { sort?: SortOrder }) {
      await requireTeam(id);
      const criteria = await resolveMatchCriteria(db, { ...q, team: id });
      return deps.matches.page(criteria, q.sort ?? 'date', q);
    },

    async fixtures(id: number, q: PaginationQuery & { days?: number }) {
      await requireTeam(id);
      const today = utcDate(clock.now());
      const criteria = await resolveMatchCriteria(db, {
        team: id,
        status: 'scheduled',
        date_from: today,
        ...(q.days !== undefined ? { date_to: addDays(today, q.days - 1) } : {}),
      });
      return deps.matches.page(criteria, 'date', q);
    },

    async form(id: number, q: { n: number; competition?: string }): Promise<Static<typeof TeamForm>> {
      const team = await requireTeam(id);
      const competitionId = q.competition !== undefined ? (await competitionFilter(db, q.competition)).id : undefined;
      const ids = await findLastResultIds(db, id, q.n, competitionId);
      const rows = ids.length > 0 ? await findMatchRows(db, { matchIds: ids }, 'date', ids.length) : [];
      const items = rows
        .filter((m) => m.homeScore !== null && m.awayScore !== null)
        .map((m) => {
          const atHome = m.home.id === id;
          const gf = (atHome ? m.homeScore : m.awayScore)!;
          const ga = (atHome ? m.awayScore : m.homeScore)!;
          const result: 'W' | 'D' | 'L' = gf > ga ? 'W' : gf < ga ? 'L' : 'D';
          return {
            result,
            venue: atHome ? ('home' as const) : ('away' as const),
            goals_for: gf,
            goals_against: ga,
            opponent: teamRefView(atHome ? m.away : m.home),
            match: matchView(m),
          };
        });
      return {
        team: teamRefView(team),
        form: items.map((i) => i.result).join(''),
        points: items.reduce((p, i) => p + (i.result === 'W' ? 3 : i.result === 'D' ? 1 : 0), 0),
        matches: items,
        version: 'v1',
      };
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
