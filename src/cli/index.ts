// The `sharpline` command: services (start, serve, worker) and operator commands. Each
// command is a thin layer over the same modules the API and the jobs use.
import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { openRuntime } from '../runtime.js';
import { serviceClock } from './as-of.js';
import { serve } from '../server.js';
import { runWorker } from '../worker.js';
import { registerImportCommand } from './commands/import.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerSeedCommand, seedDemoIfEmpty } from './commands/seed.js';
import { registerTeamsCommand } from './commands/teams.js';
import { registerUsersCommand } from './commands/users.js';
import { registerEvaluatePropsCommand } from './commands/evaluate-props.js';
import { registerTrainCommand } from './commands/train.js';
import { registerPredictCommand } from './commands/predict.js';
import { registerEvaluateCommand } from './commands/evaluate.js';
import { registerRulesCommands } from './commands/rules.js';
import { registerBacktestValueCommand } from './commands/backtest-value.js';
import { registerBackfillCommand, registerSchedulesCommand, registerSyncCommand } from './commands/sync.js';
import { registerDocumentsCommand } from './commands/documents.js';

const program = new Command('sharpline')
  .description('Sharpline: sports data, calibrated predictions and value analysis')
  .version(APP_VERSION)
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the HTTP + WebSocket API (and, in embedded mode, the job worker)')
  .action(async () => {
    const config = loadConfig();
    const runtime = await openRuntime(config, serviceClock(config));
    await serve(runtime);
  });

program
  .command('start')
  .description('Migrate, seed the demo dataset if the database is empty, then serve')
  .action(async () => {
    const config = loadConfig();
    const runtime = await openRuntime(config, serviceClock(config));
    if (config.seedDemoOnEmpty) await seedDemoIfEmpty(runtime, (m) => process.stderr.write(`${m}\n`));
    await serve(runtime);
  });

program
  .command('worker')
  .description('Consume background jobs (imports, training, analysis, scheduled syncs)')
  .action(async () => {
    const config = loadConfig();
    const runtime = await openRuntime(config, serviceClock(config));
    await runWorker(runtime, (m) => process.stderr.write(`${m}\n`));
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    const runtime = await openRuntime(loadConfig());
    process.stdout.write(`migrations applied (${runtime.database.kind})\n`);
    await runtime.close();
  });

registerImportCommand(program);
registerJobsCommand(program);
registerSeedCommand(program);
registerTeamsCommand(program);
registerUsersCommand(program);
registerEvaluatePropsCommand(program);
registerTrainCommand(program);
registerPredictCommand(program);
registerEvaluateCommand(program);
registerRulesCommands(program);
registerBacktestValueCommand(program);
registerSyncCommand(program);
registerBackfillCommand(program);
registerSchedulesCommand(program);
registerDocumentsCommand(program);

program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    process.stderr.write(`configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
