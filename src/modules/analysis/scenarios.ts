// The joint outcomes of one match that every bet on it settles on, and each bet's net
// return per unit staked in each outcome. Soccer: the model's score matrix (every scoreline
// h-a with its probability). Points sports: the margin model's discretised normal margin and
// total, taken as independent (the model gives no joint law), with a regulation tie resolved
// by overtime as a one-point win either way with equal probability (as the margin model
// splits ties). Scenarios with the same returns for every bet are merged afterwards.
import type { ScoreMatrix } from '../../models/markets.js';
import { discretisedNormal } from '../../models/margin.js';

/** One joint outcome: home and away score (soccer), or margin and total (points sports). */
export interface Outcome {
  p: number;
  home: number;
  away: number;
}

export function soccerOutcomes(m: ScoreMatrix): Outcome[] {
  const out: Outcome[] = [];
  const n = m.maxGoals + 1;
  for (let h = 0; h < n; h++) for (let a = 0; a < n; a++) if (m.p[h * n + a]! > 0) out.push({ p: m.p[h * n + a]!, home: h, away: a });
  return out;
}

/**
 * Points-sport outcomes from the expected scores and the margin and total sds: margin and
 * total are independent discretised normals (±4 sd), reported as home/away scores
 * ((total ± margin)/2, which need not be whole numbers).
 */
export function pointsOutcomes(expectedHome: number, expectedAway: number, marginSd: number, totalSd: number): Outcome[] {
  const margin = discretisedNormal(expectedHome - expectedAway, marginSd, 4);
  const total = discretisedNormal(expectedHome + expectedAway, totalSd, 4);
  const marginP = new Map<number, number>();
  margin.p.forEach((p, i) => {
    const k = margin.min + i;
    if (k === 0) {
      marginP.set(1, (marginP.get(1) ?? 0) + p / 2);
      marginP.set(-1, (marginP.get(-1) ?? 0) + p / 2);
    } else marginP.set(k, (marginP.get(k) ?? 0) + p);
  });
  const out: Outcome[] = [];
  for (const [d, pd] of marginP) {
    total.p.forEach((pt, j) => {
      const t = total.min + j;
      const p = pd * pt;
      if (p > 1e-12) out.push({ p, home: (t + d) / 2, away: (t - d) / 2 });
    });
  }
  return out;
}

/** A bet's side and line, as stored in `odds`. */
export interface BetSpec {
  market: string;
  selection: string;
  line: number | null;
  odds: number;
}

/** Net return of a bet that value ends over/under `line` (quarter lines split the stake). */
export function lineReturn(value: number, line: number, side: 'over' | 'under', odds: number): number {
  const quarter = Math.abs(Math.round(line * 4)) % 2 === 1;
  const halves = quarter ? [line - 0.25, line + 0.25] : [line, line];
  let r = 0;
  for (const l of halves) {
    const diff = side === 'over' ? value - l : l - value;
    r += diff > 1e-9 ? (odds - 1) / 2 : diff < -1e-9 ? -0.5 : 0;
  }
  return r;
}

/** The markets each sport's scenarios can settle; others are skipped with the reason counted. */
export const SETTLEABLE_MARKETS = ['1x2', 'moneyline', 'over_under', 'total', 'asian_handicap', 'spread', 'btts'] as const;

/** Net return of a bet in one outcome, or null when the bet is not settleable from scores. */
export function betReturn(bet: BetSpec, o: Outcome): number | null {
  const win = bet.odds - 1;
  const margin = o.home - o.away;
  switch (bet.market) {
    case '1x2':
      if (bet.selection === 'home') return margin > 0 ? win : -1;
      if (bet.selection === 'draw') return margin === 0 ? win : -1;
      if (bet.selection === 'away') return margin < 0 ? win : -1;
      return null;
    case 'moneyline':
      if (bet.selection === 'home') return margin > 0 ? win : margin === 0 ? 0 : -1;
      if (bet.selection === 'away') return margin < 0 ? win : margin === 0 ? 0 : -1;
      return null;
    case 'over_under':
    case 'total':
      if (bet.line === null || (bet.selection !== 'over' && bet.selection !== 'under')) return null;
      return lineReturn(o.home + o.away, bet.line, bet.selection, bet.odds);
    case 'asian_handicap':
    case 'spread':
      // `line` is the home side's handicap: home wins when margin + line > 0.
      if (bet.line === null) return null;
      if (bet.selection === 'home') return lineReturn(margin, -bet.line, 'over', bet.odds);
      if (bet.selection === 'away') return lineReturn(margin, -bet.line, 'under', bet.odds);
      return null;
    case 'btts':
      if (bet.selection === 'yes') return o.home > 0 && o.away > 0 ? win : -1;
      if (bet.selection === 'no') return o.home > 0 && o.away > 0 ? -1 : win;
      return null;
    default:
      return null;
  }
}

/** Settlement probabilities of one leg from its returns over the outcomes. */
export function settlementOf(returns: Float64Array, outcomes: readonly Outcome[], odds: number) {
  const s = { win: 0, halfWin: 0, push: 0, halfLoss: 0, loss: 0 };
  const full = odds - 1;
  outcomes.forEach((o, i) => {
    const r = returns[i]!;
    if (Math.abs(r - full) < 1e-9) s.win += o.p;
    else if (Math.abs(r - full / 2) < 1e-9) s.halfWin += o.p;
    else if (Math.abs(r) < 1e-9) s.push += o.p;
    else if (Math.abs(r + 0.5) < 1e-9) s.halfLoss += o.p;
    else s.loss += o.p;
  });
  const total = s.win + s.halfWin + s.push + s.halfLoss + s.loss;
  return { win: s.win / total, halfWin: s.halfWin / total, push: s.push / total, halfLoss: s.halfLoss / total, loss: s.loss / total };
}

/** Merge outcomes with identical returns for the given legs (returns[leg][outcome]). */
export function mergeScenarios(outcomes: readonly Outcome[], returns: readonly Float64Array[]): { p: number; returns: number[] }[] {
  const merged = new Map<string, { p: number; returns: number[] }>();
  outcomes.forEach((o, i) => {
    const r = returns.map((leg) => Math.round(leg[i]! * 1e9) / 1e9);
    const key = r.join(',');
    const e = merged.get(key);
    if (e) e.p += o.p;
    else merged.set(key, { p: o.p, returns: r });
  });
  return [...merged.values()].map((e) => ({ p: Math.round(e.p * 1e12) / 1e12, returns: e.returns }));
}
