// A competition's match history as the prediction engine sees it, and the one rule every
// fit obeys: a model predicting matches dated D or later is trained only on results dated
// strictly before D (the cut-off). Dates are calendar dates (YYYY-MM-DD), so a result from
// earlier on a match's own day is never used for it. assertNoLookAhead makes the rule a
// run-time check rather than a convention.

import type { TeamNewsFeatures } from '../../documents/features.js';

export interface HistoryMatch {
  id: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  season: string;
  home: number;
  away: number;
  /** Null for a match without a result (scheduled, postponed...). */
  homeScore: number | null;
  awayScore: number | null;
  neutral: boolean;
  /** Postponed or cancelled: not played on this date (left out of the schedule features). */
  cancelled?: boolean;
  /**
   * The result's closing line, when the sport's margin model fits lines (repository-data.ts
   * loadHistory with `closingLines`; null when the result has none): home handicap (negative
   * when the home side was favoured) and total points.
   */
  closingLine?: { spread: number; total: number } | null;
  /**
   * The expected goals the result's closing 1X2 prices imply (de-margined, independent
   * Poisson; models/markets.ts impliedPoissonGoals), when a goal model blends them
   * (loadHistory with `closingGoals`; null without closing prices).
   */
  marketGoals?: { home: number; away: number } | null;
  /** Shots on target per side, when the source gave them (loadHistory with `shots`; goal models with a shots blend). */
  shotsOnTarget?: { home: number; away: number } | null;
  /**
   * Both teams' news features as of the match's day (documents/features.ts), when training
   * runs with NEWS_FEATURES_IN_TRAINING; no model reads them yet.
   */
  news?: { home: TeamNewsFeatures; away: TeamNewsFeatures } | null;
}

export interface ResultMatch extends HistoryMatch {
  homeScore: number;
  awayScore: number;
}

export class LookAheadError extends Error {
  constructor(message: string) {
    super(`look-ahead: ${message}`);
    this.name = 'LookAheadError';
  }
}

const DAY_MS = 86_400_000;

const dayNumbers = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD date (memoised: a walk-forward asks for the same few thousand dates millions of times). */
export function dayNumber(date: string): number {
  let d = dayNumbers.get(date);
  if (d === undefined) {
    d = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (dayNumbers.size >= 100_000) dayNumbers.clear();
    dayNumbers.set(date, d);
  }
  return d;
}

export function addDaysTo(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function isResult(m: HistoryMatch): m is ResultMatch {
  return m.homeScore !== null && m.awayScore !== null;
}

/** Results dated strictly before `cutoff` and, with `windowDays`, no older than that many days. */
export function resultsBefore(history: readonly HistoryMatch[], cutoff: string, windowDays?: number): ResultMatch[] {
  // YYYY-MM-DD strings order like the dates they name.
  const start = windowDays === undefined ? '' : addDaysTo(cutoff, -windowDays);
  const out: ResultMatch[] = [];
  for (const m of history) {
    if (isResult(m) && m.date < cutoff && m.date >= start) out.push(m);
  }
  return out;
}

/**
 * Throws unless every training result is dated before the cut-off, every predicted match is
 * dated on or after it, and no match is in both sets.
 */
export function assertNoLookAhead(training: readonly HistoryMatch[], cutoff: string, predicted: readonly HistoryMatch[]): void {
  const end = dayNumber(cutoff);
  const trainedIds = new Set<number>();
  for (const m of training) {
    if (dayNumber(m.date) >= end) throw new LookAheadError(`training match ${m.id} (${m.date}) is not before the cut-off ${cutoff}`);
    trainedIds.add(m.id);
  }
  for (const m of predicted) {
    if (dayNumber(m.date) < end) throw new LookAheadError(`predicted match ${m.id} (${m.date}) is before the cut-off ${cutoff}`);
    if (trainedIds.has(m.id)) throw new LookAheadError(`match ${m.id} is both trained on and predicted`);
  }
}

/** Team id ↔ dense index for the typed-array models. */
export class TeamIndex {
  readonly ids: number[] = [];
  private readonly byId = new Map<number, number>();

  constructor(ids: Iterable<number> = []) {
    for (const id of ids) this.add(id);
  }

  add(id: number): number {
    let i = this.byId.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.byId.set(id, i);
    }
    return i;
  }

  get(id: number): number | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** Seasons in order of their first match. */
export function seasonOrder(history: readonly HistoryMatch[]): string[] {
  const first = new Map<string, string>();
  for (const m of history) {
    const f = first.get(m.season);
    if (f === undefined || m.date < f) first.set(m.season, m.date);
  }
  return [...first.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([s]) => s);
}

/**
 * Teams new to the competition in `season`: they play in it (as a result or a fixture) but
 * played no result in the season before it. Empty when the training data has no previous
 * season (nothing to compare with).
 */
export function newTeams(training: readonly ResultMatch[], fixtures: readonly HistoryMatch[], season: string, order: readonly string[]): Set<number> {
  const at = order.indexOf(season);
  const previous = at > 0 ? order[at - 1] : undefined;
  const out = new Set<number>();
  if (previous === undefined) return out;
  const before = new Set<number>();
  for (const m of training) {
    if (m.season === previous) {
      before.add(m.home);
      before.add(m.away);
    }
  }
  if (before.size === 0) return out;
  for (const m of [...training, ...fixtures]) {
    if (m.season !== season) continue;
    if (!before.has(m.home)) out.add(m.home);
    if (!before.has(m.away)) out.add(m.away);
  }
  return out;
}
