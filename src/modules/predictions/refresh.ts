// What an import should trigger for predictions, in one call: settle the predictions of
// matches whose results arrived, then, for each touched competition that has matches coming
// up, refit its models if the import brought results newer than its latest models (a quick
// refit: no backtest) and (re)generate the predictions of its upcoming matches. Importers
// call refreshPredictionsAfterImport(deps, change) after a file commits, or enqueue the
// 'predictions.refresh' job with the changed match ids.
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { matches } from '../../db/schema/index.js';
import type { DataChange } from '../../platform/cache/index.js';
import { generatePredictions, type GenerateSummary } from './generation.js';
import { findCompetition } from './repository-data.js';
import { latestArtifact } from './repository-artifacts.js';
import { settlePredictions, type SettleSummary } from './settlement.js';
import { today, trainCompetition, type PredictionDeps } from './training.js';

export interface RefreshSummary extends SettleSummary {
  retrained: string[];
  generated: GenerateSummary;
}

const CHUNK = 5000;

export async function refreshPredictionsAfterImport(deps: PredictionDeps, change: DataChange): Promise<RefreshSummary> {
  const ids = [...new Set(change.matchIds ?? [])];
  const generated: GenerateSummary = { matches: 0, inserted: 0, updated: 0, unchanged: 0, trained: 0 };
  const summary: RefreshSummary = { settled: 0, resettled: 0, retrained: [], generated };
  if (ids.length === 0) return summary;
  const settled = await settlePredictions(deps, { matchIds: ids });
  summary.settled = settled.settled;
  summary.resettled = settled.resettled;

  // Newest result date the import touched, per competition.
  const newest = new Map<number, string | null>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await deps.db
      .select({ competitionId: matches.competitionId, newestResult: sql<string | null>`max(case when ${matches.status} = 'final' then ${matches.matchDate} end)::text` })
      .from(matches)
      .where(inArray(matches.id, ids.slice(i, i + CHUNK)))
      .groupBy(matches.competitionId);
    for (const r of rows) {
      const prev = newest.get(r.competitionId) ?? null;
      newest.set(r.competitionId, prev === null || (r.newestResult !== null && r.newestResult > prev) ? r.newestResult : prev);
    }
  }
  const now = deps.clock.now();
  for (const [competitionId, newestResult] of newest) {
    const [upcoming] = await deps.db
      .select({ id: matches.id })
      .from(matches)
      .where(and(eq(matches.competitionId, competitionId), eq(matches.status, 'scheduled'), isNull(matches.ownerUserId), gt(sql`coalesce(${matches.kickoffAt}, ${matches.matchDate}::timestamp at time zone 'UTC')`, now)))
      .limit(1);
    // History imports (no fixtures ahead) leave training to the daily job.
    if (!upcoming) continue;
    const comp = await findCompetition(deps.db, competitionId);
    if (!comp) continue;
    const elo = await latestArtifact(deps.db, competitionId, 'elo');
    const cutoff = today(deps.clock);
    const stale = elo === null || (newestResult !== null && newestResult < cutoff && (elo.windowTo === null || newestResult > elo.windowTo));
    if (stale) {
      await trainCompetition(deps, comp, { cutoff, trigger: 'import', backtest: false });
      summary.retrained.push(comp.code);
    }
    const g = await generatePredictions(deps, { competitionIds: [competitionId] });
    for (const k of ['matches', 'inserted', 'updated', 'unchanged', 'trained'] as const) generated[k] += g[k];
  }
  return summary;
}
