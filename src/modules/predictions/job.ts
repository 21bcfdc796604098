// The prediction jobs: 'models.train' (daily at CRON_RETRAIN, and on demand), 'predictions.generate'
// (CRON_PREDICTIONS, every 4 hours by default), 'predictions.settle' (hourly) and 'predictions.refresh' (after an import). Each
// handler is one service call and returns its summary as the job's result.
import type { JobServices } from '../../jobs.js';
import type { TrainingTrigger } from '../../db/schema/index.js';
import { invalidateAfterTraining, invalidatePredictionAnswers } from '../../platform/cache/index.js';
import type { JobEngine } from '../../platform/jobs.js';
import { generatePredictions } from './generation.js';
import { refreshPredictionsAfterImport } from './refresh.js';
import { settlePredictions } from './settlement.js';
import { trainModels, type PredictionDeps } from './training.js';

export const TRAIN_QUEUE = 'models.train';
export const GENERATE_QUEUE = 'predictions.generate';
export const SETTLE_QUEUE = 'predictions.settle';
export const REFRESH_QUEUE = 'predictions.refresh';

export interface TrainJobData {
  sport?: string;
  competition?: string;
  trigger?: TrainingTrigger;
  /** false: refit without the backtest (faster; metrics carried forward). */
  backtest?: boolean;
}

export interface GenerateJobData {
  horizon_days?: number;
}

export interface RefreshJobData {
  match_ids: number[];
}

export function predictionDeps(services: JobServices): PredictionDeps {
  return { db: services.database.db, clock: services.clock, newsFeatures: services.config.documents.newsFeaturesInTraining, settingsSelection: services.config.modelSettings };
}

export function registerPredictionJobs(jobs: JobEngine, services: JobServices): void {
  const deps = predictionDeps(services);
  jobs.define<TrainJobData, Record<string, unknown>>({
    queue: TRAIN_QUEUE,
    expireInMinutes: 120,
    retryLimit: 1,
    // Scheduled runs (no singleton key) never overlap across workers; on-demand ones keep their own keys.
    policy: 'stately',
    ...(services.config.schedules.retrain ? { schedule: { cron: services.config.schedules.retrain, data: { trigger: 'schedule' as const } } } : {}),
    handler: async (ctx) => {
      await ctx.progress({ percent: 5, stage: 'training' });
      const trained = await trainModels(deps, {
        ...(ctx.data.sport !== undefined ? { sport: ctx.data.sport } : {}),
        ...(ctx.data.competition !== undefined ? { competition: ctx.data.competition } : {}),
        trigger: ctx.data.trigger ?? 'api',
        backtest: ctx.data.backtest ?? true,
      });
      await ctx.progress({ percent: 80, stage: 'predicting', counts: { competitions: trained.length } });
      const generated = await generatePredictions(deps, { competitionIds: trained.map((t) => t.competition_id) });
      // Cached answers may show the previous weights (shared with the API when Redis is configured or the worker is in-process).
      if (services.cache) await invalidateAfterTraining(services.cache);
      return { competitions: trained.length, artifacts: trained.reduce((n, t) => n + t.artifacts.length, 0), trained, generated };
    },
  });
  jobs.define<GenerateJobData, Record<string, unknown>>({
    queue: GENERATE_QUEUE,
    policy: 'stately',
    ...(services.config.schedules.predictions ? { schedule: { cron: services.config.schedules.predictions, data: {} } } : {}),
    handler: async (ctx) => {
      const generated = await generatePredictions(deps, { horizonDays: ctx.data.horizon_days ?? 14 });
      if (services.cache) await invalidatePredictionAnswers(services.cache);
      return { ...generated };
    },
  });
  jobs.define<Record<string, never>, Record<string, unknown>>({
    queue: SETTLE_QUEUE,
    schedule: { cron: '30 * * * *', data: {} },
    handler: async () => {
      const settled = await settlePredictions(deps);
      // A settled prediction shows its outcome: cached answers that showed it open are stale.
      if (services.cache) await invalidatePredictionAnswers(services.cache);
      return { ...settled };
    },
  });
  jobs.define<RefreshJobData, Record<string, unknown>>({
    queue: REFRESH_QUEUE,
    expireInMinutes: 60,
    handler: async (ctx) => {
      const refreshed = await refreshPredictionsAfterImport(deps, { matchIds: ctx.data.match_ids });
      if (services.cache) await invalidatePredictionAnswers(services.cache);
      return { ...refreshed };
    },
  });
}

