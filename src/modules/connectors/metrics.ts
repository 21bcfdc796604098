// Per-source connector counters, process-wide: the provider client counts every HTTP
// exchange and each sync run the rows it wrote, wherever it runs (a worker, embedded serve,
// the CLI). The /metrics registry of each app (src/platform/metrics.ts) reads these totals
// when scraped, so a run in this process shows on its /metrics as
// data_source_requests_total{source,outcome}, data_source_errors_total{source} (failed exchanges and unusable 2xx bodies) and
// data_source_rows_written_total{source,kind}. Monotonic for the life of the process.
import type { SyncSummary } from './sync.js';

const requests = new Map<string, number>(); // `${source}|${outcome}`
const errors = new Map<string, number>(); // source
const rows = new Map<string, number>(); // `${source}|${kind}`

const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** One HTTP exchange with a provider: outcome is the status class (2xx, 4xx, 429, 5xx) or 'network'. */
export function recordProviderRequest(source: string, status: number | null, ok: boolean): void {
  const outcome = status === null ? 'network' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
  bump(requests, `${source}|${outcome}`);
  if (!ok) bump(errors, source);
}

/** A provider answer that was HTTP 2xx but unusable (malformed body, an error envelope). */
export function recordProviderError(source: string): void {
  bump(errors, source);
}

/** The rows a finished run inserted or updated, by kind. */
export function recordRowsWritten(source: string, s: Pick<SyncSummary, 'matches' | 'odds' | 'odds_history' | 'player_odds' | 'lineups' | 'injuries' | 'players_created'>): void {
  const written = (c: { inserted: number; updated: number }) => c.inserted + c.updated;
  bump(rows, `${source}|matches`, written(s.matches));
  bump(rows, `${source}|odds`, written(s.odds));
  bump(rows, `${source}|odds_history`, s.odds_history);
  bump(rows, `${source}|player_odds`, written(s.player_odds));
  bump(rows, `${source}|lineups`, written(s.lineups));
  bump(rows, `${source}|injuries`, written(s.injuries));
  bump(rows, `${source}|players`, s.players_created);
}

export interface ConnectorTotals {
  requests: { source: string; outcome: string; value: number }[];
  errors: { source: string; value: number }[];
  rows: { source: string; kind: string; value: number }[];
}

export function connectorTotals(): ConnectorTotals {
  return {
    requests: [...requests].map(([k, value]) => {
      const [source, outcome] = k.split('|') as [string, string];
      return { source, outcome, value };
    }),
    errors: [...errors].map(([source, value]) => ({ source, value })),
    rows: [...rows].map(([k, value]) => {
      const [source, kind] = k.split('|') as [string, string];
      return { source, kind, value };
    }),
  };
}
