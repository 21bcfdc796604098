// `sharpline teams alias add <alias> <team-id> [--source s]`: teach the resolver a name, and
// fold a team an import created from that name into the real one (one transaction).
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { addTeamAlias } from '../../modules/ingest/team-merge.js';
import { openRuntime } from '../../runtime.js';

function teamId(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a team id (a positive whole number)');
  return Number(value);
}

export function registerTeamsCommand(program: Command): void {
  const teams = program.command('teams').description('Team names and aliases');
  const alias = teams.command('alias').description('Aliases: other spellings of a team name');
  alias
    .command('add')
    .description('Make <alias> resolve to team <team-id>; a team created earlier from that name is merged into it')
    .argument('<alias>', 'the spelling, as a source writes it')
    .argument('<team-id>', 'the team it names', teamId)
    .option('--source <source>', "only for this source (e.g. football-data); default '*' (every source)")
    .option('--json', 'print the result as one JSON line')
    .action(async (name: string, id: number, options: { source?: string; json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const res = await addTeamAlias(runtime.database, { alias: name, teamId: id, ...(options.source ? { source: options.source } : {}) }, runtime.clock);
        if (options.json) process.stdout.write(`${JSON.stringify(res)}\n`);
        else {
          process.stdout.write(`alias "${res.alias}" (source ${res.source}) → team ${res.team_id}\n`);
          for (const m of res.merged) {
            process.stdout.write(`merged team ${m.team_id} "${m.name}": ${m.matches_moved} matches moved, ${m.matches_folded} duplicates folded\n`);
          }
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = err.statusCode === 404 ? 1 : 2;
      } finally {
        await runtime.close();
      }
    });
}
