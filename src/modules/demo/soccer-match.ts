// What happens inside one demo soccer match, given its final score: who starts, who is
// substituted or sent off and when, who scores and assists each goal, shots, cards and
// saves. Models: goals are credited to a player on the pitch at the goal's minute with
// probability proportional to a position-based scoring weight (forwards ≫ midfielders ≫
// defenders, as in shares of Premier League goals); ~75% of goals have an assist, credited
// the same way with creative weights; non-scoring shots follow the team's expected goals
// (about 11 shots a match at 1.3 xG, ~30% of non-goals on target); yellow cards arrive at a
// per-90 rate by position (a team collects ~1.7 a match); ~5% of team-matches see a red.
// Every goal is credited to a player of the scoring team, so player goals sum to the score.
import { sampleIndex, type Random } from './random.js';

export type SoccerPosition = 'GK' | 'DEF' | 'MID' | 'FWD';

export interface SoccerPlayer {
  externalId: string;
  name: string;
  position: SoccerPosition;
  /** 0..1, how good: drives selection, scoring and creating. */
  skill: number;
}

export interface SideSetup {
  /** Squad in depth order within each position (first = first choice). */
  squad: SoccerPlayer[];
  formation: { DEF: number; MID: number; FWD: number };
  /** Expected goals of this side in this match (the score model's mean). */
  expectedGoals: number;
}

export interface PlayerLine {
  player: SoccerPlayer;
  started: boolean;
  minutes: number;
  goals: number;
  assists: number;
  shots: number;
  shotsOnTarget: number;
  yellowCards: number;
  redCards: number;
  saves: number | null;
}

export interface SideResult {
  lines: PlayerLine[];
  goalMinutes: number[];
  stats: Record<string, number>;
}

const GOAL_WEIGHT: Record<SoccerPosition, number> = { GK: 0.002, DEF: 0.12, MID: 0.4, FWD: 1 };
const ASSIST_WEIGHT: Record<SoccerPosition, number> = { GK: 0.02, DEF: 0.35, MID: 1, FWD: 0.6 };
const SHOT_WEIGHT: Record<SoccerPosition, number> = { GK: 0.001, DEF: 0.3, MID: 0.75, FWD: 1 };
const YELLOWS_PER_90: Record<SoccerPosition, number> = { GK: 0.04, DEF: 0.2, MID: 0.19, FWD: 0.11 };

interface Spell {
  line: PlayerLine;
  on: number;
  off: number;
}

const onPitch = (spells: Spell[], minute: number) => spells.filter((s) => s.on < minute && minute <= s.off);

function pick(random: Random, spells: Spell[], weight: (p: SoccerPlayer) => number): Spell {
  return spells[sampleIndex(random, spells.map((s) => weight(s.line.player)))]!;
}

/** Starters by depth with some rotation: a lower rank plus noise wins the shirt. */
function chooseStarters(random: Random, group: SoccerPlayer[], count: number): SoccerPlayer[] {
  return group
    .map((p, rank) => ({ p, key: rank + 2.2 * random.uniform() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map((x) => x.p);
}

function newLine(player: SoccerPlayer, started: boolean): PlayerLine {
  const gk = player.position === 'GK';
  return { player, started, minutes: 0, goals: 0, assists: 0, shots: 0, shotsOnTarget: 0, yellowCards: 0, redCards: 0, saves: gk ? 0 : null };
}

/** Line-ups, substitutions and red cards: who was on the pitch when. */
function lineup(random: Random, side: SideSetup): Spell[] {
  const by = (pos: SoccerPosition) => side.squad.filter((p) => p.position === pos);
  const keepers = by('GK');
  const keeper = random.uniform() < 0.92 || keepers.length < 2 ? keepers[0]! : keepers[1]!;
  const starters = [keeper];
  for (const pos of ['DEF', 'MID', 'FWD'] as const) starters.push(...chooseStarters(random, by(pos), side.formation[pos]));
  const spells: Spell[] = starters.map((p) => ({ line: newLine(p, true), on: 0, off: 90 }));

  const bench = side.squad.filter((p) => p.position !== 'GK' && !starters.includes(p));
  const subs = random.int(3, 5);
  for (let i = 0; i < subs && bench.length > 0; i++) {
    const minute = random.int(55, 88);
    const outfield = spells.filter((s) => s.line.player.position !== 'GK' && s.off === 90 && s.on < minute);
    if (outfield.length === 0) break;
    const leaving = outfield[random.int(0, outfield.length - 1)]!;
    const samePos = bench.findIndex((p) => p.position === leaving.line.player.position);
    const [coming] = bench.splice(samePos >= 0 ? samePos : 0, 1);
    leaving.off = minute;
    spells.push({ line: newLine(coming!, false), on: minute, off: 90 });
  }
  if (random.uniform() < 0.05) {
    const minute = random.int(15, 89);
    const candidates = spells.filter((s) => s.line.player.position !== 'GK' && s.on < minute && s.off === 90);
    if (candidates.length > 0) {
      const sent = candidates[random.int(0, candidates.length - 1)]!;
      sent.off = minute;
      sent.line.redCards = 1;
    }
  }
  for (const s of spells) s.line.minutes = s.off - s.on;
  return spells;
}

/**
 * Plays out both sides of a match whose score is already drawn. Returns each side's player
 * lines (only players who took the field), goal minutes and team statistics.
 */
export function playSoccerMatch(random: Random, home: SideSetup, away: SideSetup, homeGoals: number, awayGoals: number): [SideResult, SideResult] {
  const spells = [lineup(random, home), lineup(random, away)];
  const sides = [home, away];
  const goals = [homeGoals, awayGoals];
  const goalMinutes: number[][] = [[], []];
  const onTargetAgainst: number[][] = [[], []];

  for (let s = 0; s < 2; s++) {
    for (let g = 0; g < goals[s]!; g++) {
      const minute = random.int(1, 90);
      goalMinutes[s]!.push(minute);
      const present = onPitch(spells[s]!, minute);
      const scorer = pick(random, present, (p) => GOAL_WEIGHT[p.position] * (0.5 + p.skill));
      scorer.line.goals++;
      scorer.line.shots++;
      scorer.line.shotsOnTarget++;
      const others = present.filter((x) => x !== scorer);
      if (others.length > 0 && random.uniform() < 0.75) pick(random, others, (p) => ASSIST_WEIGHT[p.position] * (0.5 + p.skill)).line.assists++;
    }
    goalMinutes[s]!.sort((a, b) => a - b);
    const misses = random.poisson(Math.max(1.5, 10 * Math.sqrt(sides[s]!.expectedGoals / 1.3)));
    for (let k = 0; k < misses; k++) {
      const minute = random.int(1, 90);
      const shooter = pick(random, onPitch(spells[s]!, minute), (p) => SHOT_WEIGHT[p.position] * (0.6 + p.skill));
      shooter.line.shots++;
      if (random.uniform() < 0.3) {
        shooter.line.shotsOnTarget++;
        onTargetAgainst[1 - s]!.push(minute);
      }
    }
  }

  const results: SideResult[] = [];
  for (let s = 0; s < 2; s++) {
    for (const minute of onTargetAgainst[s]!) {
      const keeper = onPitch(spells[s]!, minute).find((x) => x.line.player.position === 'GK');
      if (keeper) keeper.line.saves! += 1;
    }
    for (const sp of spells[s]!) {
      if (random.uniform() < (YELLOWS_PER_90[sp.line.player.position] * sp.line.minutes) / 90) sp.line.yellowCards = 1;
    }
    const lines = spells[s]!.map((sp) => sp.line);
    const sum = (f: (l: PlayerLine) => number) => lines.reduce((acc, l) => acc + f(l), 0);
    const shots = sum((l) => l.shots);
    const share = sides[s]!.expectedGoals / (sides[0]!.expectedGoals + sides[1]!.expectedGoals);
    const possession = Math.round(Math.min(72, Math.max(28, 50 + 30 * (share - 0.5) + 4 * random.normal())));
    results.push({
      lines,
      goalMinutes: goalMinutes[s]!,
      stats: {
        shots,
        shots_on_target: sum((l) => l.shotsOnTarget),
        corners: random.poisson(1.5 + 0.3 * shots),
        fouls: random.poisson(10.5),
        yellow_cards: sum((l) => l.yellowCards),
        red_cards: sum((l) => l.redCards),
        possession_pct: possession,
      },
    });
  }
  // Possession is one number seen from both ends.
  results[1]!.stats.possession_pct = 100 - results[0]!.stats.possession_pct!;
  return [results[0]!, results[1]!];
}
