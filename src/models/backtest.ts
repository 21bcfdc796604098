// Settling a value-betting strategy over past matchdays: the bets the engine would have
// placed at the opening prices, staked as it stakes them (fractional Kelly of the bankroll at
// the start of the day, a day's bets settling together, the day's total capped), and the same
// bets at a flat stake of one unit. Reports turnover, ROI with a bootstrap interval
// (matchdays resampled with replacement, seeded), closing-line value and maximum drawdown.
import { seededRandom } from './random.js';

export interface BacktestBet {
  /** Fraction of the bankroll the engine stakes (fractional Kelly, capped per bet). */
  stakeFraction: number;
  odds: number;
  won: boolean;
  /** The closing price of the same side, when known. */
  closingOdds: number | null;
}

export interface BacktestDay {
  date: string;
  bets: BacktestBet[];
}

export interface StrategyResult {
  bets: number;
  turnover: number;
  profit: number;
  roi: number;
  /** 95% bootstrap interval of the ROI (matchdays resampled). */
  roiInterval: [number, number];
  /** Largest fall from a running peak: a fraction of the peak bankroll (Kelly), units (flat). */
  maxDrawdown: number;
  final: number;
}

export interface BacktestResult {
  days: number;
  kelly: StrategyResult;
  flat: StrategyResult;
  /** Share of bets whose opening price was longer than the closing price, and mean log(open/close). */
  clv: { bets: number; beatClosing: number; meanLogRatio: number };
}

function interval(dayProfit: number[], dayTurnover: number[], resamples: number, seed: number): [number, number] {
  if (dayProfit.length === 0) return [0, 0];
  const random = seededRandom(seed);
  const rois: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let p = 0;
    let t = 0;
    for (let i = 0; i < dayProfit.length; i++) {
      const k = random.int(0, dayProfit.length - 1);
      p += dayProfit[k]!;
      t += dayTurnover[k]!;
    }
    rois.push(t > 0 ? p / t : 0);
  }
  rois.sort((a, b) => a - b);
  return [rois[Math.floor(0.025 * (resamples - 1))]!, rois[Math.ceil(0.975 * (resamples - 1))]!];
}

export function settleBacktest(days: readonly BacktestDay[], opts: { bankroll?: number; maxDayStake?: number; resamples?: number; seed?: number } = {}): BacktestResult {
  const start = opts.bankroll ?? 1;
  const maxDay = opts.maxDayStake ?? 0.5;
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed ?? 1;
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let bankroll = start;
  let peak = start;
  let kellyDd = 0;
  let flatCum = 0;
  let flatPeak = 0;
  let flatDd = 0;
  const kp: number[] = [];
  const kt: number[] = [];
  const fp: number[] = [];
  const ft: number[] = [];
  let bets = 0;
  let clvBets = 0;
  let beat = 0;
  let logSum = 0;
  for (const d of sorted) {
    if (d.bets.length === 0) continue;
    const total = d.bets.reduce((a, b) => a + b.stakeFraction, 0);
    const scale = total > maxDay ? maxDay / total : 1;
    let dayProfit = 0;
    let dayTurnover = 0;
    let flatProfit = 0;
    for (const b of d.bets) {
      if (!(b.odds > 1) || !(b.stakeFraction >= 0)) throw new RangeError('a bet needs decimal odds > 1 and a non-negative stake');
      const stake = b.stakeFraction * scale * bankroll;
      dayTurnover += stake;
      dayProfit += b.won ? stake * (b.odds - 1) : -stake;
      flatProfit += b.won ? b.odds - 1 : -1;
      bets++;
      if (b.closingOdds !== null && b.closingOdds > 1) {
        clvBets++;
        if (b.odds > b.closingOdds) beat++;
        logSum += Math.log(b.odds / b.closingOdds);
      }
    }
    bankroll += dayProfit;
    peak = Math.max(peak, bankroll);
    kellyDd = Math.max(kellyDd, (peak - bankroll) / peak);
    flatCum += flatProfit;
    flatPeak = Math.max(flatPeak, flatCum);
    flatDd = Math.max(flatDd, flatPeak - flatCum);
    kp.push(dayProfit);
    kt.push(dayTurnover);
    fp.push(flatProfit);
    ft.push(d.bets.length);
  }
  const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
  const kTurn = sum(kt);
  const fTurn = sum(ft);
  return {
    days: kp.length,
    kelly: { bets, turnover: kTurn, profit: bankroll - start, roi: kTurn > 0 ? (bankroll - start) / kTurn : 0, roiInterval: interval(kp, kt, resamples, seed), maxDrawdown: kellyDd, final: bankroll },
    flat: { bets, turnover: fTurn, profit: sum(fp), roi: fTurn > 0 ? sum(fp) / fTurn : 0, roiInterval: interval(fp, ft, resamples, seed + 1), maxDrawdown: flatDd, final: sum(fp) },
    clv: { bets: clvBets, beatClosing: clvBets > 0 ? beat / clvBets : 0, meanLogRatio: clvBets > 0 ? logSum / clvBets : 0 },
  };
}
