// Value and stake sizing for a bet at decimal odds o with model probability p:
//   edge = p·o − 1 (expected profit per unit staked, i.e. EV as a fraction of stake),
//   EV   = stake · edge,
//   full Kelly fraction f* = (p·o − 1) / (o − 1) = (b·p − q) / b with b = o − 1, q = 1 − p
//   (Kelly 1956; Thorp 2006, "The Kelly criterion in blackjack, sports betting and the stock
//   market"), which maximises expected log growth; fractional Kelly stakes c·f* to trade
//   growth for much lower variance. No edge, no bet: the stake is 0 whenever p·o ≤ 1.
// "Implied probability" is 1/o, the bookmaker's price with its margin still in.

function check(probability: number, odds: number): void {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability must be in [0, 1], got ${probability}`);
  if (!(odds > 1)) throw new RangeError(`decimal odds must exceed 1, got ${odds}`);
}

export function impliedProbability(odds: number): number {
  if (!(odds > 1)) throw new RangeError(`decimal odds must exceed 1, got ${odds}`);
  return 1 / odds;
}

/** Expected profit per unit staked: p·o − 1. */
export function edge(probability: number, odds: number): number {
  check(probability, odds);
  return probability * odds - 1;
}

/** Expected profit of staking `stake` units. */
export function expectedValue(probability: number, odds: number, stake = 1): number {
  if (!(stake >= 0)) throw new RangeError(`stake must be non-negative, got ${stake}`);
  return stake * edge(probability, odds);
}

/** Full Kelly fraction of the bankroll, 0 for a bet without positive edge. */
export function kellyFraction(probability: number, odds: number): number {
  const e = edge(probability, odds);
  return e > 0 ? e / (odds - 1) : 0;
}

/** Fractional Kelly (e.g. 0.25 for quarter Kelly), capped at `cap` of the bankroll. */
export function fractionalKelly(probability: number, odds: number, fraction = 0.25, cap = 1): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`Kelly fraction must be in [0, 1], got ${fraction}`);
  return Math.min(cap, fraction * kellyFraction(probability, odds));
}

/** Fair decimal odds of a probability (no margin). */
export function fairOdds(probability: number): number {
  if (!(probability > 0 && probability <= 1)) throw new RangeError(`probability must be in (0, 1], got ${probability}`);
  return 1 / probability;
}
