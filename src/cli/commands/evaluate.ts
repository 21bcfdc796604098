// `sharpline evaluate --competition <c[,c...]> --seasons <from>..<to> --models <list> [--json]`:
// walk-forward evaluation against the opening and closing market on the stored results
// (see modules/predictions/evaluation). Markdown tables by default; --json prints the report.
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ValidationError } from '../../platform/errors.js';
import { MARGIN_METHODS, type MarginMethod } from '../../models/market.js';
import { evaluate, parseModels, parseSeasonRange, type ForecastRow } from '../../modules/predictions/evaluation/evaluate.js';
import { reportMarkdown } from '../../modules/predictions/evaluation/report.js';
import { openRuntime } from '../../runtime.js';

interface EvaluateCliOptions {
  competition?: string;
  seasons?: string;
  models?: string;
  refitDays?: number;
  bookmaker?: string;
  method?: MarginMethod;
  tunedThrough?: string;
  json?: boolean;
  forecasts?: string;
  ensemblePrior?: number;
  shotsBlend?: number;
  ensemblePooled?: boolean;
  settings?: 'fixed' | 'nested';
  historyFrom?: string;
  marketBlend?: number;
}

/** The per-match forecasts as CSV: one row per reported match, three probabilities per forecaster. */
const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function forecastsCsv(rows: readonly ForecastRow[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.forecasts)))];
  const head = ['match_id', 'competition', 'season', 'date', 'home_team', 'away_team', 'cutoff', 'home_score', 'away_score', ...names.flatMap((n) => [`${n}_home`, `${n}_draw`, `${n}_away`])];
  const lines = [head.join(',')];
  for (const r of rows) {
    const cells: (string | number)[] = [r.match_id, r.competition, r.season, r.date, csvCell(r.home_team), csvCell(r.away_team), r.cutoff ?? '', r.home_score, r.away_score];
    for (const n of names) {
      const f = r.forecasts[n];
      cells.push(...(f ? [f.home, f.draw, f.away].map((p) => p.toFixed(6)) : ['', '', '']));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function parseRefit(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 365) throw new InvalidArgumentError('expected 1..365 (days between refits)');
  return Number(value);
}

function parsePrior(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0 (prior precision of the ensemble weights; 0 = no shrinkage)');
  return n;
}

function parseBlend(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1 (0 = off)');
  return n;
}

function parseSettingsMode(value: string): 'fixed' | 'nested' {
  if (value !== 'fixed' && value !== 'nested') throw new InvalidArgumentError('expected fixed or nested');
  return value;
}

function parseMethod(value: string): MarginMethod {
  if (!(MARGIN_METHODS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${MARGIN_METHODS.join(', ')}`);
  return value as MarginMethod;
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('Walk-forward evaluation of the models against the opening and closing market')
    .option('--competition <codes>', 'competition code(s) or id(s), comma-separated, one sport')
    .option('--seasons <from..to>', 'reported seasons, e.g. 2012-13..2021-22 or 2012..2021')
    .option('--models <list>', 'elo, dixon-coles, bivariate-poisson, margin, ensemble (default: every model that applies to the sport)')
    .option('--refit-days <n>', 'days between refits (default per sport: 7 soccer/NFL, 1 NBA)', parseRefit)
    .option('--bookmaker <code>', 'market prices to compare with (default market_avg for soccer, closing_line otherwise)')
    .option('--method <method>', 'how the bookmaker margin is removed (default shin)', parseMethod)
    .option('--tuned-through <season>', 'last season the settings were tuned on (default per sport)')
    .option('--ensemble-prior <precision>', 'how strongly the ensemble weights are shrunk towards the market alone (default 1000; 0 = none)', parsePrior)
    .option('--shots-blend <b>', 'weight of shots on target in the Dixon-Coles target, 0..1 (default 0.2 where shot counts exist; 0 = goals only)', parseBlend)
    .option('--market-blend <m>', "weight of the goals earlier results' closing prices implied in the Dixon-Coles target, 0..1 (default: the sport's setting)", parseBlend)
    .option('--ensemble-pooled', 'fit one ensemble blend over all the competitions given instead of one per competition')
    .option('--settings <how>', "fixed: the sport's settings as they are; nested: chosen per competition and season on its own earlier seasons (default fixed)", parseSettingsMode)
    .option('--history-from <season>', 'leave out every earlier season, as if the data began there (a thin league)')
    .option('--json', 'print the whole report as JSON')
    .option('--forecasts <file>', 'also write every reported match\'s forecasts (and the models\' data cut-off) to a CSV file')
    .action(async (opts: EvaluateCliOptions) => {
      if (!opts.competition || !opts.seasons) {
        process.stderr.write('error: --competition and --seasons are required\nusage: sharpline evaluate --competition <c> --seasons <from>..<to> --models <list> [--json]\n');
        process.exitCode = 2;
        return;
      }
      const runtime = await openRuntime(loadConfig());
      try {
        const report = await evaluate(runtime.database.db, {
          competitions: opts.competition.split(',').map((s) => s.trim()).filter(Boolean),
          seasons: parseSeasonRange(opts.seasons),
          ...(opts.models !== undefined ? { models: parseModels(opts.models) } : {}),
          ...(opts.refitDays !== undefined ? { refitDays: opts.refitDays } : {}),
          ...(opts.bookmaker !== undefined ? { bookmaker: opts.bookmaker } : {}),
          ...(opts.method !== undefined ? { method: opts.method } : {}),
          ...(opts.tunedThrough !== undefined ? { tunedThrough: opts.tunedThrough } : {}),
          ...(opts.forecasts !== undefined ? { includeForecasts: true } : {}),
          ...(opts.ensemblePrior !== undefined ? { ensemblePrior: opts.ensemblePrior } : {}),
          ...(opts.ensemblePooled ? { ensemblePerCompetition: false } : {}),
          ...(opts.shotsBlend !== undefined ? { shotsBlend: opts.shotsBlend } : {}),
          ...(opts.settings === 'nested' ? { selectSettings: true } : {}),
          ...(opts.historyFrom !== undefined ? { historyFrom: opts.historyFrom } : {}),
          ...(opts.marketBlend !== undefined ? { marketBlend: opts.marketBlend } : {}),
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        if (opts.forecasts !== undefined && report.forecasts) {
          writeFileSync(opts.forecasts, forecastsCsv(report.forecasts));
          process.stderr.write(`wrote ${report.forecasts.length} matches' forecasts to ${opts.forecasts}\n`);
          delete report.forecasts;
        }
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : reportMarkdown(report));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });
}
