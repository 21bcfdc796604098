// The cache key scheme (seed 001) and what an import invalidates. Keys name the entity
// they show first, so a change to that entity can find them with a pattern:
//   pred:{tier}:{player}:{match}        player prediction, 5 min
//   pred_match:{tier}:{match}           whole-match predictions, until the lineup changes
//   features:{player}:{date}            model features, 1 h
//   model:{tier}:metadata               model registry entry, 1 day
//   {entity}:{id}:{view}[:{variant}]    read endpoints about one entity (match:12:detail)
//   list:{resource}:{variant}           lists, searches, standings (any may show anything)
//   list:predictions:{view}:{variant}   match prediction answers: any import, refresh or training
import { createHash } from 'node:crypto';
import type { Cache } from './cache.js';

export const CACHE_TTL_SECONDS = {
  prediction: 5 * 60,
  // Seed 001 says "until lineup confirmed": lineup imports invalidate it; this is a ceiling.
  matchPrediction: 6 * 3600,
  features: 3600,
  modelMetadata: 86_400,
  entity: 10 * 60,
  list: 2 * 60,
} as const;

/** A stable short digest of a query (keys sorted), for the variant part of a key. */
export function variantOf(query: Record<string, unknown> | undefined | null): string {
  if (!query) return '_';
  const entries = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '_';
  const text = JSON.stringify(entries);
  let digest = digests.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    // Bounded: queries are the caller's to choose; a full memo starts over.
    if (digests.size >= MAX_DIGESTS) digests.clear();
    digests.set(text, digest);
  }
  return digest;
}

// The same few queries arrive thousands of times a second; their digests are remembered.
const MAX_DIGESTS = 10_000;
const digests = new Map<string, string>();

// Ids and names inside keys must not carry glob syntax or the separator.
const part = (v: string | number) => String(v).replace(/[^A-Za-z0-9_.-]/g, '_');

export const cacheKeys = {
  prediction: (tier: string, playerId: number | string, matchId: number | string) => `pred:${part(tier)}:${part(playerId)}:${part(matchId)}`,
  matchPrediction: (tier: string, matchId: number | string) => `pred_match:${part(tier)}:${part(matchId)}`,
  features: (playerId: number | string, date: string) => `features:${part(playerId)}:${part(date)}`,
  modelMetadata: (tier: string) => `model:${part(tier)}:metadata`,
  /** A read endpoint about one entity, e.g. entity('match', 12, 'detail'). */
  entity: (entity: string, id: number | string, view: string, query?: Record<string, unknown>) =>
    `${part(entity)}:${part(id)}:${part(view)}:${variantOf(query)}`,
  /** A list, search or table, e.g. list('matches', query). */
  list: (resource: string, query?: Record<string, unknown>) => `list:${part(resource)}:${variantOf(query)}`,
  /**
   * A match-prediction answer (one game, upcoming, ...). A refresh after an import may
   * regenerate the predictions of any upcoming match of the competition, so these are
   * dropped together (PREDICTION_ANSWERS_PATTERN), like lists.
   */
  predictions: (view: string, query?: Record<string, unknown>) => `list:predictions:${part(view)}:${variantOf(query)}`,
};

/** Every cached match-prediction answer. */
export const PREDICTION_ANSWERS_PATTERN = 'list:predictions:*';

/** What a predictions refresh (after an import, or the refresh job) retires. */
export async function invalidatePredictionAnswers(cache: Cache): Promise<number> {
  return cache.delPattern(PREDICTION_ANSWERS_PATTERN);
}

/** What an import (or any data change) touched. */
export interface DataChange {
  matchIds?: Iterable<number>;
  teamIds?: Iterable<number>;
  playerIds?: Iterable<number>;
  competitionIds?: Iterable<number>;
  seasonIds?: Iterable<number>;
}

/** The patterns a data change invalidates. Lists are dropped wholesale: any may show the change. */
export function invalidationPatterns(change: DataChange): string[] {
  const patterns = new Set<string>();
  const each = (ids: Iterable<number> | undefined, make: (id: string) => string[]) => {
    for (const id of ids ?? []) for (const p of make(part(id))) patterns.add(p);
  };
  each(change.matchIds, (id) => [`match:${id}:*`, `pred:*:*:${id}`, `pred_match:*:${id}`]);
  each(change.teamIds, (id) => [`team:${id}:*`]);
  each(change.playerIds, (id) => [`player:${id}:*`, `features:${id}:*`, `pred:*:${id}:*`]);
  each(change.competitionIds, (id) => [`competition:${id}:*`]);
  each(change.seasonIds, (id) => [`season:${id}:*`]);
  if (patterns.size > 0) patterns.add('list:*');
  return [...patterns];
}

/**
 * Drop everything that showed data an import changed. Importers call this after a file
 * commits (never before: a reader could re-cache the old rows in between).
 */
/**
 * What a training retires: every prediction answer (a props ensemble answer shows the blend
 * weights, match predictions are regenerated) and model metadata. Drops everything under
 * these prefixes: training is daily, so the cost is one cold read per answer afterwards.
 */
export const TRAINING_INVALIDATION_PATTERNS = ['pred:*', 'pred_match:*', 'model:*', PREDICTION_ANSWERS_PATTERN] as const;

export async function invalidateAfterTraining(cache: Cache): Promise<number> {
  let removed = 0;
  for (const pattern of TRAINING_INVALIDATION_PATTERNS) removed += await cache.delPattern(pattern);
  return removed;
}

export async function invalidateAfterImport(cache: Cache, change: DataChange): Promise<number> {
  let removed = 0;
  for (const pattern of invalidationPatterns(change)) removed += await cache.delPattern(pattern);
  return removed;
}
