// A small soccer league for the props endpoints: four teams, a round-robin of finished
// matches in early 2024 with a line for every player, and one scheduled match (Ajax v Benfica)
// after the test clock's date. Ajax's striker scores often, so his props stand out.
import type { Db } from '../../src/db/client.js';
import { createFactories, type PlayerRow, type MatchRow } from '../helpers/factories.js';

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
