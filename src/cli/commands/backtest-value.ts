// `sharpline backtest-value --competition <c> --seasons <a>..<b> [--rules file] [--kelly-fraction f] [--json]`:
// the value engine replayed walk-forward over past seasons at the opening prices
// (src/modules/analysis/backtest.ts).
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../platform/errors.js';
import { backtestValue, type ValueBacktest } from '../../modules/analysis/backtest.js';
import { parseSeasonRange } from '../../modules/predictions/evaluation/evaluate.js';
import { parseRuleset, RulesetError } from '../../modules/rules/ruleset.js';
import { openRuntime } from '../../runtime.js';

function parseFraction(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return x;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function table(r: ValueBacktest): string {
  const row = (name: string, s: ValueBacktest['kelly']) =>
    `| ${name} | ${s.bets} | ${s.turnover.toFixed(2)} | ${s.profit.toFixed(2)} | ${pct(s.roi)} | ${pct(s.roiInterval[0])} .. ${pct(s.roiInterval[1])} | ${s.maxDrawdown.toFixed(name === 'flat 1 unit' ? 1 : 3)} |`;
  return [
    `${r.competition} ${r.seasons[0]}..${r.seasons[r.seasons.length - 1]}: ${r.matches} matches with opening prices (${r.bookmaker}), model ${r.model}, margin removed by ${r.margin_method}, Kelly fraction ${r.kelly_fraction}, ${r.days} matchdays with bets, ${r.filtered_by_rules} bets filtered by rules`,
    '',
    '| staking | bets | turnover | profit | ROI | 95% interval (matchdays resampled) | max drawdown |',
    '|---|---:|---:|---:|---:|---|---:|',
    row('fractional Kelly (bankroll 1)', r.kelly),
    row('flat 1 unit', r.flat),
    '',
    `Closing-line value: ${pct(r.clv.beatClosing)} of ${r.clv.bets} bets had an opening price longer than the closing one; mean log(open/close) ${r.clv.meanLogRatio.toFixed(4)}.`,
    '',
  ].join('\n');
}

export function registerBacktestValueCommand(program: Command): void {
  program
    .command('backtest-value')
    .description('Replay the value engine walk-forward over past seasons at opening prices (soccer 1X2)')
    .requiredOption('--competition <code>', 'competition code or id')
    .requiredOption('--seasons <from..to>', 'seasons to bet, e.g. 2015-16..2021-22')
    .option('--rules <file>', 'business-rules YAML to filter the bets with')
    .option('--kelly-fraction <f>', 'fraction of full Kelly to stake', parseFraction, 0.25)
    .option('--bookmaker <code>', 'whose opening prices to bet (default market_avg)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { competition: string; seasons: string; rules?: string; kellyFraction: number; bookmaker?: string; json?: boolean }) => {
      let rules = null;
      if (opts.rules) {
        try {
          rules = parseRuleset(await readFile(opts.rules, 'utf8'));
        } catch (err) {
          const where = err instanceof RulesetError && err.line !== null ? `:${err.line}` : '';
          process.stderr.write(`${opts.rules}${where}: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exitCode = 2;
          return;
        }
      }
      const config = loadConfig();
      const runtime = await openRuntime(config);
      try {
        const r = await backtestValue(runtime.database.db, {
          competition: opts.competition,
          seasons: parseSeasonRange(opts.seasons),
          kellyFraction: opts.kellyFraction,
          maxStake: config.analysis.maxStake,
          ...(opts.bookmaker ? { bookmaker: opts.bookmaker } : {}),
          rules,
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : table(r));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
}
