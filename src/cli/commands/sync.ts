// `sharpline sync --source <name> [--competition <code>] [--season <year>] [--json]`: one
// connector run (the same function the scheduled jobs call). Exit codes: 0 completed,
// 1 failed, 3 stopped on a spent quota (what was written stays), 2 bad usage or source off.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config.js';
import { afterDataCommitted } from '../../data-changes.js';
import { ValidationError } from '../../platform/errors.js';
import { CONNECTED_SOURCES, KEY_VARIABLES, SOURCES, syncSource, type SourceName } from '../../modules/connectors/index.js';
import { backfillSeasons, HISTORY_SOURCES, type BackfillSummary } from '../../modules/connectors/backfill.js';
import type { SyncSummary } from '../../modules/connectors/sync.js';
import { listSchedules } from '../../modules/jobs/schedules.js';
import { openRuntime, type Runtime } from '../../runtime.js';
import { addAsOfOption, commandClock } from '../as-of.js';

const counts = (c: { inserted: number; updated: number; unchanged: number }) => `${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`;

/** What a sync or backfill run by the CLI writes through: the runtime, and the after-commit work of every import. */
function syncDeps(config: Config, runtime: Runtime) {
  return {
    config,
    database: runtime.database,
    clock: runtime.clock,
    onCommitted: afterDataCommitted({ ...runtime, onError: (what, err) => process.stderr.write(`warning: ${what} failed: ${err.message}\n`) }),
  };
}

export function humanSyncSummary(s: SyncSummary): string {
  const lines = [
    `${s.source}: ${s.status}${s.stopped_at ? ` at ${s.stopped_at}` : ''} (${s.requests} request(s), quota left ${s.quota_remaining ?? 'unknown'}, ${(s.duration_ms / 1000).toFixed(1)} s)`,
    `  matches  ${counts(s.matches)}`,
    `  odds     ${counts(s.odds)} (${s.odds_history} price change(s) into the history)`,
    `  teams created ${s.teams_created}`,
  ];
  if (s.player_odds.inserted + s.player_odds.updated + s.player_odds.unchanged > 0) lines.push(`  player odds ${counts(s.player_odds)}`);
  const squad = [s.lineups, s.injuries].some((c) => c.inserted + c.updated + c.unchanged > 0);
  if (squad) lines.push(`  lineups  ${counts(s.lineups)}`, `  injuries ${counts(s.injuries)}`, `  players created ${s.players_created}`);
  if (s.error) lines.push(`  error: ${s.error}`);
  if (s.rejected.length > 0) {
    lines.push(`  rejected rows: ${s.rejected.length}`);
    for (const r of s.rejected.slice(0, 20)) lines.push(`    ${r.file}:${r.line} ${r.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerSyncCommand(program: Command): void {
  addAsOfOption(program.command('sync'))
    .description(`Fetch from a provider and write through the ingest path (${CONNECTED_SOURCES.join(', ')})`)
    .requiredOption('--source <name>', `one of ${CONNECTED_SOURCES.join(', ')}`)
    .option('--competition <code>', 'only this competition (football-data.org code, e.g. PL)')
    .option('--season <year>', 'the season starting in this year (default: the current one)', (v) => Number(v))
    .option('--json', 'print the summary as exactly one JSON line')
    .action(async (options: { source: string; competition?: string; season?: number; json?: boolean; asOf?: Date }) => {
      if (!(SOURCES as readonly string[]).includes(options.source)) {
        process.stderr.write(`error: unknown source "${options.source}"; expected one of ${SOURCES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, options.asOf));
      let summary: SyncSummary;
      try {
        summary = await syncSource(
          syncDeps(config, runtime),
          options.source as SourceName,
          { ...(options.competition ? { competition: options.competition } : {}), ...(options.season ? { season: options.season } : {}) },
        );
      } catch (err) {
        await runtime.close();
        if (err instanceof ValidationError) {
          process.stderr.write(`error: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      await runtime.close();
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : humanSyncSummary(summary));
      process.exitCode = summary.status === 'completed' ? 0 : summary.status === 'stopped' ? 3 : 1;
    });
}

/** `sharpline backfill --seasons N [--source <name>] [--json]`: the N finished seasons before the current one. */
export function registerBackfillCommand(program: Command): void {
  addAsOfOption(program.command('backfill'))
    .description(`Fetch the N finished seasons before the current one from each fixtures source with a key (${HISTORY_SOURCES.join(', ')})`)
    .requiredOption('--seasons <n>', 'how many seasons back (1-20)', (v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN))
    .option('--source <name>', `only this source (${HISTORY_SOURCES.join(', ')})`)
    .option('--json', 'print the summary as exactly one JSON line')
    .action(async (options: { seasons: number; source?: string; json?: boolean; asOf?: Date }) => {
      if (options.source !== undefined && !(HISTORY_SOURCES as readonly string[]).includes(options.source)) {
        process.stderr.write(`error: --source must be one of ${HISTORY_SOURCES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      if (!Number.isInteger(options.seasons) || options.seasons < 1 || options.seasons > 20) {
        process.stderr.write('error: --seasons must be an integer from 1 to 20\n');
        process.exitCode = 2;
        return;
      }
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, options.asOf));
      let out: BackfillSummary;
      try {
        out = await backfillSeasons(
          syncDeps(config, runtime),
          { seasons: options.seasons, ...(options.source ? { sources: [options.source as SourceName] } : {}) },
        );
      } catch (err) {
        await runtime.close();
        if (err instanceof ValidationError) {
          process.stderr.write(`error: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      await runtime.close();
      if (out.runs.length === 0) {
        process.stderr.write(`error: no fixtures source configured (${out.skipped.map((s) => KEY_VARIABLES[s.source]).join(' or ')})\n`);
        process.exitCode = 2;
        return;
      }
      if (options.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else {
        process.stdout.write(`backfill of seasons ${out.seasons.join(', ')}: ${out.status}\n`);
        for (const s of out.skipped) process.stdout.write(`${s.source}: skipped (${s.reason})\n`);
        for (const r of out.runs) process.stdout.write(`season ${r.season} ${humanSyncSummary(r)}`);
      }
      process.exitCode = out.status === 'completed' ? 0 : out.status === 'stopped' ? 3 : 1;
    });
}

/** `sharpline schedules [--json]`: every scheduled job (and each provider sync that is off), next run and last outcome. */
export function registerSchedulesCommand(program: Command): void {
  addAsOfOption(program.command('schedules'))
    .description('List the scheduled jobs (provider syncs, history, retrain, predictions, documents) with their cron, next run and last outcome')
    .option('--json', 'print the list as exactly one JSON line')
    .action(async (options: { json?: boolean; asOf?: Date }) => {
      const config = loadConfig();
      const runtime = await openRuntime(config, commandClock(config, options.asOf));
      try {
        const rows = await listSchedules({ database: runtime.database, config, clock: runtime.clock, jobs: runtime.jobs });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows)}\n`);
          return;
        }
        for (const r of rows) {
          const last = r.last_run ? `last ${r.last_run.state}${r.last_run.finished_at ? ` at ${r.last_run.finished_at}` : ''}${r.last_run.error ? ` (${r.last_run.error})` : ''}` : 'never run';
          process.stdout.write(`${r.queue.padEnd(22)} ${r.enabled ? `${(r.cron ?? '').padEnd(14)} next ${r.next_run}` : r.source ? 'off (no key or no cron)' : 'off (no cron)'}  ${last}\n`);
        }
      } finally {
        await runtime.close();
      }
    });
}
