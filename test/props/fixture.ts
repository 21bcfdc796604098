// A small soccer league for the props endpoints: four teams, a round-robin of finished
// matches in early 2024 with a line for every player, and one scheduled match (Ajax v Benfica)
// after the test clock's date. Ajax's striker scores often, so his props stand out.
import type { Db } from '../../src/db/client.js';
import { matches, playerMatchStats } from '../../src/db/schema/index.js';
import { seededRandom } from '../../src/models/random.js';
import { createFactories, type PlayerRow, type MatchRow, type TeamRow } from '../helpers/factories.js';

export interface PropsLeague {
  upcoming: MatchRow;
  /** A later scheduled match of two other teams. */
  otherMatch: MatchRow;
  basketballMatch: MatchRow;
  players: Record<string, PlayerRow>;
}

const TEAMS = ['Ajax', 'Benfica', 'Celtic', 'Dynamo'];
const ROLES = [
  { role: 'fwd', position: 'FWD', minutes: 90 },
  { role: 'mid', position: 'MID', minutes: 90 },
  { role: 'def', position: 'DEF', minutes: 90 },
  { role: 'sub', position: 'MID', minutes: 20 },
];

export async function seedPropsLeague(db: Db): Promise<PropsLeague> {
  const f = createFactories(db);
  const league = await f.league({ teams: TEAMS, season: '2023-24' });
  const players: Record<string, PlayerRow> = {};
  for (const team of TEAMS) {
    for (const r of ROLES) {
      players[`${team}.${r.role}`] = await f.player({ name: `${team} ${r.role}`, position: r.position, currentTeamId: league.team(team).id });
    }
  }
  let day = 0;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < TEAMS.length; i++) {
      for (let j = 0; j < TEAMS.length; j++) {
        if (i === j) continue;
        const home = TEAMS[i]!;
        const away = TEAMS[j]!;
        // Deterministic scores: Ajax strong, others middling.
        const hs = home === 'Ajax' ? 3 : (i + j + round) % 3;
        const as = away === 'Ajax' ? 2 : (i * j + round) % 2;
        const date = new Date(Date.UTC(2024, 0, 2 + day)).toISOString().slice(0, 10);
        day += 2;
        const m = await league.play(home, away, hs, as, date);
        for (const [team, goals] of [[home, hs], [away, as]] as const) {
          for (const r of ROLES) {
            const p = players[`${team}.${r.role}`]!;
            // The striker takes most goals; the midfielder assists; the defender is booked.
            const g = r.role === 'fwd' ? Math.ceil(goals / 2) : r.role === 'mid' ? Math.floor(goals / 3) : 0;
            const a = r.role === 'mid' ? Math.min(goals, 1) : 0;
            const y = r.role === 'def' && (day + i) % 3 === 0 ? 1 : 0;
            await f.playerStats({ matchId: m.id, playerId: p.id, teamId: league.team(team).id, minutes: r.minutes, goals: g, assists: a, yellowCards: y, redCards: 0 });
          }
        }
      }
    }
  }
  const upcoming = await league.play('Ajax', 'Benfica', null, null, '2024-03-20');
  const otherMatch = await league.play('Celtic', 'Dynamo', null, null, '2024-03-21');
  const basketballMatch = await f.match({ competitionId: (await f.competition({ sport: 'basketball' })).id, matchDate: '2024-03-22' });
  return { upcoming, otherMatch, basketballMatch, players };
}

export interface PropsSeasons {
  competition: { id: number; code: string };
  teams: { id: number; name: string }[];
  /** players[team index][role index]: FWD, MID, DEF, and a MID substitute (20 minutes). */
  players: PlayerRow[][];
  upcoming: MatchRow;
  lastDate: string;
}

/**
 * A longer seeded league for training: `teams` teams, `rounds` double round-robins of
 * finished matches (one match day every 3 days from `firstDay`), random Poisson scores,
 * each goal credited to a listed player or nobody (own goals, unlisted players), ~70% with
 * an assist, random cards; plus one scheduled match of teams 0 and 1 after the last result.
 */
export async function seedPropsSeasons(db: Db, opts: { teams?: number; rounds?: number; firstDay?: string; seed?: number; code?: string } = {}): Promise<PropsSeasons> {
  const f = createFactories(db);
  const nTeams = opts.teams ?? 6;
  const rng = seededRandom(opts.seed ?? 11);
  const competition = await f.competition({ sport: 'soccer', code: opts.code ?? 'props-train-league' });
  const season = await f.season({ competitionId: competition.id, name: '2023-24' });
  const teams: TeamRow[] = [];
  const players: PlayerRow[][] = [];
  for (let i = 0; i < nTeams; i++) {
    const team = await f.team({ sportId: competition.sportId, name: `Props FC ${i + 1}` });
    teams.push(team);
    players.push(await Promise.all(TRAIN_ROLES.map((r) => f.player({ name: `${team.name} ${r.role}`, position: r.position, currentTeamId: team.id }))));
  }
  const fixtures: [number, number][] = [];
  for (let i = 0; i < nTeams; i++) for (let j = 0; j < nTeams; j++) if (i !== j) fixtures.push([i, j]);
  const perDay = nTeams / 2;
  const first = Date.parse(`${opts.firstDay ?? '2024-01-01'}T00:00:00Z`);
  const matchRows: (typeof matches.$inferInsert)[] = [];
  let k = 0;
  for (let round = 0; round < (opts.rounds ?? 3); round++) {
    for (const [i, j] of fixtures) {
      const date = new Date(first + Math.floor(k++ / perDay) * 3 * 86_400_000).toISOString().slice(0, 10);
      matchRows.push({
        sportId: competition.sportId,
        competitionId: competition.id,
        seasonId: season.id,
        homeTeamId: teams[i]!.id,
        awayTeamId: teams[j]!.id,
        matchDate: date,
        status: 'final',
        homeScore: rng.poisson(1.5 + 0.15 * (nTeams / 2 - i)),
        awayScore: rng.poisson(1.1 + 0.15 * (nTeams / 2 - j)),
      });
    }
  }
  const inserted = await db.insert(matches).values(matchRows).returning();
  const stats: (typeof playerMatchStats.$inferInsert)[] = [];
  for (const m of inserted) {
    for (const [teamId, goals] of [[m.homeTeamId, m.homeScore!], [m.awayTeamId, m.awayScore!]] as const) {
      const squad = players[teams.findIndex((t) => t.id === teamId)]!;
      const line = squad.map(() => ({ goals: 0, assists: 0 }));
      for (let g = 0; g < goals; g++) {
        const scorer = pickRole(rng.uniform(), TRAIN_ROLES.map((r) => r.goalShare));
        if (scorer >= 0) line[scorer]!.goals++;
        if (rng.uniform() < 0.7) {
          const assister = pickRole(rng.uniform(), TRAIN_ROLES.map((r, x) => (x === scorer ? 0 : r.assistShare)));
          if (assister >= 0) line[assister]!.assists++;
        }
      }
      squad.forEach((p, x) => {
        const r = TRAIN_ROLES[x]!;
        stats.push({ matchId: m.id, playerId: p.id, teamId, minutes: r.minutes, goals: line[x]!.goals, assists: line[x]!.assists, yellowCards: rng.uniform() < r.card ? 1 : 0, redCards: 0 });
      });
    }
  }
  for (let i = 0; i < stats.length; i += 500) await db.insert(playerMatchStats).values(stats.slice(i, i + 500));
  const lastDate = inserted.map((m) => m.matchDate).sort().at(-1)!;
  const upcomingDate = new Date(Date.parse(`${lastDate}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const upcoming = await f.match({ competitionId: competition.id, seasonId: season.id, homeTeamId: teams[0]!.id, awayTeamId: teams[1]!.id, matchDate: upcomingDate });
  return { competition, teams, players, upcoming, lastDate };
}

const TRAIN_ROLES = [
  { role: 'fwd', position: 'FWD', minutes: 90, goalShare: 0.45, assistShare: 0.25, card: 0.08 },
  { role: 'mid', position: 'MID', minutes: 90, goalShare: 0.25, assistShare: 0.4, card: 0.15 },
  { role: 'def', position: 'DEF', minutes: 90, goalShare: 0.1, assistShare: 0.15, card: 0.25 },
  { role: 'sub', position: 'MID', minutes: 20, goalShare: 0.05, assistShare: 0.05, card: 0.05 },
];

/** Index whose cumulative share first exceeds u, or −1 (the rest: nobody listed). */
function pickRole(u: number, shares: number[]): number {
  let acc = 0;
  for (let i = 0; i < shares.length; i++) {
    acc += shares[i]!;
    if (u < acc) return i;
  }
  return -1;
}
