// The value of one bet: what a model's settlement probabilities say about a bookmaker's price.
//
// A bet settles as win / half-win / push / half-loss / loss (Asian and whole lines; see
// markets.ts). At decimal odds o its net return per unit staked is o − 1, (o − 1)/2, 0, −½, −1.
// - expected_value  = Σ P(k)·r_k (expected profit per unit staked).
// - model probability q = 1 / fair price (the price with zero expected profit): the model's
//   win-equivalent probability, equal to P(win) when the bet cannot push.
// - market probability = the bookmaker's price with its margin removed (every side of the
//   same market at the same bookmaker, de-margined by `method`).
// - edge = q − market probability.
// - full Kelly f* maximises Σ P(k)·log(1 + f·r_k) (Kelly 1956; for a plain bet
//   f* = (q·o − 1)/(o − 1)); fractional Kelly = multiplier·f*, capped.
// - ml_confidence (0-100) = 100·Φ(edge / σ): how sure the model is that its edge is real,
//   with σ = modelSd·2·√(q(1 − q)) the model's probability error (modelSd at q = ½, a stated
//   assumption: 0.04 by default, the order of the gap between our models and the de-margined
//   closing market on held-out seasons). 50 means no edge; 84 an edge of one σ.
// - risk_score (0-1) = ½·sd/(1 + sd) + ½·(1 − confidence), with sd the standard deviation of
//   the return per unit staked: a long shot is risky, and so is an edge the model is unsure of.
// - risk_level: LOW below 0.33, MEDIUM below 0.55, else HIGH.
import { removeMargin, type MarginMethod } from './market.js';
import { normalCdf } from './special.js';

/** Settlement probabilities of one side (they sum to 1). */
export interface SettlementProbabilities {
  win: number;
  halfWin: number;
  push: number;
  halfLoss: number;
  loss: number;
}

export interface PricingOptions {
  /** Fraction of full Kelly to stake (default 0.25). */
  kellyMultiplier?: number;
  /** Largest stake as a fraction of the bankroll (default 0.05). */
  maxStake?: number;
  /** The model's probability error at q = ½ (default 0.04). */
  modelSd?: number;
  /** How the bookmaker's margin is removed (default shin). */
  method?: MarginMethod;
}

export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

export interface PricedBet {
  odds: number;
  modelProbability: number;
  marketProbability: number;
  /** The bookmaker's overround on this market (0.05 = 5%). */
  overround: number;
  method: MarginMethod;
  edge: number;
  expectedValue: number;
  kellyFull: number;
  kellyFraction: number;
  mlConfidence: number;
  riskScore: number;
  riskLevel: RiskLevel;
  /** Standard deviation of the return per unit staked. */
  returnSd: number;
}

export const DEFAULT_MODEL_SD = 0.04;

/** Net return per unit staked of each settlement at decimal odds o. */
export function settlementReturns(odds: number): [number, number, number, number, number] {
  return [odds - 1, (odds - 1) / 2, 0, -0.5, -1];
}

function weights(s: SettlementProbabilities): [number, number, number, number, number] {
  return [s.win, s.halfWin, s.push, s.halfLoss, s.loss];
}

export function expectedReturn(s: SettlementProbabilities, odds: number): number {
  const r = settlementReturns(odds);
  const w = weights(s);
  let ev = 0;
  for (let k = 0; k < 5; k++) ev += w[k]! * r[k]!;
  return ev;
}

/** 1 / fair price: the model's win-equivalent probability (0 when the bet cannot win). */
export function winEquivalent(s: SettlementProbabilities): number {
  const up = s.win + 0.5 * s.halfWin;
  const down = s.loss + 0.5 * s.halfLoss;
  return up + down > 0 ? up / (up + down) : 0;
}

/**
 * Full Kelly for one bet with several settlements: the f in [0, 1) maximising
 * Σ P(k)·log(1 + f·r_k), by bisection on the derivative (concave, so one root). 0 when EV ≤ 0.
 */
export function kellyForSettlement(s: SettlementProbabilities, odds: number): number {
  if (expectedReturn(s, odds) <= 0) return 0;
  const r = settlementReturns(odds);
  const w = weights(s);
  const slope = (f: number) => {
    let d = 0;
    for (let k = 0; k < 5; k++) if (w[k]! > 0) d += (w[k]! * r[k]!) / (1 + f * r[k]!);
    return d;
  };
  // A stake of 1 loses everything on a loss; with no possible loss the bet is a free roll.
  const canLose = w[3]! > 0 || w[4]! > 0;
  if (!canLose) return 1;
  const maxF = w[4]! > 0 ? 1 - 1e-12 : 2 - 1e-12; // half-loss only: ruin at f = 2
  let lo = 0;
  let hi = Math.min(maxF, 1);
  if (slope(hi) > 0) return hi;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function riskLevelOf(risk: number): RiskLevel {
  return risk < 0.33 ? 'LOW' : risk < 0.55 ? 'MEDIUM' : 'HIGH';
}

/**
 * Prices one side of a market: `settlement` is the model's for this side, `marketOdds` the
 * bookmaker's prices of every side of the market (this side at `side`).
 */
export function priceBet(settlement: SettlementProbabilities, marketOdds: readonly number[], side: number, options: PricingOptions = {}): PricedBet {
  const odds = marketOdds[side];
  if (odds === undefined || !(odds > 1)) throw new RangeError(`decimal odds must exceed 1, got ${odds}`);
  if (marketOdds.length < 2) throw new RangeError('a market needs at least two sides to remove its margin');
  for (const o of marketOdds) if (!(o > 1)) throw new RangeError(`decimal odds must exceed 1, got ${o}`);
  const method = options.method ?? 'shin';
  const multiplier = options.kellyMultiplier ?? 0.25;
  if (!(multiplier >= 0 && multiplier <= 1)) throw new RangeError(`Kelly multiplier must be in [0, 1], got ${multiplier}`);
  const maxStake = options.maxStake ?? 0.05;
  const modelSd = options.modelSd ?? DEFAULT_MODEL_SD;
  const demargined = removeMargin(marketOdds, method);
  const marketProbability = demargined.probabilities[side]!;
  const q = winEquivalent(settlement);
  const ev = expectedReturn(settlement, odds);
  const r = settlementReturns(odds);
  const w = weights(settlement);
  let second = 0;
  for (let k = 0; k < 5; k++) second += w[k]! * r[k]! * r[k]!;
  const returnSd = Math.sqrt(Math.max(0, second - ev * ev));
  const edge = q - marketProbability;
  const sigma = Math.max(1e-6, modelSd * 2 * Math.sqrt(Math.max(q * (1 - q), 1e-6)));
  const confidence = normalCdf(edge / sigma);
  const kellyFull = kellyForSettlement(settlement, odds);
  const riskScore = Math.min(1, Math.max(0, 0.5 * (returnSd / (1 + returnSd)) + 0.5 * (1 - confidence)));
  return {
    odds,
    modelProbability: q,
    marketProbability,
    overround: demargined.overround,
    method,
    edge,
    expectedValue: ev,
    kellyFull,
    kellyFraction: Math.min(maxStake, multiplier * kellyFull),
    mlConfidence: 100 * confidence,
    riskScore,
    riskLevel: riskLevelOf(riskScore),
    returnSd,
  };
}
