// `sharpline backfill --seasons N` and the daily history job (seed 002's backfill_historical
// and sync_historical_data): the N finished seasons before the current one, from each fixtures
// source with a key (football-data.org, API-Football), oldest first, through the same sync as
// every other run. A source that stops (spent quota) or fails is not asked for more seasons in
// this run; the others go on. Past seasons are fixtures and results only: their odds have
// closed and their injuries say nothing about today (see apiFootballSync).
import { ValidationError } from '../../platform/errors.js';
import { currentSeason, providerConfig, syncSource, type SourceName, type SyncDeps } from './index.js';
import type { SyncSummary } from './sync.js';

/** Sources that carry fixtures and results by season. */
export const HISTORY_SOURCES: readonly SourceName[] = ['football-data', 'api-football'];

export interface BackfillSummary {
  seasons: number[];
  /** completed: every run completed; stopped: a quota was spent; failed: a run failed. */
  status: 'completed' | 'stopped' | 'failed';
  skipped: { source: SourceName; reason: string }[];
  runs: (SyncSummary & { season: number; name: SourceName })[];
}

export async function backfillSeasons(deps: SyncDeps, opts: { seasons: number; sources?: SourceName[] }): Promise<BackfillSummary> {
  if (!Number.isInteger(opts.seasons) || opts.seasons < 1 || opts.seasons > 20) throw new ValidationError('seasons must be an integer from 1 to 20', 'seasons', opts.seasons);
  for (const s of opts.sources ?? []) {
    if (!HISTORY_SOURCES.includes(s)) throw new ValidationError(`${s} has no seasons to backfill; use one of ${HISTORY_SOURCES.join(', ')}`, 'source', s);
  }
  const now = currentSeason(deps.clock.now());
  const seasons = Array.from({ length: opts.seasons }, (_, i) => now - opts.seasons + i);
  const out: BackfillSummary = { seasons, status: 'completed', skipped: [], runs: [] };
  for (const name of opts.sources ?? HISTORY_SOURCES) {
    if (!providerConfig(deps.config, name).apiKey) {
      out.skipped.push({ source: name, reason: 'no API key configured' });
      continue;
    }
    for (const season of seasons) {
      const run = await syncSource(deps, name, { season });
      out.runs.push({ ...run, season, name });
      if (run.status !== 'completed') {
        if (out.status !== 'failed') out.status = run.status;
        break;
      }
    }
  }
  return out;
}
