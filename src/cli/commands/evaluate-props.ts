// `sharpline evaluate-props --season <s> [--first <s>] [--json]`: the walk-forward player-prop
// evaluation (tier1, tier2, ensemble against two baselines, and same-match pairs) on the
// player data in the configured database.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { evaluatePropsSeason, loadPropsMatches, type PropsEvaluation } from '../../modules/props/evaluate.js';
import { PAIR_KINDS, SOURCES } from '../../models/props/report.js';
import { PROP_STATS } from '../../models/props/history.js';
import { openRuntime } from '../../runtime.js';
import { addAsOfOption, commandClock } from '../as-of.js';

function draws(value: string): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1000) throw new InvalidArgumentError('expected a whole number of draws, at least 1000');
  return Number(value);
}

const f4 = (x: number) => x.toFixed(4);

function human(e: PropsEvaluation): string {
  const out = [`player props, season ${e.season} (${e.report.matches} matches; history ${e.seasonsUsed.join(', ')})`];
  out.push(`max Monte Carlo error of a tier2 marginal: ${e.report.maxMonteCarloError.toFixed(4)}`);
  for (const s of PROP_STATS) {
    out.push(`\n${s}: source            n   rate   mean p  logloss  brier   ECE`);
    for (const src of SOURCES) {
      const r = e.report.props[s][src];
      out.push(`  ${src.padEnd(18)} ${String(r.n).padStart(6)} ${f4(r.observedRate)} ${f4(r.meanPredicted)} ${f4(r.logLoss)} ${f4(r.brier)} ${f4(r.calibrationError)}`);
    }
  }
  for (const k of PAIR_KINDS) {
    out.push(`\n${k}: source        n   observed  mean p  logloss  brier`);
    for (const [src, r] of Object.entries(e.report.pairs[k])) {
      out.push(`  ${src.padEnd(13)} ${String(r.n).padStart(6)} ${f4(r.observedRate)} ${f4(r.meanPredicted)} ${f4(r.logLoss)} ${f4(r.brier)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function registerEvaluatePropsCommand(program: Command): void {
  addAsOfOption(program
    .command('evaluate-props'))
    .description('Walk-forward evaluation of the player-prop models on imported player data (e.g. FPL)')
    .requiredOption('--season <season>', 'season to report, e.g. 2021-22 (earlier seasons are history)')
    .option('--first <season>', 'first season to predict (the ensemble learns from its settled predictions); default: --season')
    .option('--draws <n>', 'tier2 simulation draws per match (default 16384)', draws)
    .option('--json', 'print the evaluation as one JSON document')
    .action(async (options: { season: string; first?: string; draws?: number; json?: boolean; asOf?: Date }) => {
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, options.asOf));
      try {
        const all = await loadPropsMatches(runtime.database);
        const evaluation = evaluatePropsSeason(all, options.season, {
          ...(options.first ? { firstPredicted: options.first } : {}),
          ...(options.draws ? { params: { draws: options.draws } } : {}),
        });
        process.stdout.write(options.json ? `${JSON.stringify(evaluation)}\n` : human(evaluation));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = err.statusCode === 404 ? 1 : 2;
      } finally {
        await runtime.close();
      }
    });
}
