// The in-process props model state: each match's context (the match model's expected goals,
// the player histories, every squad player's tier1 posteriors, tier2's simulation once it
// has been drawn, the ensemble weights) kept in an LRU so a request does not reload up to
// 730 days of player lines and refit the match model. Entries are keyed by what the state
// was built from:
//   - the data version, a counter in app_meta that every committed data change bumps
//     (src/data-changes.ts: imports, the demo seed), so a new result, squad or player line
//     anywhere retires every state built before it — in every process, as it is in the database;
//   - the ids of the Dixon-Coles and props-ensemble artifacts usable at the match date, so a
//     training (another process) is picked up by the next request.
// One SQL statement reads all three per request. Entries also expire after the prediction
// TTL (5 minutes), which bounds what a change made outside those paths can leave behind.
// Concurrent misses of one key share one build. The match and player rows a request names
// are memoised with the data version they were read under, so a warm request costs that one
// statement and no other query. Below the match contexts, each competition's
// finished matches with their player lines (from the earliest window start asked for on) are
// kept per data version, so the first request of another match of the competition does not
// reload the two years of player lines either.
import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Db, Executor } from '../../db/client.js';
import { appMeta } from '../../db/schema/index.js';
import { CACHE_TTL_SECONDS } from '../../platform/cache/keys.js';
import type { PropsMatch } from '../../models/props/history.js';
import { buildMatchContext, MATCH_WINDOW_DAYS, type MatchContext } from './context.js';
import { loadPropsWindow } from './evaluate.js';
import { dayOf, findPropsMatch, findPropsPlayer, type PropsMatchInfo, type PropsPlayer } from './repository.js';

export const DATA_VERSION_KEY = 'data_version';

/** The rows of db.execute, which node-postgres returns in a result and PGlite as an array. */
const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as T[];

/** Bumps the data version after a committed data change (any process, any engine). */
export async function bumpDataVersion(db: Executor): Promise<void> {
  await db
    .insert(appMeta)
    .values({ key: DATA_VERSION_KEY, value: 1 })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: sql`to_jsonb(coalesce((${appMeta.value} #>> '{}')::bigint, 0) + 1)`, updatedAt: sql`now()` } });
}

export interface StateKey {
  dataVersion: string;
  dixonColesArtifact: number | null;
  propsArtifact: number | null;
}

/** The data version and the artifacts a match's state depends on, in one round trip. */
export async function stateKeyOf(db: Db, match: PropsMatchInfo): Promise<StateKey> {
  const artifact = (kind: string) => sql`(select id from model_artifacts where competition_id = ${match.competitionId} and kind = ${kind}
    and data_cutoff <= ${match.date} order by data_cutoff desc, created_at desc, id desc limit 1)`;
  const [r] = rowsOf<{ v: string | null; dc: number | string | null; pe: number | string | null }>(
    await db.execute(sql`select (select value #>> '{}' from app_meta where key = ${DATA_VERSION_KEY}) as v, ${artifact('dixon-coles')} as dc, ${artifact('props-ensemble')} as pe`),
  );
  const id = (x: number | string | null | undefined) => (x === null || x === undefined ? null : Number(x));
  return { dataVersion: r?.v ?? '0', dixonColesArtifact: id(r?.dc), propsArtifact: id(r?.pe) };
}

export interface PropsStateOptions {
  /** Match contexts kept (each holds its simulation once drawn: ~0.4 MB for 50 players). */
  maxMatches?: number;
  ttlMs?: number;
  /** How many of the latest-asked matches a warm-up after a change rebuilds (default 16). */
  warmMatches?: number;
  /** Told of each build: on a request's time, or ahead of it by a warm-up. */
  onBuild?: (trigger: 'request' | 'warm-up') => void;
  /** Told of each simulation drawn (tier2, ensemble, parlays): on a request's time or by a warm-up. */
  onSimulate?: (trigger: 'request' | 'warm-up') => void;
}

export interface ContextLookup {
  ctx: MatchContext;
  /** True when the state was already in memory (no history load, no refit). */
  warm: boolean;
}

export function createPropsState(db: Db, opts: PropsStateOptions = {}) {
  const ttl = opts.ttlMs ?? CACHE_TTL_SECONDS.prediction * 1000;
  const contexts = new LRUCache<string, Promise<MatchContext>>({ max: opts.maxMatches ?? 128, ttl });
  // True while the warm-up draws a simulation (synchronous), so its count says 'warm-up'.
  let warming = false;
  const histories = new LRUCache<string, Promise<{ fromDay: number; matches: PropsMatch[] }>>({ max: 8, ttl });
  const matchRows = new LRUCache<number, { version: string; info: PropsMatchInfo }>({ max: 4096, ttl });
  const playerRows = new LRUCache<number, { version: string; info: PropsPlayer }>({ max: 16_384, ttl });
  let builds = 0;
  // The matches whose state was asked for lately (keys() gives the newest first): what a warm-up rebuilds.
  const recent = new LRUCache<number, true>({ max: opts.warmMatches ?? 16 });
  let lastSignature: string | null = null;

  async function currentVersion(): Promise<string> {
    const [r] = rowsOf<{ v: string | null }>(await db.execute(sql`select value #>> '{}' as v from app_meta where key = ${DATA_VERSION_KEY}`));
    return r?.v ?? '0';
  }

  /** The competition's finished matches in [date − window, date), from the competition layer. */
  async function historyOf(match: PropsMatchInfo, dataVersion: string): Promise<PropsMatch[]> {
    const key = `${match.competitionId}|${dataVersion}`;
    const day = dayOf(match.date);
    const fromDay = day - MATCH_WINDOW_DAYS;
    let entry = histories.get(key);
    let loaded = entry ? await entry.catch(() => null) : null;
    if (!loaded || loaded.fromDay > fromDay) {
      const from = new Date(fromDay * 86_400_000).toISOString().slice(0, 10);
      entry = loadPropsWindow(db, match.competitionId, from, '9999-12-31').then((matches) => ({ fromDay, matches }));
      histories.set(key, entry);
      try {
        loaded = await entry;
      } catch (err) {
        if (histories.get(key) === entry) histories.delete(key);
        throw err;
      }
    }
    return loaded.matches.filter((m) => m.day >= fromDay && m.day < day);
  }

  return {
    /**
     * The match (and player) a request names, with the state key of the match; null for a
     * row that does not exist. Warm: one statement (the key), the rows from memory when the
     * data version they were read under is still current.
     */
    async entities(matchId: number, playerId?: number): Promise<{ match: PropsMatchInfo | null; player: PropsPlayer | null; key: StateKey | null }> {
      const m = matchRows.get(matchId);
      const p = playerId === undefined ? undefined : playerRows.get(playerId);
      if (m && (playerId === undefined || (p && p.version === m.version))) {
        const key = await stateKeyOf(db, m.info);
        if (key.dataVersion === m.version) return { match: m.info, player: p?.info ?? null, key };
      }
      // Version first: rows read after it are at least that new, so the memo is never ahead.
      const version = await currentVersion();
      const [player, match] = await Promise.all([playerId === undefined ? null : findPropsPlayer(db, playerId), findPropsMatch(db, matchId)]);
      if (match) matchRows.set(matchId, { version, info: match });
      if (player && playerId !== undefined) playerRows.set(playerId, { version, info: player });
      return { match, player, key: match ? await stateKeyOf(db, match) : null };
    },

    async context(match: PropsMatchInfo, known?: StateKey, trigger: 'request' | 'warm-up' = 'request'): Promise<ContextLookup> {
      recent.set(match.id, true);
      const k = known ?? (await stateKeyOf(db, match));
      const key = `${match.id}|${match.date}|${match.home.id}|${match.away.id}|${k.dataVersion}|${k.dixonColesArtifact ?? '-'}|${k.propsArtifact ?? '-'}`;
      const found = contexts.get(key);
      if (found) return { ctx: await found, warm: true };
      builds++;
      opts.onBuild?.(trigger);
      const building = historyOf(match, k.dataVersion).then((history) =>
        buildMatchContext(db, match, { dixonColes: k.dixonColesArtifact, propsEnsemble: k.propsArtifact }, history, () => opts.onSimulate?.(warming ? 'warm-up' : 'request')),
      );
      contexts.set(key, building);
      try {
        return { ctx: await building, warm: false };
      } catch (err) {
        // A failed build (a 422, a database error) is not kept: the next request retries.
        if (contexts.get(key) === building) contexts.delete(key);
        throw err;
      }
    },
    /**
     * Rebuilds the state of the matches asked for lately when the data or the models changed
     * since the last look (the data version, the newest artifact): the first request after an
     * import or a training then finds its match warm instead of paying for the history load
     * and the refit. Matches are rebuilt one at a time, newest first. The caller (the props
     * routes' timer) never runs two at once; a change made during a warm-up is seen next look.
     */
    async warmIfChanged(): Promise<void> {
      const [r] = rowsOf<{ v: string | null; a: number | string | null }>(
        await db.execute(sql`select (select value #>> '{}' from app_meta where key = ${DATA_VERSION_KEY}) as v, (select max(id) from model_artifacts) as a`),
      );
      const signature = `${r?.v ?? '0'}|${r?.a ?? '-'}`;
      const changed = lastSignature !== null && signature !== lastSignature;
      lastSignature = signature;
      if (!changed) return;
      for (const id of [...recent.keys()]) {
        const { match, key } = await this.entities(id);
        if (!match || !key) continue;
        // The simulation (tier2, ensemble, parlays) is rerun only where it had been asked for.
        let simulate = false;
        for (const [k, built] of contexts.entries()) {
          if (k.startsWith(`${id}|`) && (await built.then((c) => c.simulated(), () => false))) simulate = true;
        }
        // A match the models cannot serve (422) stays cold; its request will say why.
        const found = await this.context(match, key, 'warm-up').catch(() => undefined);
        if (simulate && found) {
          warming = true;
          try {
            found.ctx.simulation();
          } finally {
            warming = false;
          }
        }
      }
    },
    stats: () => ({ entries: contexts.size, builds }),
    clear: () => {
      contexts.clear();
      histories.clear();
      matchRows.clear();
      playerRows.clear();
    },
  };
}

export type PropsState = ReturnType<typeof createPropsState>;
