// Per-test factories for catalogue data: sport, competition, season, venue, team (with
// aliases), player (with spells), match, team/player match statistics, bookmaker, odds.
//
// Every factory takes optional overrides (the table's insert shape) and fills the rest with
// valid defaults, creating whatever parent rows it needs: `await f.match()` alone creates a
// soccer competition, a season and two teams. Names and codes get a per-factory counter so
// repeated calls never collide with unique constraints. Sports, seasons and bookmakers are
// get-or-create by their natural key (code; competition + name; code).
//
//   const f = createFactories(t.database.db);
//   const lg = await f.league({ teams: ['Arsenal', 'Chelsea'] });
//   await lg.play('Arsenal', 'Chelsea', 2, 1, '2024-01-06');
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import {
  bookmakers,
  competitions,
  matches,
  odds as oddsTable,
  playerMatchStats,
  players,
  playerTeamSpells,
  seasons,
  sports,
  teamAliases,
  teamMatchStats,
  teams,
  venues,
  type OddsMarket,
  type OddsPhase,
} from '../../src/db/schema/index.js';
import { toSearchName } from '../../src/modules/catalog/search-name.js';

type Insert<T extends { $inferInsert: unknown }> = Partial<T['$inferInsert']>;
export type SportRow = typeof sports.$inferSelect;
export type CompetitionRow = typeof competitions.$inferSelect;
export type SeasonRow = typeof seasons.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type PlayerRow = typeof players.$inferSelect;
export type MatchRow = typeof matches.$inferSelect;

/** Realistic settings for the sports the product knows; anything else is a points sport without draws. */
const SPORT_PRESETS: Record<string, { name: string; scoring: string; drawsPossible: boolean }> = {
  soccer: { name: 'Soccer', scoring: 'goals', drawsPossible: true },
  basketball: { name: 'Basketball', scoring: 'points', drawsPossible: false },
  american_football: { name: 'American football', scoring: 'points', drawsPossible: true },
  baseball: { name: 'Baseball', scoring: 'runs', drawsPossible: false },
  ice_hockey: { name: 'Ice hockey', scoring: 'goals', drawsPossible: false },
};

export function createFactories(db: Db) {
  let n = 0;
  const next = () => (n += 1);
  const one = <T>(rows: T[]): T => rows[0]!;

  async function sport(o: Insert<typeof sports> = {}): Promise<SportRow> {
    const code = o.code ?? 'soccer';
    const [existing] = await db.select().from(sports).where(eq(sports.code, code)).limit(1);
    if (existing) return existing;
    const preset = SPORT_PRESETS[code] ?? { name: code, scoring: 'points', drawsPossible: false };
    return one(await db.insert(sports).values({ ...preset, ...o, code }).returning());
  }

  /** `sport` names the sport by code when no sportId is given (default soccer). */
  async function competition(o: Insert<typeof competitions> & { sport?: string } = {}): Promise<CompetitionRow> {
    const { sport: sportCode, ...rest } = o;
    const i = next();
    const sportId = rest.sportId ?? (await sport({ code: sportCode ?? 'soccer' })).id;
    return one(await db.insert(competitions).values({ code: `test-league-${i}`, name: `Test League ${i}`, country: 'England', ...rest, sportId }).returning());
  }

  /** Get-or-create by (competition, name); default name 2023-24 in a new competition. */
  async function season(o: Insert<typeof seasons> = {}): Promise<SeasonRow> {
    const competitionId = o.competitionId ?? (await competition()).id;
    const name = o.name ?? '2023-24';
    const [existing] = await db
      .select()
      .from(seasons)
      .where(and(eq(seasons.competitionId, competitionId), eq(seasons.name, name)))
      .limit(1);
    if (existing) return existing;
    return one(await db.insert(seasons).values({ ...o, competitionId, name }).returning());
  }

  async function venue(o: Insert<typeof venues> = {}) {
    return one(await db.insert(venues).values({ name: `Test Stadium ${next()}`, ...o }).returning());
  }

  async function team(o: Insert<typeof teams> & { sport?: string } = {}): Promise<TeamRow> {
    const { sport: sportCode, ...rest } = o;
    const name = rest.name ?? `Team ${next()}`;
    const sportId = rest.sportId ?? (await sport({ code: sportCode ?? 'soccer' })).id;
    return one(await db.insert(teams).values({ nameKey: toSearchName(name), ...rest, name, sportId }).returning());
  }

  async function teamAlias(teamId: number, alias: string, o: Insert<typeof teamAliases> = {}) {
    const [t] = await db.select({ sportId: teams.sportId }).from(teams).where(eq(teams.id, teamId)).limit(1);
    return one(
      await db
        .insert(teamAliases)
        .values({ sportId: t!.sportId, teamId, alias, aliasKey: toSearchName(alias), ...o })
        .returning(),
    );
  }

  /** A player of `currentTeamId`'s sport (or `sport`, default soccer); search_name is filled as importers do. */
  async function player(o: Insert<typeof players> & { sport?: string } = {}): Promise<PlayerRow> {
    const { sport: sportCode, ...rest } = o;
    const name = rest.name ?? `Player ${next()}`;
    let sportId = rest.sportId;
    if (sportId === undefined && rest.currentTeamId != null) {
      const [t] = await db.select({ sportId: teams.sportId }).from(teams).where(eq(teams.id, rest.currentTeamId)).limit(1);
      sportId = t?.sportId;
    }
    sportId ??= (await sport({ code: sportCode ?? 'soccer' })).id;
    return one(await db.insert(players).values({ searchName: toSearchName(name), ...rest, name, sportId }).returning());
  }

  async function spell(o: Insert<typeof playerTeamSpells> & { playerId: number; teamId: number }) {
    return one(await db.insert(playerTeamSpells).values(o).returning());
  }

  /**
   * A match. Parents default to new rows (competition, its 2023-24 season, two teams of its
   * sport); the date defaults to a fresh day so match identities never collide. `score`
   * sets both scores and makes the status 'final' unless a status is given.
   */
  async function match(o: Insert<typeof matches> & { score?: [number, number] } = {}): Promise<MatchRow> {
    const { score, ...rest } = o;
    let competitionId = rest.competitionId;
    if (competitionId === undefined && rest.seasonId !== undefined) {
      const [s] = await db.select({ competitionId: seasons.competitionId }).from(seasons).where(eq(seasons.id, rest.seasonId)).limit(1);
      competitionId = s!.competitionId;
    }
    competitionId ??= (await competition()).id;
    const [c] = await db.select({ sportId: competitions.sportId }).from(competitions).where(eq(competitions.id, competitionId)).limit(1);
    const sportId = c!.sportId;
    const seasonId = rest.seasonId ?? (await season({ competitionId })).id;
    const homeTeamId = rest.homeTeamId ?? (await team({ sportId })).id;
    const awayTeamId = rest.awayTeamId ?? (await team({ sportId })).id;
    const i = next();
    const matchDate = rest.matchDate ?? new Date(Date.UTC(2023, 7, 1 + i)).toISOString().slice(0, 10);
    const homeScore = score ? score[0] : rest.homeScore;
    const awayScore = score ? score[1] : rest.awayScore;
    const status = rest.status ?? (homeScore != null && awayScore != null ? 'final' : 'scheduled');
    return one(
      await db
        .insert(matches)
        .values({ ...rest, competitionId, sportId, seasonId, homeTeamId, awayTeamId, matchDate, homeScore, awayScore, status })
        .returning(),
    );
  }

  async function teamStats(matchId: number, teamId: number, side: 'home' | 'away', stats: Record<string, number>) {
    return one(await db.insert(teamMatchStats).values({ matchId, teamId, side, stats }).returning());
  }

  /** A player's line in a match; the team defaults to the player's current team. */
  async function playerStats(o: Insert<typeof playerMatchStats> & { matchId: number; playerId: number }) {
    let teamId = o.teamId;
    if (teamId === undefined) {
      const [p] = await db.select({ teamId: players.currentTeamId }).from(players).where(eq(players.id, o.playerId)).limit(1);
      teamId = p?.teamId ?? undefined;
    }
    if (teamId === undefined) throw new Error('playerStats: give teamId or a player with a current team');
    return one(await db.insert(playerMatchStats).values({ ...o, teamId }).returning());
  }

  async function bookmaker(code = 'bet365', o: Insert<typeof bookmakers> = {}) {
    const [existing] = await db.select().from(bookmakers).where(eq(bookmakers.code, code)).limit(1);
    if (existing) return existing;
    return one(await db.insert(bookmakers).values({ name: code, ...o, code }).returning());
  }

  /** One price; defaults: bet365, 1x2, home, closing, 2.0. */
  async function odds(
    o: { matchId: number; bookmaker?: string; market?: OddsMarket; selection?: string; line?: number | null; price?: number; phase?: OddsPhase; capturedAt?: Date | null; source?: string },
  ) {
    const b = await bookmaker(o.bookmaker ?? 'bet365');
    return one(
      await db
        .insert(oddsTable)
        .values({
          matchId: o.matchId,
          bookmakerId: b.id,
          market: o.market ?? '1x2',
          selection: o.selection ?? 'home',
          line: o.line ?? null,
          price: o.price ?? 2,
          phase: o.phase ?? 'closing',
          capturedAt: o.capturedAt ?? null,
          source: o.source ?? 'test',
        })
        .returning(),
    );
  }

  /**
   * A competition, one season and named teams, with `play` to record results by team name:
   * the quickest way to build a small league with a known table.
   */
  async function league(o: { teams: string[]; competition?: Insert<typeof competitions> & { sport?: string }; season?: string }) {
    const comp = await competition(o.competition ?? {});
    const s = await season({ competitionId: comp.id, name: o.season ?? '2023-24' });
    const byName = new Map<string, TeamRow>();
    for (const name of o.teams) byName.set(name, await team({ name, sportId: comp.sportId }));
    const teamOf = (name: string) => {
      const t = byName.get(name);
      if (!t) throw new Error(`league: no team named ${name}`);
      return t;
    };
    return {
      competition: comp,
      season: s,
      teams: byName,
      team: teamOf,
      /** A final result (or, with a null score, a scheduled match). */
      play: (home: string, away: string, hs: number | null, as: number | null, date?: string, extra: Insert<typeof matches> = {}) =>
        match({
          ...extra,
          competitionId: comp.id,
          seasonId: s.id,
          homeTeamId: teamOf(home).id,
          awayTeamId: teamOf(away).id,
          ...(date !== undefined ? { matchDate: date } : {}),
          ...(hs !== null && as !== null ? { score: [hs, as] as [number, number] } : {}),
        }),
    };
  }

  return { sport, competition, season, venue, team, teamAlias, player, spell, match, teamStats, playerStats, bookmaker, odds, league };
}

export type Factories = ReturnType<typeof createFactories>;
