// Simulated leagues with known true parameters, for parameter-recovery tests and fit
// benchmarks: a double round-robin schedule (circle method), soccer scores drawn exactly
// from a Dixon-Coles score matrix, and points-sport scores drawn from the margin model's
// normal team-points equations. Seeded, so a simulation is a fixed data set.
import { dixonColesMatrix } from './dixon-coles.js';
import type { GoalsData } from './goals-data.js';
import type { ScoreMatrix } from './markets.js';
import type { PointsData } from './margin.js';
import { type Random, sampleIndex, seededRandom } from './random.js';

/** Rounds of (home, away) pairs in which every pair meets once home and once away. */
export function doubleRoundRobin(teams: number): [number, number][][] {
  if (teams < 2) throw new RangeError('need at least two teams');
  const ids = Array.from({ length: teams % 2 === 0 ? teams : teams + 1 }, (_, i) => i);
  const bye = teams % 2 === 0 ? -1 : teams;
  const n = ids.length;
  const first: [number, number][][] = [];
  for (let r = 0; r < n - 1; r++) {
    const round: [number, number][] = [];
    for (let i = 0; i < n / 2; i++) {
      const a = ids[i]!;
      const b = ids[n - 1 - i]!;
      if (a === bye || b === bye) continue;
      // Alternate home and away so nobody plays all first-leg matches at home.
      round.push((r + i) % 2 === 0 ? [a, b] : [b, a]);
    }
    first.push(round);
    ids.splice(1, 0, ids.pop()!); // rotate all but the first
  }
  const second = first.map((round) => round.map(([h, a]) => [a, h] as [number, number]));
  return [...first, ...second];
}

export interface GoalsTruth {
  attack: ArrayLike<number>;
  defence: ArrayLike<number>;
  intercept: number;
  homeAdvantage: number;
  rho: number;
}

export interface SimulatedGoals extends GoalsData {
  /** Day number of each match (0 = first day simulated). */
  day: Float64Array;
}

/**
 * `seasons` double round-robins, one round every `daysBetweenRounds` days, each score drawn
 * exactly from the score matrix `matrixFor(home, away)` returns.
 */
export function simulateScoreLeague(
  teams: number,
  matrixFor: (home: number, away: number) => ScoreMatrix,
  options: { seasons: number; seed: number; daysBetweenRounds?: number },
): SimulatedGoals {
  const rounds = doubleRoundRobin(teams);
  const random = seededRandom(options.seed);
  const gap = options.daysBetweenRounds ?? 7;
  const rows: [number, number, number, number, number][] = [];
  let day = 0;
  for (let s = 0; s < options.seasons; s++) {
    for (const round of rounds) {
      for (const [h, a] of round) {
        const m = matrixFor(h, a);
        const cell = sampleIndex(random, m.p);
        rows.push([h, a, Math.floor(cell / (m.maxGoals + 1)), cell % (m.maxGoals + 1), day]);
      }
      day += gap;
    }
    day += 60; // summer break
  }
  return {
    home: Int32Array.from(rows, (r) => r[0]),
    away: Int32Array.from(rows, (r) => r[1]),
    homeGoals: Int32Array.from(rows, (r) => r[2]),
    awayGoals: Int32Array.from(rows, (r) => r[3]),
    day: Float64Array.from(rows, (r) => r[4]),
  };
}

/** A league whose scores follow Dixon-Coles with the given true parameters. */
export function simulateDixonColesLeague(
  truth: GoalsTruth,
  options: { seasons: number; seed: number; daysBetweenRounds?: number },
): SimulatedGoals {
  const matrixFor = (h: number, a: number) =>
    dixonColesMatrix(
      Math.exp(truth.intercept + truth.homeAdvantage + truth.attack[h]! - truth.defence[a]!),
      Math.exp(truth.intercept + truth.attack[a]! - truth.defence[h]!),
      truth.rho,
      15,
    );
  return simulateScoreLeague(truth.attack.length, matrixFor, options);
}

/** Dixon-Coles-like true strengths: attack and defence normal with the given spread, centred. */
export function randomStrengths(teams: number, spread: number, random: Random): { attack: Float64Array; defence: Float64Array } {
  const attack = new Float64Array(teams);
  const defence = new Float64Array(teams);
  for (let t = 0; t < teams; t++) {
    attack[t] = spread * random.normal();
    defence[t] = spread * random.normal();
  }
  for (const v of [attack, defence]) {
    let s = 0;
    for (const x of v) s += x;
    for (let t = 0; t < teams; t++) v[t] = v[t]! - s / teams;
  }
  return { attack, defence };
}

export interface PointsTruth {
  /** Points scored above the league average per team. */
  offence: ArrayLike<number>;
  /** Points conceded below the league average per team (positive = better defence). */
  defence: ArrayLike<number>;
  /** League-average points per team per game (neutral venue). */
  meanPoints: number;
  /** Home advantage on the margin, in points. */
  homeAdvantage: number;
  /** Standard deviation of each team's points around its expectation. */
  pointsSd: number;
}

/** Each pair meets `meetings` times per season, alternating venues; scores are rounded normals. */
export function simulatePointsLeague(truth: PointsTruth, options: { seasons: number; seed: number; meetings?: number }): PointsData {
  const teams = truth.offence.length;
  const rounds = doubleRoundRobin(teams);
  const random = seededRandom(options.seed);
  const cycles = Math.max(1, Math.round((options.meetings ?? 2) / 2));
  const rows: [number, number, number, number, number][] = [];
  let day = 0;
  for (let s = 0; s < options.seasons; s++) {
    for (let c = 0; c < cycles; c++) {
      for (const round of rounds) {
        for (const [h, a] of round) {
          const eh = truth.meanPoints + truth.homeAdvantage / 2 + truth.offence[h]! - truth.defence[a]!;
          const ea = truth.meanPoints - truth.homeAdvantage / 2 + truth.offence[a]! - truth.defence[h]!;
          let hp = Math.max(0, Math.round(eh + truth.pointsSd * random.normal()));
          let ap = Math.max(0, Math.round(ea + truth.pointsSd * random.normal()));
          if (hp === ap) {
            // Overtime decides: one extra point to a coin-flip winner.
            if (random.uniform() < 0.5) hp++;
            else ap++;
          }
          rows.push([h, a, hp, ap, day]);
        }
        day += 2;
      }
    }
    day += 150;
  }
  return {
    home: Int32Array.from(rows, (r) => r[0]),
    away: Int32Array.from(rows, (r) => r[1]),
    homePoints: Float64Array.from(rows, (r) => r[2]),
    awayPoints: Float64Array.from(rows, (r) => r[3]),
    // Ages relative to the last game day, as a fit made right after the last game would see them.
    ageDays: Float64Array.from(rows, (r) => rows[rows.length - 1]![4] - r[4]),
  };
}
