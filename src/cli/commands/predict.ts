// `sharpline predict [--days N] [--competition c] [--settle] [--json]`: generate (or refresh)
// predictions for upcoming matches and settle finished ones — the services behind the
// 'predictions.generate' and 'predictions.settle' jobs.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../platform/errors.js';
import { competitionFilter } from '../../modules/catalog/resolve.js';
import { generatePredictions } from '../../modules/predictions/generation.js';
import { settlePredictions } from '../../modules/predictions/settlement.js';
import { openRuntime } from '../../runtime.js';
import { addAsOfOption, commandClock } from '../as-of.js';

function parseDays(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 366) throw new InvalidArgumentError('expected 1..366');
  return Number(value);
}

export function registerPredictCommand(program: Command): void {
  addAsOfOption(program
    .command('predict'))
    .description('Generate predictions for upcoming matches and settle finished ones')
    .option('--days <n>', 'matches up to this many days ahead', parseDays, 14)
    .option('--competition <code>', 'only this competition (id or code)')
    .option('--no-settle', 'do not settle predictions of finished matches')
    .option('--json', 'print the summary as one JSON line')
    .action(async (opts: { days: number; competition?: string; settle: boolean; json?: boolean; asOf?: Date }) => {
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, opts.asOf));
      const deps = { db: runtime.database.db, clock: runtime.clock };
      try {
        const ids = opts.competition !== undefined ? [(await competitionFilter(deps.db, opts.competition)).id] : undefined;
        const settled = opts.settle ? await settlePredictions(deps) : null;
        const generated = await generatePredictions(deps, { horizonDays: opts.days, ...(ids ? { competitionIds: ids } : {}) });
        if (opts.json) process.stdout.write(`${JSON.stringify({ generated, settled, as_of: runtime.clock.now().toISOString(), horizon_days: opts.days })}\n`);
        else {
          process.stdout.write(`predictions: ${generated.inserted} new, ${generated.updated} updated, ${generated.unchanged} unchanged for ${generated.matches} upcoming matches within ${opts.days} days of ${runtime.clock.now().toISOString()} (${generated.trained} models trained on demand)\n`);
          if (settled) process.stdout.write(`settled: ${settled.settled} (${settled.resettled} again after a score correction)\n`);
        }
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
}
