// Parlay legs: parsing a request leg against one match's context, and its probability under
// tier1 (the player's posterior predictive, or the score matrix for a match market; legs
// independent, so the joint is the product) and tier2 (the draws of the match simulation on
// which the leg holds, so the joint is the share of draws on which all hold).
import type { ScoreMatrix } from '../../models/markets.js';
import type { EvalStat } from '../../models/props/history.js';
import { jointFromBits, legBits, marketHolds, smoothedProbability, type MatchMarket, type MatchSimulation } from '../../models/props/simulate.js';
import { independentJoint } from '../../models/props/tier1.js';
import { UnprocessableError, ValidationError } from '../../platform/errors.js';
import type { MatchContext } from './context.js';
import type { LegInput } from './schemas.js';

const MARKETS: readonly MatchMarket[] = ['home_win', 'draw', 'away_win', 'home_scores', 'away_scores', 'btts', 'over', 'under'];
const SIM_PROP = { goals: 'goal', assists: 'assist', cards: 'card' } as const;

export type ParsedLeg =
  | { kind: 'player'; index: number; playerId: number; playerName: string; prop: EvalStat; over: boolean; line: string }
  | { kind: 'match'; market: MatchMarket; goals: number; line: string };

export function parseLeg(ctx: MatchContext, leg: LegInput, k: number): ParsedLeg {
  const where = `legs.${k}`;
  if (leg.match_id !== undefined && leg.match_id !== ctx.match.id) {
    throw new UnprocessableError(`leg ${k} is on match ${leg.match_id} but the parlay is on match ${ctx.match.id}: every leg must be from the same match`, { leg: k, match_id: leg.match_id });
  }
  if (leg.player_id !== undefined) {
    if (leg.prop === undefined) throw new ValidationError(`${where}.prop is required for a player leg`, `${where}.prop`);
    const line = leg.line ?? 'over_0.5';
    const over = line === 'over' || line === 'over_0.5' ? true : line === 'under' || line === 'under_0.5' ? false : null;
    if (over === null) throw new ValidationError(`${where}.line must be over, under, over_0.5 or under_0.5 for a player prop`, `${where}.line`, line);
    const index = ctx.index.get(leg.player_id);
    if (index === undefined) {
      const out = ctx.excluded.get(leg.player_id);
      if (out) throw new UnprocessableError(`player ${leg.player_id} (${out.player.name}) is ruled out of match ${ctx.match.id}: ${out.reason}`, { leg: k, player_id: leg.player_id, reason: out.reason });
      throw new UnprocessableError(`player ${leg.player_id} is in neither squad of match ${ctx.match.id}`, { leg: k, player_id: leg.player_id });
    }
    return { kind: 'player', index, playerId: leg.player_id, playerName: ctx.players[index]!.player.name, prop: leg.prop, over, line };
  }
  if (leg.market === undefined) throw new ValidationError(`${where} needs player_id and prop, or a match market`, where);
  const market = MARKETS.find((m) => m === leg.market);
  if (!market) throw new ValidationError(`${where}.market must be one of ${MARKETS.join(', ')}`, `${where}.market`, leg.market);
  const goals = market === 'over' || market === 'under' ? Number(leg.line ?? '2.5') : 2.5;
  if (!Number.isFinite(goals) || goals < 0 || goals > 20) throw new ValidationError(`${where}.line must be a goal line such as 2.5`, `${where}.line`, leg.line);
  return { kind: 'match', market, goals, line: market === 'over' || market === 'under' ? String(goals) : (leg.line ?? 'yes') };
}

function matrixProbability(m: ScoreMatrix, market: MatchMarket, line: number): number {
  const n = m.maxGoals + 1;
  let p = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (marketHolds(market, i, j, line)) p += m.p[i * n + j]!;
  return Math.min(1, Math.max(0, p));
}

export function tier1Probability(ctx: MatchContext, leg: ParsedLeg): number {
  if (leg.kind === 'match') return matrixProbability(ctx.matrix, leg.market, leg.goals);
  const p = ctx.players[leg.index]!.tier1[leg.prop].probability;
  return leg.over ? p : 1 - p;
}

export function legBitSet(sim: MatchSimulation, leg: ParsedLeg): Uint32Array {
  if (leg.kind === 'match') return legBits(sim, { kind: 'match', market: leg.market, line: leg.goals });
  const bits = legBits(sim, { kind: 'player', player: leg.index, prop: SIM_PROP[leg.prop] });
  if (leg.over) return bits;
  const out = new Uint32Array(bits.length);
  for (let w = 0; w < bits.length; w++) out[w] = ~bits[w]!;
  // Bits past the last draw stay clear so a popcount counts draws only.
  const tail = sim.draws & 31;
  if (tail !== 0) out[out.length - 1] = out[out.length - 1]! & ((1 << tail) - 1);
  return out;
}

export interface JointResult {
  tier1: number[];
  tier2: number[];
  jointTier1: number;
  jointTier2: number;
  mcError: number;
  bits: Uint32Array[];
}

export function evaluateLegs(ctx: MatchContext, legs: readonly ParsedLeg[]): JointResult {
  const sim = ctx.simulation();
  const tier1 = legs.map((l) => tier1Probability(ctx, l));
  const bits = legs.map((l) => (l.kind === 'match' ? ctx.marketBits(l.market, l.goals) : legBitSet(sim, l)));
  const tier2 = bits.map((b, i) => smoothedProbability(jointFromBits(sim.draws, [b]), sim.draws, tier1[i]!));
  const jointTier1 = independentJoint(tier1);
  const raw = jointFromBits(sim.draws, bits);
  const jointTier2 = smoothedProbability(raw, sim.draws, jointTier1);
  return { tier1, tier2, jointTier1, jointTier2, mcError: raw.mcError, bits };
}

export const legLabel = (leg: ParsedLeg): string =>
  leg.kind === 'player' ? `${leg.playerName}_${leg.prop}_${leg.over ? 'over' : 'under'}` : `${leg.market}_${leg.line}`;

/** Pairwise φ (Pearson) correlations of the legs' indicators across the draws. */
export function correlationMatrix(sim: MatchSimulation, legs: readonly ParsedLeg[], bits: readonly Uint32Array[]): Record<string, number> {
  const p = bits.map((b) => jointFromBits(sim.draws, [b]).probability);
  const out: Record<string, number> = {};
  for (let i = 0; i < legs.length; i++) {
    for (let j = i + 1; j < legs.length; j++) {
      const pij = jointFromBits(sim.draws, [bits[i]!, bits[j]!]).probability;
      const denom = Math.sqrt(p[i]! * (1 - p[i]!) * p[j]! * (1 - p[j]!));
      out[`${legLabel(legs[i]!)}__${legLabel(legs[j]!)}__${i}_${j}`] = denom > 0 ? Math.round(((pij - p[i]! * p[j]!) / denom) * 1e4) / 1e4 : 0;
    }
  }
  return out;
}
