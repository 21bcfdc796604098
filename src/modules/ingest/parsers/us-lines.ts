// Closing betting lines of the US archives (NBA, NFL) as odds rows. The archives give a
// spread and a total without their prices, and (NBA only) American moneylines. The odds
// table needs a price, so spread and total rows carry the market's standard -110 and the
// bookmaker's name says the price is assumed: models may use the line, never that price
// as evidence of the market's margin.
import type { ParsedOdds } from '../types.js';

export const CLOSING_LINE_BOOKMAKER = 'closing_line';
export const CLOSING_LINE_BOOKMAKER_NAME = 'Closing line (spread/total prices assumed -110)';

/**
 * American odds → decimal: +150 → 2.5, -200 → 1.5, -110 → 1.9091 (unrounded).
 * |odds| below 100 is not American odds (the NBA archive has a stray "8"): null.
 */
export function americanToDecimal(american: number): number | null {
  if (!Number.isFinite(american) || Math.abs(american) < 100) return null;
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
}

/** The price stored with spread and total lines: the customary -110 on both sides. */
export const ASSUMED_LINE_PRICE = 1 + 100 / 110;

function row(market: ParsedOdds['market'], selection: string, line: number | null, price: number): ParsedOdds {
  return { bookmaker: CLOSING_LINE_BOOKMAKER, market, selection, line, price, phase: 'closing' };
}

/** Normalises -0 to 0 so a pick'em line has one spelling in the unique index. */
function cleanLine(line: number): number {
  return line === 0 ? 0 : line;
}

/**
 * Spread rows for both sides. `homeHandicap` is the points added to the home score:
 * negative when home is favoured (home -7 means home must win by more than 7).
 */
export function spreadOdds(homeHandicap: number): ParsedOdds[] {
  const line = cleanLine(homeHandicap);
  return [row('spread', 'home', line, ASSUMED_LINE_PRICE), row('spread', 'away', line, ASSUMED_LINE_PRICE)];
}

export function totalOdds(total: number): ParsedOdds[] {
  return [row('total', 'over', total, ASSUMED_LINE_PRICE), row('total', 'under', total, ASSUMED_LINE_PRICE)];
}

/** Home handicap from the favourite's side and the spread's magnitude. */
export function homeHandicap(favourite: 'home' | 'away', magnitude: number): number {
  const m = Math.abs(magnitude);
  return cleanLine(favourite === 'home' ? -m : m);
}

export function moneylineOdds(selection: 'home' | 'away', decimalPrice: number): ParsedOdds {
  return row('moneyline', selection, null, decimalPrice);
}
