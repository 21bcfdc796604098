// `sharpline import <format> <path-or-url...> [--json]`: the import service on the command
// line. A progress bar on stderr when it is a terminal; a human summary on stdout, or with
// --json exactly one JSON line. Exit codes: 0 every file imported (rejected rows are not
// failures), 1 a file failed, 2 bad usage (unknown format, missing path).
import { stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { afterDataCommitted } from '../../data-changes.js';
import { ValidationError } from '../../platform/errors.js';
import { importFiles, isImportFormat } from '../../modules/ingest/service.js';
import { isUrl } from '../../modules/ingest/source.js';
import { IMPORT_FORMATS, type ImportSummary } from '../../modules/ingest/types.js';
import { openRuntime } from '../../runtime.js';
import { addAsOfOption, commandClock } from '../as-of.js';

interface ImportOptions {
  json?: boolean;
  force?: boolean;
  asOf?: Date;
}

function usageError(message: string): void {
  process.stderr.write(`error: ${message}\nusage: sharpline import <${IMPORT_FORMATS.join('|')}> <path-or-url...> [--json] [--force]\n`);
  process.exitCode = 2;
}

const counts = (c: { inserted: number; updated: number; unchanged: number }) => `${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`;

export function humanSummary(s: ImportSummary): string {
  const by = (status: string) => s.files.filter((f) => f.status === status).length;
  const lines = [
    `${s.format}: ${s.files.length} file(s): ${by('imported')} imported, ${by('unchanged')} unchanged, ${by('failed')} failed (${(s.duration_ms / 1000).toFixed(1)} s)`,
    `  matches  ${counts(s.matches)}`,
    `  odds     ${counts(s.odds)}`,
    `  players  ${counts(s.players)}`,
    `  player stats ${counts(s.player_stats)}`,
    `  teams created ${s.teams_created}`,
  ];
  if (s.rejected.length > 0) {
    lines.push(`  rejected rows: ${s.rejected.length}`);
    for (const r of s.rejected.slice(0, 20)) lines.push(`    ${r.file}:${r.line} ${r.reason}`);
    if (s.rejected.length > 20) lines.push(`    ... and ${s.rejected.length - 20} more (--json lists them all)`);
  }
  if ((s.warnings?.length ?? 0) > 0) lines.push(`  warnings (row imported, a cell ignored): ${s.warnings!.length} (--json lists them)`);
  for (const r of s.review) {
    lines.push(`  review: "${r.name}" became team ${r.created_team_id}; it resembles ${r.resembles.name} (team ${r.resembles.team_id}, ${r.resembles.similarity_pct}%)`);
    lines.push(`          if they are one team: sharpline teams alias add "${r.name}" ${r.resembles.team_id}`);
  }
  for (const f of s.files.filter((f) => f.status === 'failed')) lines.push(`  FAILED ${f.file}: ${f.error}`);
  return `${lines.join('\n')}\n`;
}

export function registerImportCommand(program: Command): void {
  addAsOfOption(program
    .command('import'))
    .description(`Import files, folders or http(s) URLs of one format (${IMPORT_FORMATS.join(', ')})`)
    .argument('[format]', `one of ${IMPORT_FORMATS.join(', ')}`)
    .argument('[inputs...]', 'files, folders (every file of the format below them) or http(s) URLs')
    .option('--json', 'print the summary as exactly one JSON line on stdout')
    .option('--force', 'import again files whose bytes were imported before')
    .action(async (format: string | undefined, inputs: string[], options: ImportOptions) => {
      if (!format) return usageError('missing format');
      if (!isImportFormat(format)) return usageError(`unknown format "${format}"; expected one of ${IMPORT_FORMATS.join(', ')}`);
      if (inputs.length === 0) return usageError('missing path or URL');
      for (const input of inputs) {
        if (isUrl(input)) continue;
        const exists = await stat(input).then(
          () => true,
          () => false,
        );
        if (!exists) return usageError(`no such file or folder: ${input}`);
      }
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, options.asOf));
      const bar =
        process.stderr.isTTY === true
          ? new cliProgress.SingleBar(
              { stream: process.stderr, format: '{bar} {percentage}% | {done}/{files} files | {stage} {file}', hideCursor: true, clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
      bar?.start(100, 0, { done: 0, files: 0, stage: 'reading', file: '' });
      let summary: ImportSummary;
      try {
        summary = await importFiles(runtime.database, format, inputs, {
          clock: runtime.clock,
          force: options.force === true,
          onProgress: (p) => bar?.update(Math.floor(p.percent), { done: p.filesDone, files: p.files, stage: p.stage, file: p.file.split(/[\\/]/).pop() ?? p.file }),
          onCommitted: afterDataCommitted({ ...runtime, onError: (what, err) => process.stderr.write(`warning: ${what} failed: ${err.message}\n`) }),
        });
      } catch (err) {
        bar?.stop();
        await runtime.close();
        if (err instanceof ValidationError) return usageError(err.message);
        throw err;
      }
      bar?.stop();
      await runtime.close();
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : humanSummary(summary));
      process.exitCode = summary.files.some((f) => f.status === 'failed') ? 1 : 0;
    });
}
