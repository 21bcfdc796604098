// What a stored prediction holds: the headline numbers (home/draw/away, spread, total,
// confidence) and the `markets` object the API serves, in its public snake_case shape, so a
// read is a row lookup with no model code. Soccer predictions carry the full market set of
// the score matrix; points sports the moneyline, spread and total with their distributions.
import { marketsFromScoreMatrix, type ScoreMatrix, type Settlement } from '../../../models/markets.js';
import { spreadSettlement, totalSettlement, type MarginPrediction } from '../../../models/margin.js';
import type { EloForecast } from './elo.js';
import type { Forecast } from './forecast.js';

export interface PredictionPayload {
  probHome: number;
  probDraw: number;
  probAway: number;
  pointSpread: number;
  totalPoints: number;
  confidence: number;
  markets: Record<string, unknown>;
}

export interface SettlementView {
  win: number;
  half_win: number;
  push: number;
  half_loss: number;
  loss: number;
  /** Decimal price with zero expected profit; null when the bet cannot win. */
  fair_price: number | null;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function settlementView(s: Settlement): SettlementView {
  return {
    win: r6(s.win),
    half_win: r6(s.halfWin),
    push: r6(s.push),
    half_loss: r6(s.halfLoss),
    loss: r6(s.loss),
    fair_price: Number.isFinite(s.fairPrice) ? Math.round(s.fairPrice * 1000) / 1000 : null,
  };
}

function headline(f: Forecast, markets: Record<string, unknown>): PredictionPayload {
  return {
    probHome: r6(f.home),
    probDraw: r6(f.draw),
    probAway: r6(f.away),
    pointSpread: Math.round((f.spread ?? 0) * 100) / 100,
    totalPoints: Math.round((f.total ?? 0) * 100) / 100,
    confidence: r6(Math.max(f.home, f.draw, f.away)),
    markets,
  };
}

const oneXTwo = (f: Forecast) => ({ home: r6(f.home), draw: r6(f.draw), away: r6(f.away) });

/** Every soccer market from a score matrix (Dixon-Coles or bivariate Poisson). */
export function soccerMarkets(m: ScoreMatrix): Record<string, unknown> {
  const s = marketsFromScoreMatrix(m);
  return {
    '1x2': { home: r6(s.outcome.home), draw: r6(s.outcome.draw), away: r6(s.outcome.away) },
    double_chance: { home_or_draw: r6(s.doubleChance.homeOrDraw), home_or_away: r6(s.doubleChance.homeOrAway), draw_or_away: r6(s.doubleChance.drawOrAway) },
    draw_no_bet: { home: settlementView(s.drawNoBet.home), away: settlementView(s.drawNoBet.away) },
    btts: { yes: r6(s.bothTeamsToScore.yes), no: r6(s.bothTeamsToScore.no) },
    expected_goals: { home: r6(s.expectedGoals.home), away: r6(s.expectedGoals.away), total: r6(s.expectedGoals.total) },
    over_under: s.totals.map((t) => ({ line: t.line, over: settlementView(t.over), under: settlementView(t.under) })),
    asian_handicap: s.asianHandicaps.map((h) => ({ home_line: h.homeLine, home: settlementView(h.home), away: settlementView(h.away) })),
    correct_score: s.correctScores.map((c) => ({ home: c.home, away: c.away, probability: r6(c.probability) })),
  };
}

export function goalsPayload(f: Forecast, matrix: ScoreMatrix): PredictionPayload {
  return headline(f, soccerMarkets(matrix));
}

/** Half-point lines nearest the model's own numbers, used when no bookmaker line is known. */
const halfLine = (x: number) => Math.round(x - 0.5) + 0.5;

export function marginPayload(f: Forecast, p: MarginPrediction, lines: { spread?: number | null; total?: number | null } = {}): PredictionPayload {
  const spreadLine = lines.spread ?? halfLine(p.spread);
  const totalLine = lines.total ?? halfLine(p.expectedTotal);
  const spread = spreadSettlement(p, spreadLine);
  const total = totalSettlement(p, totalLine);
  return headline(f, {
    moneyline: { home: r6(f.home), away: r6(f.away) },
    expected_score: { home: Math.round(p.expectedHome * 100) / 100, away: Math.round(p.expectedAway * 100) / 100 },
    spread: { home_line: spreadLine, line_source: lines.spread != null ? 'bookmaker' : 'model', margin_sd: r6(p.marginSd), home: settlementView(spread.home), away: settlementView(spread.away) },
    total: { line: totalLine, line_source: lines.total != null ? 'bookmaker' : 'model', total_sd: r6(p.totalSd), over: settlementView(total.over), under: settlementView(total.under) },
  });
}

export function eloPayload(f: EloForecast, drawsPossible: boolean): PredictionPayload {
  const fc: Forecast = { home: f.home, draw: f.draw, away: f.away, spread: f.spread, total: f.total };
  return headline(fc, {
    [drawsPossible ? '1x2' : 'moneyline']: drawsPossible ? oneXTwo(fc) : { home: r6(f.home), away: r6(f.away) },
    ratings: { home: Math.round(f.homeRating * 10) / 10, away: Math.round(f.awayRating * 10) / 10, difference: Math.round(f.diff * 10) / 10 },
  });
}

export interface MarketInput {
  bookmaker: string;
  phase: string;
  method: string;
  overround: number | null;
  forecast: Forecast;
}

/**
 * The ensemble keeps the main model's market set (scores, handicaps, totals) and replaces the
 * outcome markets with the blend, noting its weights and the market it used.
 */
export function ensemblePayload(blend: Forecast, main: PredictionPayload, market: MarketInput, weights: Record<string, number>): PredictionPayload {
  const markets: Record<string, unknown> = { ...main.markets };
  if ('1x2' in markets) {
    markets['1x2'] = oneXTwo(blend);
    markets.double_chance = { home_or_draw: r6(blend.home + blend.draw), home_or_away: r6(blend.home + blend.away), draw_or_away: r6(blend.draw + blend.away) };
  } else {
    markets.moneyline = { home: r6(blend.home), away: r6(blend.away) };
  }
  markets.blend = {
    weights,
    market: { bookmaker: market.bookmaker, phase: market.phase, method: market.method, overround: market.overround === null ? null : r6(market.overround), probabilities: oneXTwo(market.forecast) },
  };
  return headline(blend, markets);
}
