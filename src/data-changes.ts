// What follows a committed data change, wherever it came from (the import job, the import
// command, the demo seed): the data version is bumped (it retires the in-process props model
// state of every process: src/modules/props/state.ts; first, so no request re-caches a
// response from the old state), cached views that showed the changed data are dropped, then the
// predictions of changed matches are settled and upcoming ones refreshed, and cached prediction
// answers dropped again (they may have been re-cached from the old predictions meanwhile). The data is
// already committed when this runs, so a failure here is reported, not turned into a
// failed import.
import type { Database } from './db/client.js';
import { refreshPredictionsAfterImport } from './modules/predictions/refresh.js';
import { bumpDataVersion } from './modules/props/state.js';
import { invalidateAfterImport, invalidatePredictionAnswers, type DataChange } from './platform/cache/index.js';
import type { Cache } from './platform/cache/cache.js';
import type { Clock } from './platform/clock.js';

export interface AfterCommitDeps {
  database: Database;
  clock: Clock;
  cache?: Cache | undefined;
  onError: (what: string, err: Error) => void;
}

export function afterDataCommitted(deps: AfterCommitDeps): (change: DataChange) => Promise<void> {
  return async (change) => {
    try {
      await bumpDataVersion(deps.database.db);
    } catch (err) {
      deps.onError('bumping the data version', err instanceof Error ? err : new Error(String(err)));
    }
    if (deps.cache) await invalidateAfterImport(deps.cache, change);
    try {
      await refreshPredictionsAfterImport({ db: deps.database.db, clock: deps.clock }, change);
    } catch (err) {
      deps.onError('refreshing predictions after the import', err instanceof Error ? err : new Error(String(err)));
    }
    // Once more for prediction answers: a reader may have cached one between the first drop and the refresh.
    if (deps.cache) await invalidatePredictionAnswers(deps.cache);
  };
}
