// The demo soccer league: 20 invented clubs, a double round robin per season (38 weekly
// rounds from the second Saturday of August), scores drawn from a Dixon-Coles model and
// bookmaker prices derived from the same model's probabilities.
// Model: log-linear Poisson means, log λ_home = μ + h + attack_home − defence_away and
// log λ_away = μ + attack_away − defence_home, home advantage h = 0.25, with the
// Dixon-Coles low-score correction ρ = −0.08 (Dixon & Coles 1997, Applied Statistics 46).
// Team quality is drawn once per club and drifts a little each season; μ is set so a match
// averages about 2.7 goals, which with h = 0.25 gives home wins ≈ 45% and draws ≈ 25%,
// close to the big European leagues. Results are generated for every fixture whatever
// "today" is, then fixtures on or after today are published as scheduled, so a later run
// only completes fixtures and never rewrites a played one.
import { dixonColesMatrix } from '../../models/dixon-coles.js';
import { bothTeamsToScore, outcome1x2, overUnder } from '../../models/markets.js';
import { sampleIndex } from './random.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, ParsedOdds, ParsedPlayerMatch } from '../ingest/types.js';
import { addDays, at, doubleRoundRobin, isoDay, marketOdds, nthWeekday, randomFor, shuffled, type DemoBookmaker } from './common.js';
import { DEMO_SOCCER_CLUBS, playerNames, refereeName } from './names.js';
import { playSoccerMatch, type SideSetup, type SoccerPlayer, type SoccerPosition } from './soccer-match.js';

export const DEMO_SOCCER_COMPETITION: CompetitionRef = {
  code: 'demo-premier-league',
  name: 'Demo Premier League',
  sport: 'soccer',
  country: null,
  timezone: 'UTC',
};

export const SOCCER_MODEL = { intercept: 0.12, homeAdvantage: 0.25, rho: -0.08, qualitySd: 0.3 } as const;

/** A soccer bookmaker quoting ~5% over the 1X2, and a sharper one at ~3.5%. */
export const DEMO_SOCCER_BOOKS: DemoBookmaker[] = [
  { code: 'demo_book', margin: 0.05 },
  { code: 'demo_sharp', margin: 0.035 },
];

const POOL: Record<SoccerPosition, number> = { GK: 4, DEF: 9, MID: 9, FWD: 6 };
const SQUAD: Record<SoccerPosition, number> = { GK: 3, DEF: 7, MID: 7, FWD: 5 };
const FORMATIONS = [
  { DEF: 4, MID: 3, FWD: 3 },
  { DEF: 4, MID: 4, FWD: 2 },
  { DEF: 4, MID: 5, FWD: 1 },
];
const POSITIONS: SoccerPosition[] = ['GK', 'DEF', 'MID', 'FWD'];
/** Kick-off slots (day offset from Saturday, UTC hour, minute) for a round's ten matches. */
const SLOTS: [number, number, number][] = [
  [0, 11, 30], [0, 14, 0], [0, 14, 0], [0, 14, 0], [0, 14, 0], [0, 14, 0], [0, 16, 30], [1, 13, 0], [1, 13, 0], [1, 15, 30],
];

export function soccerSeasonName(year: number): string {
  return `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
}

export function soccerSeasonStart(year: number): Date {
  return nthWeekday(year, 7, 6, 2);
}

/** The day of a season's last round (round 38, a Sunday). */
export function soccerSeasonEnd(year: number): Date {
  return addDays(soccerSeasonStart(year), 37 * 7 + 1);
}

interface Club {
  index: number;
  quality: number;
  attackBias: number;
  defenceNoise: number;
  pool: SoccerPlayer[];
}

function clubs(seed: number): Club[] {
  const random = randomFor(seed, 'soccer:clubs');
  const names = playerNames(randomFor(seed, 'soccer:names'), DEMO_SOCCER_CLUBS.length * 28);
  let n = 0;
  return DEMO_SOCCER_CLUBS.map((_, index) => {
    const quality = SOCCER_MODEL.qualitySd * random.normal();
    const pool: SoccerPlayer[] = [];
    for (const position of POSITIONS) {
      for (let k = 0; k < POOL[position]; k++) {
        const name = names[n++]!;
        pool.push({ externalId: `soccer:${index + 1}:${pool.length + 1}`, name, position, skill: Math.min(1, Math.max(0, 0.5 + 0.2 * random.normal() + quality / 2)) });
      }
    }
    return { index, quality, attackBias: 0.08 * random.normal(), defenceNoise: 0.08 * random.normal(), pool };
  });
}

/** Strengths and squads for one season: quality drifts, squads turn over, depth reshuffles. */
function seasonSides(seed: number, year: number, all: Club[]) {
  return all.map((c) => {
    const random = randomFor(seed, `soccer:season:${year}:club:${c.index}`);
    const form = 0.1 * random.normal();
    const q = c.quality + form;
    const squad: SoccerPlayer[] = [];
    for (const position of POSITIONS) {
      const group = c.pool.filter((p) => p.position === position);
      const kept = shuffled(random, group).slice(0, SQUAD[position]);
      squad.push(...kept.map((p) => ({ p, key: p.skill + 0.15 * random.normal() })).sort((a, b) => b.key - a.key).map((x) => x.p));
    }
    return {
      attack: 0.75 * q + c.attackBias,
      defence: 0.65 * q + c.defenceNoise,
      squad,
      formation: FORMATIONS[random.int(0, FORMATIONS.length - 1)]!,
    };
  });
}

export interface SoccerSeasonOptions {
  seed: number;
  year: number;
  /** YYYY-MM-DD: fixtures on this day or later are published as scheduled. */
  today: string;
}

/** One season of the demo league as a ParsedFile, the same contract a real import produces. */
export function generateSoccerSeason(opts: SoccerSeasonOptions): ParsedFile {
  const { seed, year, today } = opts;
  const season = soccerSeasonName(year);
  const sides = seasonSides(seed, year, clubs(seed));
  const random = randomFor(seed, `soccer:season:${year}:matches`);
  const order = shuffled(random, DEMO_SOCCER_CLUBS.map((_, i) => i));
  const rounds = doubleRoundRobin(order.length);
  const start = soccerSeasonStart(year);
  const matches: ParsedMatch[] = [];
  const players: ParsedPlayerMatch[] = [];

  rounds.forEach((round, r) => {
    const saturday = addDays(start, 7 * r);
    round.forEach(([hi, ai], slot) => {
      const h = order[hi]!;
      const a = order[ai]!;
      const home = DEMO_SOCCER_CLUBS[h]!;
      const away = DEMO_SOCCER_CLUBS[a]!;
      const [dayOffset, hour, minute] = SLOTS[slot]!;
      const day = addDays(saturday, dayOffset);
      const date = isoDay(day);
      const lambdaHome = Math.exp(SOCCER_MODEL.intercept + SOCCER_MODEL.homeAdvantage + sides[h]!.attack - sides[a]!.defence);
      const lambdaAway = Math.exp(SOCCER_MODEL.intercept + sides[a]!.attack - sides[h]!.defence);
      const matrix = dixonColesMatrix(lambdaHome, lambdaAway, SOCCER_MODEL.rho, 10);
      // Everything below is drawn for every fixture, played or not, so the random stream
      // (and so every other match) does not depend on today.
      const cell = sampleIndex(random, matrix.p);
      const homeGoals = Math.floor(cell / (matrix.maxGoals + 1));
      const awayGoals = cell % (matrix.maxGoals + 1);
      const setup = (i: number, xg: number): SideSetup => ({ squad: sides[i]!.squad, formation: sides[i]!.formation, expectedGoals: xg });
      const [hr, ar] = playSoccerMatch(random, setup(h, lambdaHome), setup(a, lambdaAway), homeGoals, awayGoals);
      const referee = refereeName(random);
      const x12 = outcome1x2(matrix);
      const over = overUnder(matrix, 2.5).over.win;
      const btts = bothTeamsToScore(matrix).yes;
      const played = date < today;
      const odds: ParsedOdds[] = [];
      for (const book of DEMO_SOCCER_BOOKS) {
        // Opening prices are noisier than closing ones; upcoming fixtures only have opening.
        for (const [phase, noise] of [['opening', 0.1], ['closing', 0.05]] as const) {
          const rows = [
            ...marketOdds(random, book, phase, '1x2', null, ['home', 'draw', 'away'], [x12.home, x12.draw, x12.away], noise),
            ...marketOdds(random, book, phase, 'over_under', 2.5, ['over', 'under'], [over, 1 - over], noise),
            ...marketOdds(random, book, phase, 'btts', null, ['yes', 'no'], [btts, 1 - btts], noise),
          ];
          if (phase === 'opening' || played) odds.push(...rows);
        }
      }
      const externalId = `${DEMO_SOCCER_COMPETITION.code}:${season}:${r + 1}:${h + 1}-${a + 1}`;
      const htHome = hr.goalMinutes.filter((m) => m <= 45).length;
      const htAway = ar.goalMinutes.filter((m) => m <= 45).length;
      matches.push({
        line: matches.length + 1,
        competition: DEMO_SOCCER_COMPETITION,
        season,
        date,
        kickoffAt: at(day, hour, minute),
        home: home.name,
        away: away.name,
        status: played ? 'final' : 'scheduled',
        homeScore: played ? homeGoals : null,
        awayScore: played ? awayGoals : null,
        homeScoreHt: played ? htHome : null,
        awayScoreHt: played ? htAway : null,
        periodScores: played
          ? [
              { period: 'h1', home: htHome, away: htAway },
              { period: 'h2', home: homeGoals - htHome, away: awayGoals - htAway },
            ]
          : null,
        round: `Round ${r + 1}`,
        venue: home.venue,
        referee: played ? referee : null,
        teamStats: played ? { home: hr.stats, away: ar.stats } : null,
        odds,
        externalId,
      });
      if (!played) return;
      for (const [result, club] of [[hr, home], [ar, away]] as const) {
        for (const l of result.lines) {
          players.push({
            line: 0,
            externalId: l.player.externalId,
            name: l.player.name,
            position: l.player.position,
            team: club.name,
            matchExternalId: externalId,
            minutes: l.minutes,
            started: l.started,
            goals: l.goals,
            assists: l.assists,
            shots: l.shots,
            shotsOnTarget: l.shotsOnTarget,
            yellowCards: l.yellowCards,
            redCards: l.redCards,
            ownGoals: 0,
            saves: l.saves,
          });
        }
      }
    });
  });
  // Player lines follow the match lines, as if they were further rows of the same file.
  players.forEach((p, i) => (p.line = matches.length + 1 + i));
  return { source: 'demo', matches, players, rejected: [] };
}
