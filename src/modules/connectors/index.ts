// Connector registry: which sources exist, whether each is configured, and how to sync it.
import type { Config, ProviderConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { DataChange } from '../../platform/cache/index.js';
import type { Clock } from '../../platform/clock.js';
import { createProviderClient, type ProviderClientOptions } from './http-client.js';
import { FOOTBALL_DATA_COMPETITIONS, FOOTBALL_DATA_SOURCE, parseFootballDataMatches } from './football-data.js';
import { runSync, writeProviderPage, type SyncSummary } from './sync.js';
import { ValidationError } from '../../platform/errors.js';

export const SOURCES = ['football-data', 'api-football', 'odds-api'] as const;
export type SourceName = (typeof SOURCES)[number];
/** CLI name → the source recorded with data and in data_sources. */
export const SOURCE_IDS: Record<SourceName, string> = { 'football-data': FOOTBALL_DATA_SOURCE, 'api-football': 'api-football', 'odds-api': 'the-odds-api' };

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
  if (!pc.apiKey) throw new SourceDisabledError(`${name} is disabled: set ${name === 'football-data' ? 'FOOTBALL_DATA_API_KEY' : name === 'api-football' ? 'API_FOOTBALL_KEY' : 'ODDS_API_KEY'}`, 'source', name);
  if (name === 'football-data') {
    const client = createProviderClient({
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
  throw new ValidationError(`${name} connector is not implemented yet`, 'source', name);
}
