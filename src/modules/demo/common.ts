// Building blocks shared by the demo leagues: seeds derived per purpose (so one season's
// numbers do not shift when another season is added), calendar arithmetic on UTC dates,
// the circle-method round robin, and bookmaker prices with a margin.
import { demoRandom, type Random } from './random.js';
import type { ParsedOdds } from '../ingest/types.js';

/**
 * A 32-bit seed for one purpose, from the dataset seed and a label: FNV-1a over the text,
 * then the murmur3 finaliser, because xoroshiro128+ seeded with nearby small integers
 * starts with nearly identical draws.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${label}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export function randomFor(seed: number, label: string): Random {
  return demoRandom(deriveSeed(seed, label));
}

/** Shuffle a copy (Fisher-Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const DAY_MS = 86_400_000;

export function parseDay(isoDate: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return new Date(`${isoDate}T00:00:00Z`);
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** The n-th (1-based) given weekday (0 = Sunday) of a month, as a UTC date. */
export function nthWeekday(year: number, month0: number, weekday: number, n: number): Date {
  const first = new Date(Date.UTC(year, month0, 1));
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month0, 1 + offset + (n - 1) * 7));
}

/** A UTC instant on a calendar day at hh:mm. */
export function at(day: Date, hour: number, minute: number): Date {
  return new Date(day.getTime() + (hour * 60 + minute) * 60_000);
}

/**
 * Double round robin by the circle method: each team meets every other team once at home
 * and once away; the second half repeats the first with venues swapped. Returns rounds of
 * [home, away] index pairs; n must be even.
 */
export function doubleRoundRobin(n: number): [number, number][][] {
  if (n % 2 !== 0 || n < 2) throw new RangeError('round robin needs an even number of teams');
  const ring = Array.from({ length: n }, (_, i) => i);
  const first: [number, number][][] = [];
  for (let r = 0; r < n - 1; r++) {
    const round: [number, number][] = [];
    for (let i = 0; i < n / 2; i++) {
      const a = ring[i]!;
      const b = ring[n - 1 - i]!;
      // Alternate venues so nobody plays a long run at home.
      round.push((r + i) % 2 === 0 ? [a, b] : [b, a]);
    }
    first.push(round);
    ring.splice(1, 0, ring.pop()!);
  }
  return [...first, ...first.map((round) => round.map(([h, a]) => [a, h] as [number, number]))];
}

/**
 * Bookmaker prices for one market: the bookmaker's own view (the true probabilities with
 * log-scale noise, renormalised) raised to a power c < 1 chosen so the implied
 * probabilities sum to 1 + margin, rounded to two decimals as books quote them. The power
 * method loads more of the margin onto long shots than onto favourites (the
 * favourite-longshot bias of real books) and never prices a heavy favourite below evens
 * the way a flat percentage would.
 */
export function pricesWithMargin(random: Random, probs: number[], margin: number, noise: number): number[] {
  const raw = probs.map((p) => Math.max(1e-4, p) * Math.exp(noise * random.normal()));
  const total = raw.reduce((s, v) => s + v, 0);
  const view = raw.map((v) => v / total);
  const implied = (c: number) => view.reduce((s, v) => s + v ** c, 0);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (implied(mid) > 1 + margin) lo = mid;
    else hi = mid;
  }
  const c = (lo + hi) / 2;
  return view.map((v) => Math.max(1.01, Math.round(100 / v ** c) / 100));
}

export interface DemoBookmaker {
  code: string;
  /** Overround on two- and three-way markets (0.05 = 5%). */
  margin: number;
}

/** Odds rows for one market, one bookmaker and one phase. */
export function marketOdds(
  random: Random,
  book: DemoBookmaker,
  phase: ParsedOdds['phase'],
  market: ParsedOdds['market'],
  line: number | null,
  selections: string[],
  probs: number[],
  noise: number,
): ParsedOdds[] {
  const prices = pricesWithMargin(random, probs, book.margin, noise);
  return selections.map((selection, i) => ({ bookmaker: book.code, market, selection, line, price: prices[i]!, phase }));
}

/** Split `total` into integer parts proportional to `weights` (largest remainders). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const out = raw.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}
