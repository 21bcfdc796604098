// Scores of a props walk-forward: for binary forecasts, log loss, Brier score (the
// one-sided binary form mean (p − y)², as prop markets quote one side), and expected
// calibration error with 10 equal-width reliability bins (Naeini et al. 2015, as in
// metrics.ts); and for same-match pairs, tier1's independent product against tier2's
// joint probability read from the simulation, both scored against the observed pair event.
// A third pair column, the product of tier2's own marginals, isolates the correlation:
// tier2 joint vs tier2 product differ only in the dependence the simulation models.
import { calibration, type ReliabilityBin } from '../metrics.js';
import { PROP_STATS, type EvalStat } from './history.js';
import { jointFromBits, smoothedProbability } from './simulate.js';
import type { MatchPrediction } from './walk-forward.js';

export interface BinaryScores {
  n: number;
  observedRate: number;
  meanPredicted: number;
  logLoss: number;
  brier: number;
  calibrationError: number;
  bins: ReliabilityBin[];
}

const FLOOR = 1e-15;

export function binaryScores(p: readonly number[], y: readonly (0 | 1)[]): BinaryScores {
  const n = y.length;
  let ll = 0;
  let br = 0;
  let hits = 0;
  let mp = 0;
  const probabilities = new Float64Array(2 * n);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.min(1 - FLOOR, Math.max(FLOOR, p[i]!));
    ll -= y[i] ? Math.log(q) : Math.log(1 - q);
    br += (p[i]! - y[i]!) ** 2;
    hits += y[i]!;
    mp += p[i]!;
    probabilities[2 * i] = 1 - p[i]!;
    probabilities[2 * i + 1] = p[i]!;
    outcomes[i] = y[i]!;
  }
  const cal = calibration({ classes: 2, probabilities, outcomes }, 10)[1]!;
  return {
    n,
    observedRate: hits / n,
    meanPredicted: mp / n,
    logLoss: ll / n,
    brier: br / n,
    calibrationError: cal.ece,
    bins: cal.bins.filter((b) => b.count > 0),
  };
}

export const SOURCES = ['tier1', 'tier2', 'ensemble', 'positionBaseline', 'seasonBaseline'] as const;
export type Source = (typeof SOURCES)[number];
export const PAIR_KINDS = ['goal_teammate_assist', 'goal_team_win', 'teammates_both_score'] as const;
export type PairKind = (typeof PAIR_KINDS)[number];
const PAIR_SOURCES = ['tier1', 'tier2', 'tier2Product'] as const;

/** Accumulates marginal and pair forecasts match by match (simulations are not kept). */
export class PropsReportBuilder {
  private readonly marginal: Record<EvalStat, Record<Source, number[]> & { y: (0 | 1)[] }>;
  private readonly pairs: Record<PairKind, Record<(typeof PAIR_SOURCES)[number], number[]> & { y: (0 | 1)[] }>;
  private maxMcError = 0;
  matches = 0;

  constructor() {
    const m = () => ({ tier1: [], tier2: [], ensemble: [], positionBaseline: [], seasonBaseline: [], y: [] });
    this.marginal = { goals: m(), assists: m(), cards: m() };
    const q = () => ({ tier1: [], tier2: [], tier2Product: [], y: [] });
    this.pairs = { goal_teammate_assist: q(), goal_team_win: q(), teammates_both_score: q() };
  }

  add(pred: MatchPrediction): void {
    this.matches++;
    const players = pred.players;
    for (const p of players) {
      for (const s of PROP_STATS) {
        const row = this.marginal[s];
        for (const src of SOURCES) row[src].push(p[src][s]);
        row.y.push(p.outcome[s]);
        const q = p.tier2[s];
        this.maxMcError = Math.max(this.maxMcError, Math.sqrt((q * (1 - q)) / pred.simulation.draws));
      }
    }
    const sim = pred.simulation;
    const { homeGoals, awayGoals } = pred.match;
    const words = (sim.draws + 31) >>> 5;
    const homeWin = new Uint32Array(words);
    const awayWin = new Uint32Array(words);
    for (let d = 0; d < sim.draws; d++) {
      if (sim.homeGoals[d]! > sim.awayGoals[d]!) homeWin[d >>> 5] = homeWin[d >>> 5]! | (1 << (d & 31));
      if (sim.awayGoals[d]! > sim.homeGoals[d]!) awayWin[d >>> 5] = awayWin[d >>> 5]! | (1 << (d & 31));
    }
    const winBits = [homeWin, awayWin];
    const pushPair = (kind: PairKind, t1: number, bits: Uint32Array[], t2a: number, t2b: number, y: boolean) => {
      const row = this.pairs[kind];
      row.tier1.push(t1);
      row.tier2.push(smoothedProbability(jointFromBits(sim.draws, bits), sim.draws, t2a * t2b));
      row.tier2Product.push(t2a * t2b);
      row.y.push(y ? 1 : 0);
    };
    for (let i = 0; i < players.length; i++) {
      const a = players[i]!;
      const side = a.teamId === pred.match.home ? 0 : 1;
      const won = side === 0 ? homeGoals > awayGoals : awayGoals > homeGoals;
      const pWin = side === 0 ? pred.outcome[0] : pred.outcome[2];
      const tier2Win = jointFromBits(sim.draws, [winBits[side]!]).probability;
      pushPair('goal_team_win', a.tier1.goals * pWin, [sim.goal[i]!, winBits[side]!], a.tier2.goals, tier2Win, a.outcome.goals === 1 && won);
      for (let j = 0; j < players.length; j++) {
        const b = players[j]!;
        if (j === i || b.teamId !== a.teamId) continue;
        pushPair(
          'goal_teammate_assist',
          a.tier1.goals * b.tier1.assists,
          [sim.goal[i]!, sim.assist[j]!],
          a.tier2.goals,
          b.tier2.assists,
          a.outcome.goals === 1 && b.outcome.assists === 1,
        );
        if (j > i) {
          pushPair(
            'teammates_both_score',
            a.tier1.goals * b.tier1.goals,
            [sim.goal[i]!, sim.goal[j]!],
            a.tier2.goals,
            b.tier2.goals,
            a.outcome.goals === 1 && b.outcome.goals === 1,
          );
        }
      }
    }
  }

  build() {
    const props = Object.fromEntries(
      PROP_STATS.map((s) => {
        const row = this.marginal[s];
        return [s, Object.fromEntries(SOURCES.map((src) => [src, binaryScores(row[src], row.y)]))];
      }),
    ) as Record<EvalStat, Record<Source, BinaryScores>>;
    const pairs = Object.fromEntries(
      PAIR_KINDS.map((k) => {
        const row = this.pairs[k];
        const scores = Object.fromEntries(
          PAIR_SOURCES.map((src) => {
            const { bins: _bins, ...rest } = binaryScores(row[src], row.y);
            return [src, rest];
          }),
        );
        return [k, scores];
      }),
    ) as Record<PairKind, Record<(typeof PAIR_SOURCES)[number], Omit<BinaryScores, 'bins'>>>;
    return { matches: this.matches, maxMonteCarloError: this.maxMcError, props, pairs };
  }
}

export type PropsReport = ReturnType<PropsReportBuilder['build']>;
