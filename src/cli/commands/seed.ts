// `sharpline seed demo`: write the deterministic demo dataset, and the start-up hook that
// seeds it into an empty database. Both are thin layers over modules/demo/seed.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { afterDataCommitted } from '../../data-changes.js';
import { DEFAULT_DEMO_SEED } from '../../modules/demo/generate.js';
import { seedDemo, seedDemoWhenEmpty, type SeedDemoSummary } from '../../modules/demo/seed.js';
import type { Counts } from '../../modules/ingest/types.js';
import { openRuntime, type Runtime } from '../../runtime.js';

function parseSeed(value: string): number {
  if (!/^-?\d{1,10}$/.test(value) || Math.abs(Number(value)) > 2_147_483_647) {
    throw new InvalidArgumentError('expected an integer between -2147483647 and 2147483647');
  }
  return Number(value);
}

function parseDay(value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  }
  return value;
}

const counts = (c: Counts) => `${c.inserted} inserted, ${c.updated} updated, ${c.unchanged} unchanged`;

function describe(s: SeedDemoSummary): string {
  const nothing = s.matches.inserted + s.matches.updated + s.odds.inserted + s.odds.updated + s.player_stats.inserted + s.player_stats.updated === 0;
  return [
    `Demo dataset (seed ${s.seed}, today ${s.today}): ${s.files.length} league-seasons in ${(s.duration_ms / 1000).toFixed(1)} s${nothing ? ' - already up to date, nothing changed' : ''}`,
    `  matches       ${counts(s.matches)}`,
    `  odds          ${counts(s.odds)}`,
    `  players       ${counts(s.players)}`,
    `  player stats  ${counts(s.player_stats)}`,
  ].join('\n');
}

export function registerSeedCommand(program: Command): void {
  const seed = program.command('seed').description('Load bundled datasets');
  seed
    .command('demo')
    .description('Write the demo dataset (Demo Premier League and Demo Basketball League, three seasons each); running it again changes nothing')
    .option('--seed <n>', 'random seed of the generator', parseSeed, DEFAULT_DEMO_SEED)
    .option('--today <date>', 'the day the current season has reached (YYYY-MM-DD; default: today, UTC)', parseDay)
    .option('--json', 'print the summary as one JSON line')
    .action(async (opts: { seed: number; today?: string; json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const progress = !opts.json && process.stderr.isTTY;
        const summary = await seedDemo(runtime, {
          seed: opts.seed,
          ...(opts.today !== undefined ? { today: opts.today } : {}),
          onCommitted: afterDataCommitted({ ...runtime, onError: (what, err) => process.stderr.write(`warning: ${what} failed: ${err.message}\n`) }),
          ...(progress ? { onProgress: (p) => process.stderr.write(`\r  ${Math.round(p.percent)}% ${p.stage}`.padEnd(60)) } : {}),
        });
        if (progress) process.stderr.write('\n');
        process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${describe(summary)}\n`);
      } finally {
        await runtime.close();
      }
    });
}

/** Called by `sharpline start`: seed the demo dataset when the database has no matches. */
export async function seedDemoIfEmpty(runtime: Runtime, log: (m: string) => void): Promise<void> {
  const res = await seedDemoWhenEmpty(runtime, { onCommitted: afterDataCommitted({ ...runtime, onError: (what, err) => log(`warning: ${what} failed: ${err.message}`) }) });
  if (!res.seeded) {
    log(`database has ${res.existingMatches} matches: demo dataset not seeded`);
    return;
  }
  const s = res.summary;
  log(
    `empty database: seeded the demo dataset (seed ${s.seed}) - ${s.matches.inserted} matches of the Demo Premier League and Demo Basketball League ` +
      `up to ${s.today}, in ${(s.duration_ms / 1000).toFixed(1)} s. Import real data with "sharpline import".`,
  );
}
