// Betting markets derived exactly from a joint score distribution (a "score matrix"):
// 1X2, double chance, draw-no-bet, over/under and Asian handicap at any line in steps of
// 0.25, both teams to score, correct score and expected goals. Settlement follows the
// standard Asian rules: a whole line can push (stake returned); a quarter line such as
// 2.25 splits the stake into two halves on the neighbouring lines 2 and 2.5, giving
// win / half-win / push / half-loss / loss. The fair price of a bet is the decimal price
// with zero expected profit: 1 + (P(loss) + ½P(half-loss)) / (P(win) + ½P(half-win)).
// The same settlement runs on any integer distribution, so the points-sports margin model
// reuses it for spreads and totals.

/** P(home = h, away = a) at p[h * (maxGoals + 1) + a]; entries sum to 1. */
export interface ScoreMatrix {
  maxGoals: number;
  p: Float64Array;
}

/** P(value = min + i) at p[i]. */
export interface IntDistribution {
  min: number;
  p: Float64Array;
}

export interface Settlement {
  win: number;
  halfWin: number;
  push: number;
  halfLoss: number;
  loss: number;
  /** Decimal price with zero expected profit (Infinity when the bet cannot win). */
  fairPrice: number;
}

export function at(m: ScoreMatrix, home: number, away: number): number {
  if (home < 0 || away < 0 || home > m.maxGoals || away > m.maxGoals) return 0;
  return m.p[home * (m.maxGoals + 1) + away]!;
}

export function outcome1x2(m: ScoreMatrix): { home: number; draw: number; away: number } {
  let home = 0;
  let draw = 0;
  let away = 0;
  const n = m.maxGoals + 1;
  for (let h = 0; h < n; h++) {
    for (let a = 0; a < n; a++) {
      const p = m.p[h * n + a]!;
      if (h > a) home += p;
      else if (h === a) draw += p;
      else away += p;
    }
  }
  return { home, draw, away };
}

export function doubleChance(m: ScoreMatrix): { homeOrDraw: number; homeOrAway: number; drawOrAway: number } {
  const o = outcome1x2(m);
  return { homeOrDraw: o.home + o.draw, homeOrAway: o.home + o.away, drawOrAway: o.draw + o.away };
}

/** Distribution of total goals, 0..2·maxGoals. */
export function totalGoalsDistribution(m: ScoreMatrix): IntDistribution {
  const n = m.maxGoals + 1;
  const p = new Float64Array(2 * m.maxGoals + 1);
  for (let h = 0; h < n; h++) for (let a = 0; a < n; a++) p[h + a] = p[h + a]! + m.p[h * n + a]!;
  return { min: 0, p };
}

/** Distribution of home goals minus away goals, −maxGoals..maxGoals. */
export function goalDifferenceDistribution(m: ScoreMatrix): IntDistribution {
  const n = m.maxGoals + 1;
  const p = new Float64Array(2 * m.maxGoals + 1);
  for (let h = 0; h < n; h++) for (let a = 0; a < n; a++) p[h - a + m.maxGoals] = p[h - a + m.maxGoals]! + m.p[h * n + a]!;
  return { min: -m.maxGoals, p };
}

function quarterSteps(line: number): number {
  const q = Math.round(line * 4);
  if (!Number.isFinite(line) || Math.abs(line * 4 - q) > 1e-9) throw new RangeError(`line ${line} is not a multiple of 0.25`);
  return q;
}

/** +1 win, 0 push, −1 loss of a single-line bet on `value` against `line`. */
function singleResult(value: number, line: number, side: 'over' | 'under'): number {
  const diff = side === 'over' ? value - line : line - value;
  return diff > 1e-9 ? 1 : diff < -1e-9 ? -1 : 0;
}

/** Fair decimal price from settlement probabilities. */
export function fairPrice(s: Omit<Settlement, 'fairPrice'>): number {
  const up = s.win + 0.5 * s.halfWin;
  const down = s.loss + 0.5 * s.halfLoss;
  return up > 0 ? 1 + down / up : Infinity;
}

/**
 * Settles a bet that `value` ends over (or under) `line` on an integer distribution.
 * Quarter lines split the stake across line ± 0.25.
 */
export function settleLine(dist: IntDistribution, line: number, side: 'over' | 'under'): Settlement {
  const q = quarterSteps(line);
  const halves = q % 2 !== 0 ? [line - 0.25, line + 0.25] : [line, line];
  const s = { win: 0, halfWin: 0, push: 0, halfLoss: 0, loss: 0 };
  for (let i = 0; i < dist.p.length; i++) {
    const p = dist.p[i]!;
    if (p === 0) continue;
    const v = dist.min + i;
    const net = singleResult(v, halves[0]!, side) + singleResult(v, halves[1]!, side);
    if (net === 2) s.win += p;
    else if (net === 1) s.halfWin += p;
    else if (net === 0) s.push += p;
    else if (net === -1) s.halfLoss += p;
    else s.loss += p;
  }
  return { ...s, fairPrice: fairPrice(s) };
}

/** Over/under total goals at any quarter line. */
export function overUnder(m: ScoreMatrix, line: number): { over: Settlement; under: Settlement } {
  const d = totalGoalsDistribution(m);
  return { over: settleLine(d, line, 'over'), under: settleLine(d, line, 'under') };
}

/**
 * Asian handicap with `homeLine` added to the home score (home −0.25 ⇔ away +0.25): the home
 * side wins when margin + homeLine > 0, i.e. margin over −homeLine.
 */
export function asianHandicap(m: ScoreMatrix, homeLine: number): { home: Settlement; away: Settlement } {
  const d = goalDifferenceDistribution(m);
  const threshold = homeLine === 0 ? 0 : -homeLine;
  return { home: settleLine(d, threshold, 'over'), away: settleLine(d, threshold, 'under') };
}

/** Draw no bet: stake returned on a draw (the Asian handicap at 0). */
export function drawNoBet(m: ScoreMatrix): { home: Settlement; away: Settlement } {
  return asianHandicap(m, 0);
}

export function bothTeamsToScore(m: ScoreMatrix): { yes: number; no: number } {
  const n = m.maxGoals + 1;
  let yes = 0;
  for (let h = 1; h < n; h++) for (let a = 1; a < n; a++) yes += m.p[h * n + a]!;
  return { yes, no: 1 - yes };
}

export function expectedGoals(m: ScoreMatrix): { home: number; away: number; total: number } {
  const n = m.maxGoals + 1;
  let home = 0;
  let away = 0;
  for (let h = 0; h < n; h++) {
    for (let a = 0; a < n; a++) {
      const p = m.p[h * n + a]!;
      home += h * p;
      away += a * p;
    }
  }
  return { home, away, total: home + away };
}

export interface CorrectScore {
  home: number;
  away: number;
  probability: number;
}

/** The `count` most likely exact scores, most likely first (ties: fewer goals first). */
export function topCorrectScores(m: ScoreMatrix, count: number): CorrectScore[] {
  const n = m.maxGoals + 1;
  const all: CorrectScore[] = [];
  for (let h = 0; h < n; h++) for (let a = 0; a < n; a++) all.push({ home: h, away: a, probability: m.p[h * n + a]! });
  all.sort((x, y) => y.probability - x.probability || x.home + x.away - (y.home + y.away) || x.home - y.home);
  return all.slice(0, count);
}

/** Renormalises a non-negative matrix in place so its entries sum to 1. */
export function normaliseScoreMatrix(m: ScoreMatrix): ScoreMatrix {
  let s = 0;
  for (let i = 0; i < m.p.length; i++) {
    if (!(m.p[i]! >= 0)) throw new RangeError('score matrix has a negative or NaN entry');
    s += m.p[i]!;
  }
  if (!(s > 0)) throw new RangeError('score matrix has no mass');
  for (let i = 0; i < m.p.length; i++) m.p[i] = m.p[i]! / s;
  return m;
}

export interface MarketSet {
  outcome: { home: number; draw: number; away: number };
  doubleChance: { homeOrDraw: number; homeOrAway: number; drawOrAway: number };
  drawNoBet: { home: Settlement; away: Settlement };
  bothTeamsToScore: { yes: number; no: number };
  expectedGoals: { home: number; away: number; total: number };
  totals: { line: number; over: Settlement; under: Settlement }[];
  asianHandicaps: { homeLine: number; home: Settlement; away: Settlement }[];
  correctScores: CorrectScore[];
}

/** Every soccer market the product shows, from one score matrix. */
export function marketsFromScoreMatrix(
  m: ScoreMatrix,
  options: { totals?: number[]; handicaps?: number[]; correctScores?: number } = {},
): MarketSet {
  const totals = options.totals ?? [0.5, 1.5, 2.25, 2.5, 2.75, 3.5, 4.5];
  const handicaps = options.handicaps ?? [-1.5, -1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5];
  return {
    outcome: outcome1x2(m),
    doubleChance: doubleChance(m),
    drawNoBet: drawNoBet(m),
    bothTeamsToScore: bothTeamsToScore(m),
    expectedGoals: expectedGoals(m),
    totals: totals.map((line) => ({ line, ...overUnder(m, line) })),
    asianHandicaps: handicaps.map((homeLine) => ({ homeLine, ...asianHandicap(m, homeLine) })),
    correctScores: topCorrectScores(m, options.correctScores ?? 10),
  };
}

/**
 * The expected goals (λ home, λ away) under which independent Poisson scores give the market's
 * home-win and away-win probabilities: two equations, two unknowns, solved by Newton's method
 * on log λ with a numerical Jacobian. A 1X2 price carries the goal expectation the bookmaker
 * saw — Dixon-Coles can learn from earlier matches' closing prices as well as from their
 * scores (engine/goals.ts, GoalsParams.marketBlend). Null when the probabilities are not a
 * proper pair (each in (0, 1), summing below 1) or the iteration does not settle.
 */
export function impliedPoissonGoals(pHome: number, pAway: number): { home: number; away: number } | null {
  if (!(pHome > 0 && pAway > 0 && pHome + pAway < 1)) return null;
  const maxGoals = 15;
  const pmf = (lambda: number) => {
    const p = new Float64Array(maxGoals + 1);
    p[0] = Math.exp(-lambda);
    for (let k = 1; k <= maxGoals; k++) p[k] = (p[k - 1]! * lambda) / k;
    return p;
  };
  const probs = (lh: number, la: number): [number, number] => {
    const h = pmf(lh);
    const a = pmf(la);
    let home = 0;
    let away = 0;
    for (let i = 0; i <= maxGoals; i++) {
      for (let j = 0; j <= maxGoals; j++) {
        if (i > j) home += h[i]! * a[j]!;
        else if (j > i) away += h[i]! * a[j]!;
      }
    }
    return [home, away];
  };
  let x = [Math.log(1.4), Math.log(1.1)];
  for (let iter = 0; iter < 50; iter++) {
    const [h, a] = probs(Math.exp(x[0]!), Math.exp(x[1]!));
    const r = [h - pHome, a - pAway];
    if (Math.abs(r[0]!) < 1e-10 && Math.abs(r[1]!) < 1e-10) return { home: Math.exp(x[0]!), away: Math.exp(x[1]!) };
    const e = 1e-6;
    const [h0, a0] = probs(Math.exp(x[0]! + e), Math.exp(x[1]!));
    const [h1, a1] = probs(Math.exp(x[0]!), Math.exp(x[1]! + e));
    const j = [[(h0 - h) / e, (h1 - h) / e], [(a0 - a) / e, (a1 - a) / e]];
    const det = j[0]![0]! * j[1]![1]! - j[0]![1]! * j[1]![0]!;
    if (!Number.isFinite(det) || Math.abs(det) < 1e-14) return null;
    const dx0 = (j[1]![1]! * r[0]! - j[0]![1]! * r[1]!) / det;
    const dx1 = (-j[1]![0]! * r[0]! + j[0]![0]! * r[1]!) / det;
    // Damped: a step of more than 1 in log λ is never needed from a sensible start.
    const scale = Math.min(1, 1 / Math.max(Math.abs(dx0), Math.abs(dx1)));
    x = [x[0]! - scale * dx0, x[1]! - scale * dx1];
    if (!(Math.abs(x[0]!) < 4 && Math.abs(x[1]!) < 4)) return null;
  }
  return null;
}
