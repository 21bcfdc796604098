// "Is the value real?": the analysis engine replayed over past seasons. The walk-forward of
// the evaluation (fits only on results before each match) gives Dixon-Coles' forecast of every
// match; each side of its opening 1X2 prices is priced exactly as the engine prices it
// (src/models/value.ts: Shin de-margining, EV, fractional Kelly capped per bet); the +EV sides
// that pass the business rules (optional) are staked on their matchday and settled on the
// result. Soccer only: the walk-forward stores 1X2 forecasts, not full score matrices.
import type { Db } from '../../db/client.js';
import { settleBacktest, type BacktestDay, type BacktestResult } from '../../models/backtest.js';
import { priceBet } from '../../models/value.js';
import { ValidationError } from '../../platform/errors.js';
import { competitionFilter } from '../catalog/resolve.js';
import { seasonOrder } from '../predictions/engine/history.js';
import { sportSettings } from '../predictions/engine/params.js';
import { resolveSeason } from '../predictions/evaluation/evaluate.js';
import { runCompetition } from '../predictions/evaluation/records.js';
import { findCompetition, historyOptions, loadHistory, loadQuotes } from '../predictions/repository-data.js';
import { checkBets, type RuleSubject } from '../rules/evaluate.js';
import type { Ruleset } from '../rules/ruleset.js';

export interface BacktestOptions {
  competition: string;
  seasons: { from: string; to: string };
  kellyFraction: number;
  maxStake: number;
  bookmaker?: string;
  rules?: Ruleset | null;
  onProgress?: (message: string) => void;
}

export interface ValueBacktest extends BacktestResult {
  competition: string;
  seasons: string[];
  bookmaker: string;
  model: 'dixon-coles';
  margin_method: 'shin';
  kelly_fraction: number;
  matches: number;
  filtered_by_rules: number;
}

const SIDES = ['home', 'draw', 'away'] as const;

export async function backtestValue(db: Db, opts: BacktestOptions): Promise<ValueBacktest> {
  const row = await competitionFilter(db, opts.competition);
  const comp = await findCompetition(db, row.id);
  if (!comp) throw new ValidationError(`unknown competition ${opts.competition}`, 'competition', opts.competition);
  if (comp.sport !== 'soccer') throw new ValidationError('backtest-value covers soccer competitions (1X2 at opening prices)', 'competition', opts.competition);
  const settings = sportSettings(comp.sport, comp.drawsPossible);
  const history = await loadHistory(db, comp.id, undefined, historyOptions(settings));
  const order = seasonOrder(history);
  const from = resolveSeason(order, opts.seasons.from);
  const to = resolveSeason(order, opts.seasons.to);
  if (!from || !to) throw new ValidationError(`${comp.code} has no season ${!from ? opts.seasons.from : opts.seasons.to} (it has ${order[0]}..${order[order.length - 1]})`, 'seasons');
  if (order.indexOf(to) < order.indexOf(from)) throw new ValidationError(`season range ${from}..${to} is backwards`, 'seasons');
  const seasons = order.slice(order.indexOf(from), order.indexOf(to) + 1);
  const bookmaker = opts.bookmaker ?? 'market_avg';
  opts.onProgress?.(`${comp.code}: walk-forward ${from}..${to} (${history.length} matches)`);
  const run = await runCompetition({
    code: comp.code,
    sport: comp.sport,
    history,
    settings,
    models: ['dixon-coles'],
    predictFrom: from,
    predictTo: to,
    refitDays: settings.refitDays,
    method: 'shin',
    quotes: (ids) => loadQuotes(db, ids, bookmaker),
  });
  const records = run.records.filter((r) => seasons.includes(r.season));
  const quotes = await loadQuotes(db, records.map((r) => r.matchId), bookmaker);
  const byDay = new Map<string, { subject: RuleSubject; bet: BacktestDay['bets'][number] }[]>();
  let matches = 0;
  for (const r of records) {
    const f = r.forecasts['dixon-coles'];
    const open = quotes.get(r.matchId)?.opening;
    if (!f || !open || open.draw === null || !(open.home > 1 && open.draw > 1 && open.away > 1)) continue;
    matches++;
    const prices = [open.home, open.draw, open.away];
    const close = quotes.get(r.matchId)?.closing;
    const closing = close && close.draw !== null ? [close.home, close.draw, close.away] : null;
    const result = r.homeScore > r.awayScore ? 'home' : r.homeScore === r.awayScore ? 'draw' : 'away';
    SIDES.forEach((side, i) => {
      const p = f[side];
      const priced = priceBet({ win: p, halfWin: 0, push: 0, halfLoss: 0, loss: 1 - p }, prices, i, { kellyMultiplier: opts.kellyFraction, maxStake: opts.maxStake, method: 'shin' });
      if (!(priced.expectedValue > 0)) return;
      const id = `${r.matchId}:${side}`;
      const list = byDay.get(r.date) ?? [];
      list.push({
        subject: { bet_id: id, sport: 'soccer', bet_type: 'game_line', market: '1x2', selection: side, stat_type: '1x2', player_name: null, team: null, opponent: null, match_id: r.matchId, odds: prices[i]!, expected_value: priced.expectedValue, risk_score: priced.riskScore, ml_confidence: priced.mlConfidence, kelly_fraction: priced.kellyFraction },
        bet: { stakeFraction: priced.kellyFraction, odds: prices[i]!, won: result === side, closingOdds: closing?.[i] ?? null },
      });
      byDay.set(r.date, list);
    });
  }
  if (matches === 0) throw new ValidationError(`no opening 1X2 prices from bookmaker ${bookmaker} for ${comp.code} ${from}..${to}`, 'bookmaker', bookmaker);
  let filtered = 0;
  const days: BacktestDay[] = [];
  for (const [date, list] of byDay) {
    // The rules in force are judged at the start of the matchday (time windows included).
    const verdicts = opts.rules ? checkBets(opts.rules, null, list.map((x) => x.subject), new Date(`${date}T00:00:00Z`)) : new Map();
    const kept = list.filter((x) => !verdicts.has(x.subject.bet_id));
    filtered += list.length - kept.length;
    days.push({ date, bets: kept.map((x) => x.bet) });
  }
  const result = settleBacktest(days, { bankroll: 1 });
  return { competition: comp.code, seasons, bookmaker, model: 'dixon-coles', margin_method: 'shin', kelly_fraction: opts.kellyFraction, matches, filtered_by_rules: filtered, ...result };
}
