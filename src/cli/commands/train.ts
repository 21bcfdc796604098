// `sharpline train [--sport s] [--competition c] [--quick] [--json]`: fit and store the models
// (Elo, Dixon-Coles or the margin model, and the ensemble's weights) for every competition in
// scope, then generate predictions for their upcoming matches — the same service the
// 'models.train' job runs.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../platform/errors.js';
import { generatePredictions } from '../../modules/predictions/generation.js';
import { trainModels, type TrainedCompetition } from '../../modules/predictions/training.js';
import { invalidateAfterTraining } from '../../platform/cache/index.js';
import { openRuntime } from '../../runtime.js';
import { addAsOfOption, commandClock } from '../as-of.js';

interface TrainCliOptions {
  sport?: string;
  competition?: string;
  quick?: boolean;
  cutoff?: string;
  json?: boolean;
  asOf?: Date;
  settings?: 'nested' | 'fixed';
}

/** How far ahead `train` predicts after fitting; `predict --days` reaches further. */
const TRAIN_HORIZON_DAYS = 14;

function parseSettings(value: string): 'nested' | 'fixed' {
  if (value !== 'nested' && value !== 'fixed') throw new InvalidArgumentError('expected nested or fixed');
  return value;
}

function parseCutoff(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

function describe(trained: TrainedCompetition[]): string {
  if (trained.length === 0) return 'nothing to train: no competition matches\n';
  const lines: string[] = [];
  for (const t of trained) {
    lines.push(`${t.competition} (${t.sport})`);
    for (const a of t.artifacts) lines.push(`  ${a.kind.padEnd(12)} ${a.version}  ${a.matches} matches  ${a.fit_ms} ms`);
    for (const s of t.skipped) lines.push(`  ${s.kind.padEnd(12)} skipped: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerTrainCommand(program: Command): void {
  addAsOfOption(program
    .command('train'))
    .description('Train and store the prediction models, then predict upcoming matches')
    .option('--sport <sport>', 'only this sport (soccer, basketball/NBA, american_football/NFL, ...)')
    .option('--competition <code>', 'only this competition (id or code)')
    .option('--quick', 'refit without the two-year backtest (metrics and ensemble carried forward)')
    .option('--cutoff <date>', 'train on results dated before this day (default: today, UTC), e.g. to replay a past date', parseCutoff)
    .option('--settings <how>', "nested: choose the main model's and Elo's settings per competition on its backtest; fixed: the sport's own (default MODEL_SETTINGS, else nested)", parseSettings)
    .option('--json', 'print the summary as one JSON line')
    .action(async (opts: TrainCliOptions) => {
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, opts.asOf));
      const deps = { db: runtime.database.db, clock: runtime.clock, newsFeatures: config.documents.newsFeaturesInTraining, settingsSelection: opts.settings ?? config.modelSettings };
      try {
        const trained = await trainModels(deps, {
          ...(opts.sport !== undefined ? { sport: opts.sport } : {}),
          ...(opts.competition !== undefined ? { competition: opts.competition } : {}),
          trigger: 'cli',
          backtest: opts.quick !== true,
          ...(opts.cutoff !== undefined ? { cutoff: opts.cutoff } : {}),
        });
        const generated = await generatePredictions(deps, { competitionIds: trained.map((t) => t.competition_id), horizonDays: TRAIN_HORIZON_DAYS });
        // Servers sharing this Redis stop serving answers that show the previous weights.
        await invalidateAfterTraining(runtime.cache);
        process.stdout.write(opts.json ? `${JSON.stringify({ trained, generated, as_of: runtime.clock.now().toISOString(), horizon_days: TRAIN_HORIZON_DAYS })}\n` : `${describe(trained)}predictions: ${generated.inserted} new, ${generated.updated} updated, ${generated.unchanged} unchanged for ${generated.matches} upcoming matches (as of ${runtime.clock.now().toISOString()}, kick-off within ${TRAIN_HORIZON_DAYS} days; use \`sharpline predict --days N\` to predict further ahead)\n`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
}
