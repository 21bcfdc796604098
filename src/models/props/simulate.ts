// tier2 player props: one seeded Monte Carlo simulation of a whole match, so every player
// prop, match market and any combination of them is read from the same draws.
//
// Each draw: (1) the scoreline from the match model's score matrix; (2) each player's
// minutes from his minutes mixture; (3) every goal of a side is allocated to a scorer with
// probability equal to his share s_i = r_i·m_i/90 / λ_side (r_i his opponent-adjusted
// per-90 scoring rate, m_i his minutes in the draw, λ_side the side's expected goals), the
// rest to "anyone else" (unlisted players, own goals); with Poisson team goals this keeps
// the player's marginal at 1 − e^{−r·m/90}, the tier1 Poisson value, while making his goal
// imply his team scored; (4) each goal gets an assister among the scorer's teammates with
// share a_j / (1 − s_j) (inflated because nobody assists his own goal, so the marginal
// stays a_j per goal) or none; (5) cards are Poisson in minutes with the rate multiplied by
// exp(γ·d) / E[exp(γ·d)], d the side's final deficit clipped to ±2: trailing sides foul
// more (game state), the normaliser keeping the card marginal. Outcomes are stored as bit
// sets (one bit per draw) so joint probabilities are ANDs and popcounts. The Monte Carlo
// standard error of a probability p from N draws is √(p(1 − p)/N) ≤ 0.5/√N, so N > 10 000
// keeps it under 0.005 for any leg.
import type { ScoreMatrix } from '../markets.js';
import { seededRandom, type Random } from '../random.js';
import type { MinutesScenario } from './tier1.js';

export const DEFAULT_DRAWS = 16_384;

export interface SimPlayer {
  /** 0 = home, 1 = away. */
  side: 0 | 1;
  /** Opponent-adjusted per-90 rates. */
  goalRate90: number;
  assistRate90: number;
  cardRate90: number;
  minutes: readonly MinutesScenario[];
}

export interface SimulationInput {
  matrix: ScoreMatrix;
  players: readonly SimPlayer[];
  /**
   * When the players listed are everyone who can score (the match's full squad), each goal
   * goes to them in proportion to their expected goals, leaving only this share to own
   * goals; when omitted, shares are r·m/90/λ and the rest goes to unlisted players.
   */
  completeRosterOtherShare?: number;
  /** γ: log card-rate multiplier per goal of deficit (0 = cards ignore the score). */
  cardStateEffect?: number;
  draws?: number;
  seed: number;
}

export interface MatchSimulation {
  draws: number;
  homeGoals: Uint8Array;
  awayGoals: Uint8Array;
  /** Per player: bit d set when he scored (assisted, was carded) in draw d. */
  goal: Uint32Array[];
  assist: Uint32Array[];
  card: Uint32Array[];
}

function expectedSideGoals(m: ScoreMatrix): [number, number] {
  const n = m.maxGoals + 1;
  let h = 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h += i * m.p[i * n + j]!;
      a += j * m.p[i * n + j]!;
    }
  }
  return [h, a];
}

function stateMultiplierNorm(m: ScoreMatrix, gamma: number): [number, number] {
  const n = m.maxGoals + 1;
  let zh = 0;
  let za = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = Math.max(-2, Math.min(2, j - i));
      zh += m.p[i * n + j]! * Math.exp(gamma * d);
      za += m.p[i * n + j]! * Math.exp(-gamma * d);
    }
  }
  return [zh, za];
}

/** Index of a player in `weights` (with `none` as the last slot's weight), or −1 for none. */
function pick(random: Random, idx: Int32Array, weights: Float64Array, none: number): number {
  let total = none;
  for (let x = 0; x < idx.length; x++) total += weights[idx[x]!]!;
  let u = random.uniform() * total;
  for (let x = 0; x < idx.length; x++) {
    const i = idx[x]!;
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return -1;
}

const setBit = (bits: Uint32Array, d: number) => {
  bits[d >>> 5] = bits[d >>> 5]! | (1 << (d & 31));
};

export function simulateMatch(input: SimulationInput): MatchSimulation {
  const draws = input.draws ?? DEFAULT_DRAWS;
  const gamma = input.cardStateEffect ?? 0;
  const m = input.matrix;
  const n = m.maxGoals + 1;
  const cdf = new Float64Array(n * n);
  let acc = 0;
  for (let k = 0; k < n * n; k++) cdf[k] = acc += m.p[k]!;
  const lambda = expectedSideGoals(m);
  const norm = stateMultiplierNorm(m, gamma);
  const players = input.players;
  const P = players.length;
  const words = (draws + 31) >>> 5;
  const goal = players.map(() => new Uint32Array(words));
  const assist = players.map(() => new Uint32Array(words));
  const card = players.map(() => new Uint32Array(words));
  const homeGoals = new Uint8Array(draws);
  const awayGoals = new Uint8Array(draws);
  // Everything that depends only on a player's minutes scenario (and the side's deficit) is
  // tabulated once, in typed arrays, so a draw only picks scenarios and reads the tables;
  // the arithmetic and the order of the random numbers are those of the direct form.
  const sideIdx = [Int32Array.from(players.flatMap((p, i) => (p.side === 0 ? [i] : []))), Int32Array.from(players.flatMap((p, i) => (p.side === 1 ? [i] : [])))] as const;
  const offset = new Int32Array(P + 1);
  players.forEach((p, i) => (offset[i + 1] = offset[i]! + p.minutes.length));
  const S = offset[P]!;
  const weight = new Float64Array(S);
  const goalShare = new Float64Array(S);
  const assistShare = new Float64Array(S);
  const cardP = new Float64Array(S * 5);
  const mults = [0, 1].map((side) => Array.from({ length: 5 }, (_, d) => Math.exp(gamma * (d - 2)) / norm[side]!));
  players.forEach((p, i) => {
    const lam = Math.max(lambda[p.side], 1e-9);
    p.minutes.forEach((sc, k) => {
      const j = offset[i]! + k;
      weight[j] = sc.weight;
      goalShare[j] = (p.goalRate90 * sc.minutes) / 90 / lam;
      assistShare[j] = (p.assistRate90 * sc.minutes) / 90 / lam;
      for (let d = 0; d < 5; d++) cardP[j * 5 + d] = 1 - Math.exp(-((p.cardRate90 * sc.minutes * mults[p.side]![d]!) / 90));
    });
  });
  const scenario = new Int32Array(P);
  const share = new Float64Array(P);
  const inflated = new Float64Array(P);
  const other = input.completeRosterOtherShare;
  const random = seededRandom(input.seed);
  for (let d = 0; d < draws; d++) {
    const u = random.uniform() * acc;
    let lo = 0;
    let hi = n * n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const hg = Math.floor(lo / n);
    const ag = lo % n;
    homeGoals[d] = hg;
    awayGoals[d] = ag;
    for (let i = 0; i < P; i++) {
      const first = offset[i]!;
      const count = offset[i + 1]! - first;
      let pick = first + count - 1;
      if (count > 1) {
        let v = random.uniform();
        for (let k = first; k < first + count; k++) {
          v -= weight[k]!;
          if (v < 0) {
            pick = k;
            break;
          }
        }
      }
      scenario[i] = pick;
    }
    for (let side = 0; side < 2; side++) {
      const idx = sideIdx[side]!;
      const sideGoals = side === 0 ? hg : ag;
      let sumS = 0;
      let sumA = 0;
      for (let x = 0; x < idx.length; x++) {
        const i = idx[x]!;
        share[i] = goalShare[scenario[i]!]!;
        sumS += share[i]!;
      }
      // Shares above 1 in total are rescaled: the side's goals are all there is to allocate.
      const scale = other !== undefined && sumS > 0 ? (1 - other) / sumS : sumS > 1 ? 1 / sumS : 1;
      for (let x = 0; x < idx.length; x++) {
        const i = idx[x]!;
        share[i] = share[i]! * scale;
        inflated[i] = assistShare[scenario[i]!]! / Math.max(1e-9, 1 - share[i]!);
        sumA += inflated[i]!;
      }
      const noneScorer = Math.max(0, 1 - sumS * scale);
      for (let g = 0; g < sideGoals; g++) {
        const scorer = pick(random, idx, share, noneScorer);
        if (scorer >= 0) setBit(goal[scorer]!, d);
        const others = scorer >= 0 ? sumA - inflated[scorer]! : sumA;
        const saved = scorer >= 0 ? inflated[scorer]! : 0;
        if (scorer >= 0) inflated[scorer] = 0;
        const assister = pick(random, idx, inflated, Math.max(0, 1 - others));
        if (scorer >= 0) inflated[scorer] = saved;
        if (assister >= 0) setBit(assist[assister]!, d);
      }
      const deficit = Math.max(-2, Math.min(2, (side === 0 ? ag - hg : hg - ag)));
      for (let x = 0; x < idx.length; x++) {
        const i = idx[x]!;
        if (random.uniform() < cardP[scenario[i]! * 5 + deficit + 2]!) setBit(card[i]!, d);
      }
    }
  }
  return { draws, homeGoals, awayGoals, goal, assist, card };
}

export type PlayerProp = 'goal' | 'assist' | 'card';
export type MatchMarket = 'home_win' | 'draw' | 'away_win' | 'home_scores' | 'away_scores' | 'btts' | 'over' | 'under';

export type Leg =
  | { kind: 'player'; player: number; prop: PlayerProp }
  | { kind: 'match'; market: MatchMarket; line?: number };

/** Whether a match market holds at the score h–a (over/under against a goal line). */
export function marketHolds(market: MatchMarket, h: number, a: number, line: number): boolean {
  switch (market) {
    case 'home_win':
      return h > a;
    case 'draw':
      return h === a;
    case 'away_win':
      return a > h;
    case 'home_scores':
      return h > 0;
    case 'away_scores':
      return a > 0;
    case 'btts':
      return h > 0 && a > 0;
    case 'over':
      return h + a > line;
    case 'under':
      return h + a < line;
  }
}

/** The draws on which a leg holds, as a bit set. */
export function legBits(sim: MatchSimulation, leg: Leg): Uint32Array {
  if (leg.kind === 'player') {
    const bits = sim[leg.prop][leg.player];
    if (!bits) throw new RangeError(`no player ${leg.player} in the simulation`);
    return bits;
  }
  const bits = new Uint32Array((sim.draws + 31) >>> 5);
  const line = leg.line ?? 2.5;
  for (let d = 0; d < sim.draws; d++) if (marketHolds(leg.market, sim.homeGoals[d]!, sim.awayGoals[d]!, line)) setBit(bits, d);
  return bits;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export interface JointEstimate {
  probability: number;
  /** Monte Carlo standard error √(p(1 − p)/N). */
  mcError: number;
}

/** Fraction of draws on which every bit set holds. */
export function jointFromBits(draws: number, sets: readonly Uint32Array[]): JointEstimate {
  if (sets.length === 0) return { probability: 1, mcError: 0 };
  const words = sets[0]!.length;
  let hits = 0;
  for (let w = 0; w < words; w++) {
    let x = 0xffffffff;
    for (const s of sets) x &= s[w]!;
    hits += popcount(x >>> 0);
  }
  const probability = hits / draws;
  return { probability, mcError: Math.sqrt((probability * (1 - probability)) / draws) };
}

/**
 * A simulated frequency shrunk towards a prior probability p₀ (the independent product, or
 * the analytic marginal): Beta-prior posterior mean (hits + k·p₀)/(N + k) with k = min(N,
 * 1/p₀), i.e. about one pseudo-hit. Raw frequencies of rare legs are often exactly 0 for
 * events that do happen (two defenders both scoring), which no forecast should say.
 */
export function smoothedProbability(estimate: JointEstimate, draws: number, prior: number): number {
  const p0 = Math.min(1, Math.max(prior, 1e-9));
  const k = Math.min(draws, 1 / p0);
  return (estimate.probability * draws + k * p0) / (draws + k);
}

/** Joint probability of any set of legs of the simulated match, from the same draws. */
export function jointProbability(sim: MatchSimulation, legs: readonly Leg[]): JointEstimate {
  return jointFromBits(sim.draws, legs.map((l) => legBits(sim, l)));
}
