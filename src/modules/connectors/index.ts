// Connector registry: which sources exist, whether each is configured, and how to sync it.
import type { Config, ProviderConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { DataChange } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { createProviderClient, type ProviderClientOptions } from './http-client.js';
import { FOOTBALL_DATA_COMPETITIONS, FOOTBALL_DATA_SOURCE, parseFootballDataMatches } from './football-data.js';
import { add, runSync, writeProviderPage, type SyncContext, type SyncSummary } from './sync.js';
import { writePlayerOdds } from './player-odds.js';
import { and, eq, inArray } from 'drizzle-orm';
import { externalIds } from '../../db/schema/index.js';
import { ValidationError } from '../../platform/errors.js';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { OddsMarket } from '../../db/schema/index.js';
import { ODDS_API_SOURCE, ODDS_API_SPORTS, oddsKey, parseOddsApiEvents, parseOddsApiPlayerProps, PLAYER_MARKETS } from './odds-api.js';
import { API_FOOTBALL_LEAGUES, API_FOOTBALL_SOURCE, apiFootballLeague } from './api-football.js';
import { apiFootballSync } from './api-football-sync.js';
import { recordProviderRequest } from './metrics.js';

export const SOURCES = ['football-data', 'api-football', 'odds-api'] as const;
export type SourceName = (typeof SOURCES)[number];
/** Sources with a connector in this version. */
export const CONNECTED_SOURCES: readonly SourceName[] = ['football-data', 'api-football', 'odds-api'];
/** CLI name → the source recorded with data and in data_sources. */
export const SOURCE_IDS: Record<SourceName, string> = { 'football-data': FOOTBALL_DATA_SOURCE, 'api-football': API_FOOTBALL_SOURCE, 'odds-api': ODDS_API_SOURCE };
/** The environment variable holding each source's key. */
export const KEY_VARIABLES: Record<SourceName, string> = { 'football-data': 'FOOTBALL_DATA_API_KEY', 'api-football': 'API_FOOTBALL_KEY', 'odds-api': 'ODDS_API_KEY' };

/** The season (its starting year) a date falls in: July onwards belongs to the season starting that year. */
export const currentSeason = (now: Date) => (now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1);

/** Every provider client counts its exchanges for /metrics (src/modules/connectors/metrics.ts). */
const counted = (opts: ProviderClientOptions) => createProviderClient({ onRequest: (e) => recordProviderRequest(e.source, e.status, e.ok), ...opts });

export function providerConfig(config: Config, name: SourceName): ProviderConfig {
  return name === 'football-data' ? config.connectors.footballData : name === 'api-football' ? config.connectors.apiFootball : config.connectors.oddsApi;
}

export interface SyncDeps {
  config: Config;
  database: Database;
  clock: Clock;
  onCommitted?: (change: DataChange) => Promise<void>;
  /** Test hooks: no waiting, a different fetch. */
  client?: Partial<Pick<ProviderClientOptions, 'sleep' | 'fetch' | 'maxRetries' | 'backoffMs'>>;
}

export class SourceDisabledError extends ValidationError {}

export async function syncSource(deps: SyncDeps, name: SourceName, opts: { competition?: string; season?: number } = {}): Promise<SyncSummary> {
  const pc = providerConfig(deps.config, name);
  if (!pc.apiKey) throw new SourceDisabledError(`${name} is disabled: set ${KEY_VARIABLES[name]}`, 'source', name);
  if (name === 'football-data') {
    const client = counted({
      source: FOOTBALL_DATA_SOURCE,
      baseUrl: pc.baseUrl,
      auth: { header: 'X-Auth-Token', value: pc.apiKey },
      quota: { remaining: ['X-Requests-Available-Day'], minuteRemaining: ['X-Requests-Available-Minute'], minuteReset: ['X-RequestCounter-Reset'] },
      ...deps.client,
    });
    const ctx = { database: deps.database, clock: deps.clock, client, ...(deps.onCommitted ? { onCommitted: deps.onCommitted } : {}) };
    const codes = opts.competition ? [opts.competition] : deps.config.connectors.footballData.competitions;
    for (const code of codes) {
      if (!FOOTBALL_DATA_COMPETITIONS[code]) throw new ValidationError(`unknown football-data.org competition ${code}; known: ${Object.keys(FOOTBALL_DATA_COMPETITIONS).join(', ')}`, 'competition', code);
    }
    return runSync(ctx, FOOTBALL_DATA_SOURCE, async (summary, at) => {
      for (const code of codes) {
        const page = `competitions/${code}/matches`;
        at(page);
        const body = await client.get(page, { season: opts.season });
        const { matches, rejected } = parseFootballDataMatches(body, code, `${FOOTBALL_DATA_SOURCE}:${page}`);
        await writeProviderPage(ctx, summary, FOOTBALL_DATA_SOURCE, `${FOOTBALL_DATA_SOURCE}:${page}`, matches, rejected);
      }
    });
  }
  if (name === 'odds-api') {
    const oc = deps.config.connectors.oddsApi;
    const client = counted({
      source: ODDS_API_SOURCE,
      baseUrl: pc.baseUrl,
      auth: { query: 'apiKey', value: pc.apiKey },
      quota: { remaining: ['x-requests-remaining'] },
      ...deps.client,
    });
    const ctx = { database: deps.database, clock: deps.clock, client, ...(deps.onCommitted ? { onCommitted: deps.onCommitted } : {}) };
    for (const m of oc.playerMarkets) {
      if (!PLAYER_MARKETS[m]) throw new ValidationError(`unknown player market ${m} in ODDS_API_PLAYER_MARKETS; known: ${Object.keys(PLAYER_MARKETS).join(', ')}`, 'ODDS_API_PLAYER_MARKETS', m);
    }
    for (const sport of oc.sports) {
      if (!ODDS_API_SPORTS[sport]) throw new ValidationError(`unknown odds sport ${sport}; known: ${Object.keys(ODDS_API_SPORTS).join(', ')}`, 'sport', sport);
    }
    return runSync(ctx, ODDS_API_SOURCE, async (summary, at) => {
      for (const sport of oc.sports) {
        const page = `sports/${sport}/odds`;
        at(page);
        const body = await client.get(page, { regions: oc.regions, markets: oc.markets, oddsFormat: 'decimal', dateFormat: 'iso' });
        const openings = await storedOpenings(deps.database, ODDS_API_SOURCE);
        const { matches, rejected, bookmakers } = parseOddsApiEvents(body, sport, `${ODDS_API_SOURCE}:${page}`, deps.clock.now(), openings);
        await writeProviderPage(ctx, summary, ODDS_API_SOURCE, `${ODDS_API_SOURCE}:${page}`, matches, rejected, bookmakers);
        // Player markets are per event (one request each, markets x regions credits): only events not started.
        if (oc.playerMarkets.length > 0) await syncPlayerMarkets(ctx, summary, sport, matches.map((m) => m.parsed.externalId!), oc, at);
      }
    });
  }
  if (name === 'api-football') {
    const ac = deps.config.connectors.apiFootball;
    const client = counted({
      source: API_FOOTBALL_SOURCE,
      baseUrl: pc.baseUrl,
      auth: { header: 'x-apisports-key', value: pc.apiKey },
      quota: { remaining: ['x-ratelimit-requests-remaining'], minuteRemaining: ['X-RateLimit-Remaining'] },
      ...deps.client,
    });
    const ctx = { database: deps.database, clock: deps.clock, client, ...(deps.onCommitted ? { onCommitted: deps.onCommitted } : {}) };
    const wanted = opts.competition ? [opts.competition] : ac.leagues;
    const leagues = wanted.map((l) => {
      const id = apiFootballLeague(l);
      if (!id) throw new ValidationError(`unknown API-Football league ${l}; known: ${Object.entries(API_FOOTBALL_LEAGUES).map(([k, v]) => `${k} (${v.code})`).join(', ')}`, 'competition', l);
      return id;
    });
    const season = opts.season ?? ac.season ?? currentSeason(deps.clock.now());
    return runSync(
      ctx,
      API_FOOTBALL_SOURCE,
      apiFootballSync(ctx, { leagues, season, current: season === currentSeason(deps.clock.now()), lineupWindowHours: ac.lineupWindowHours, openings: () => storedOpenings(deps.database, API_FOOTBALL_SOURCE) }),
    );
  }
  throw new ValidationError(`${name} has no connector in this version; available: ${CONNECTED_SOURCES.join(', ')}`, 'source', name);
}

async function syncPlayerMarkets(ctx: SyncContext, summary: SyncSummary, sport: string, events: string[], oc: Config['connectors']['oddsApi'], at: (page: string) => void) {
  const ids = await ctx.database.db
    .select({ ext: externalIds.externalId, id: externalIds.entityId })
    .from(externalIds)
    .where(and(eq(externalIds.entityType, 'match'), eq(externalIds.source, ODDS_API_SOURCE), inArray(externalIds.externalId, events.length > 0 ? events : [''])));
  const matchOf = new Map(ids.map((r) => [r.ext, r.id]));
  for (const ev of events) {
    const page = `sports/${sport}/events/${ev}/odds`;
    const file = `${ODDS_API_SOURCE}:${page}`;
    at(page);
    const body = await ctx.client.get(page, { regions: oc.regions, markets: oc.playerMarkets.join(','), oddsFormat: 'decimal', dateFormat: 'iso' });
    const parsed = parseOddsApiPlayerProps(body);
    const matchId = matchOf.get(ev);
    if (!parsed || matchId === undefined) {
      summary.rejected.push({ file, line: 0, reason: parsed ? `event ${ev} has no stored match` : 'response is not an event with bookmakers' });
      continue;
    }
    const out = await ctx.database.db.transaction((tx) => writePlayerOdds(tx, ODDS_API_SOURCE, matchId, parsed.prices, parsed.bookmakers, file, ctx.clock.now()));
    add(summary.player_odds, out.counts);
    summary.rejected.push(...out.rejected);
  }
}

/** Opening prices already stored for a source's events (first seen stays first seen). */
async function storedOpenings(database: Database, source: string): Promise<Set<string>> {
  const rows = await queryRows<{ ev: string; bm: string; market: string; selection: string; line: number | null }>(
    database.db,
    sql`select e.external_id as ev, b.code as bm, o.market, o.selection, o.line from odds o
        join external_ids e on e.entity_type = 'match' and e.entity_id = o.match_id and e.source = ${source}
        join bookmakers b on b.id = o.bookmaker_id where o.phase = 'opening'`,
  );
  return new Set(rows.map((r) => oddsKey(r.ev, { bookmaker: r.bm, market: r.market as OddsMarket, selection: r.selection, line: r.line })));
}
