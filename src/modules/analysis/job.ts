// The 'analysis.run' job: any worker may take a run; its status and progress live on the
// run's row, so every API instance reads the same state and a restart loses nothing.
import type { JobServices } from '../../jobs.js';
import type { JobEngine } from '../../platform/jobs.js';
import { createRulesService } from '../rules/service.js';
import { rulesPortOf, runAnalysis, type AnalysisRequest } from './engine.js';
import { findRun, updateRun } from './repository.js';
import { ANALYSIS_QUEUE, type AnalysisJobData } from './service.js';


export function registerAnalysisJob(jobs: JobEngine, services: JobServices): void {
  const db = services.database.db;
  const clock = services.clock;
  jobs.define<AnalysisJobData, Record<string, unknown>>({
    queue: ANALYSIS_QUEUE,
    expireInMinutes: 30,
    // A failed run is reported as failed with its reason; the user starts another.
    retryLimit: 0,
    handler: async (ctx) => {
      const run = await findRun(db, ctx.data.run_id);
      if (!run) throw new Error(`analysis run ${ctx.data.run_id} does not exist`);
      let lastWrite = 0;
      // Read fresh for every run: the active ruleset is the newest one in the database.
      const rules = rulesPortOf(createRulesService({ db, clock, file: services.config.businessRulesFile }));
      try {
        const summary = await runAnalysis(
          { db, clock, settings: services.config.analysis, rules },
          run.id,
          run.request as unknown as AnalysisRequest,
          async (u) => {
            const now = clock.now();
            // At most four writes a second, plus the last one.
            if (u.sport !== null && now.getTime() - lastWrite < 250) return;
            lastWrite = now.getTime();
            await updateRun(db, run.id, { analysedBets: u.analysed, totalBets: u.total, currentSport: u.sport, currentBookmaker: u.bookmaker, updatedAt: now });
            await ctx.progress({ percent: u.total > 0 ? (100 * u.analysed) / u.total : 100, stage: 'analyzing', counts: { analysed: u.analysed, total: u.total } });
          },
        );
        await updateRun(db, run.id, {
          status: 'completed',
          message: `Found ${summary.opportunities} positive-EV prices (${summary.filtered} filtered by business rules) among ${summary.priced} priced of ${summary.offers}`,
          summary: summary as unknown as Record<string, unknown>,
          finishedAt: clock.now(),
          updatedAt: clock.now(),
        });
        return { ...summary };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await updateRun(db, run.id, { status: 'failed', error: reason, message: 'Analysis failed', finishedAt: clock.now(), updatedAt: clock.now() });
        throw err;
      }
    },
  });
}
