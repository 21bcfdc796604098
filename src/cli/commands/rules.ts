// `sharpline rules validate <file>` and `sharpline rules reload`; `sharpline audit verify`
// and `sharpline audit export [--out file]` (seed 004's JSONL, one entry a line, oldest first).
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { allEntries } from '../../modules/rules/repository.js';
import { parseRuleset, rulesetVersion, RulesetError } from '../../modules/rules/ruleset.js';
import { createRulesService } from '../../modules/rules/service.js';
import { openRuntime } from '../../runtime.js';

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('Business rules (seed 004 YAML)');
  rules
    .command('validate <file>')
    .description('Check a business-rules file; names the line and field of the first problem')
    .action(async (file: string) => {
      try {
        const r = parseRuleset(await readFile(file, 'utf8'));
        const users = Object.keys(r.user_overrides ?? {}).length;
        process.stdout.write(`${file}: valid — version ${rulesetVersion(r)}, ${r.rules.length} global rules, ${users} user overrides\n`);
      } catch (err) {
        if (err instanceof RulesetError) {
          process.stderr.write(`${file}${err.line !== null ? `:${err.line}` : ''}: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
  rules
    .command('reload')
    .description('Put the configured BUSINESS_RULES_FILE in force (audited; instances pick it up at their next read)')
    .option('--reason <text>', 'recorded in the audit log')
    .action(async (opts: { reason?: string }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const service = createRulesService({ db: runtime.database.db, clock: runtime.clock, file: runtime.config.businessRulesFile });
        const r = await service.reloadFromFile({ userId: 'cli', ip: null, reason: opts.reason ?? null });
        process.stdout.write(`business rules ${r.ruleset_version} in force: ${r.changes} rule changes, ${r.entries.length} audit entries\n`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        process.stderr.write(`error: ${err.message}\n`);
        process.exitCode = 2;
      } finally {
        await runtime.close();
      }
    });

  const audit = program.command('audit').description('The rules audit log');
  audit
    .command('verify')
    .description('Recompute the hash chain; exit 1 and name the first broken entry if it does not verify')
    .option('--json', 'print the verdict as JSON')
    .action(async (opts: { json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const v = await createRulesService({ db: runtime.database.db, clock: runtime.clock, file: runtime.config.businessRulesFile }).verify();
        if (opts.json) process.stdout.write(`${JSON.stringify(v)}\n`);
        else if (v.ok) process.stdout.write(`audit log verified: ${v.entries} entries, head ${v.head_hash ?? '(empty)'}\n`);
        else process.stdout.write(`audit log BROKEN at seq ${v.first_broken_seq}: ${v.problem}\n`);
        if (!v.ok) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
  audit
    .command('export')
    .description("Write the audit log as JSONL (seed 004's fields plus seq and prev_hash)")
    .option('--out <file>', 'write here instead of standard output')
    .action(async (opts: { out?: string }) => {
      const runtime = await openRuntime(loadConfig());
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      let n = 0;
      try {
        for await (const batch of allEntries(runtime.database.db)) {
          for (const e of batch) {
            if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
            n++;
          }
        }
        if (opts.out) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
          process.stderr.write(`${n} audit entries written to ${opts.out}\n`);
        }
      } finally {
        await runtime.close();
      }
    });
}
