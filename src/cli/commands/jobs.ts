// `sharpline jobs list|show`: the background jobs' records as GET /api/v1/jobs shows them,
// for operators without the API at hand. Reads only; enqueueing is each feature's command.
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../config.js';
import { jobView } from '../../modules/jobs/routes.js';
import { openRuntime } from '../../runtime.js';

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) throw new InvalidArgumentError('expected an integer from 1 to 1000');
  return n;
}

type JobJson = ReturnType<typeof jobView>;

function line(j: JobJson): string {
  const when = (j.finished_at ?? j.started_at ?? j.created_at).replace('T', ' ').slice(0, 19);
  const stage = j.stage ? ` ${j.stage}` : '';
  const tail = j.state === 'failed' ? `  error: ${j.error ?? ''}` : '';
  return `${j.id}  ${j.queue.padEnd(16)} ${j.state.padEnd(9)} ${String(j.percent).padStart(3)}%${stage}  ${when}${tail}`;
}

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('Background jobs: recent runs and their progress');

  jobs
    .command('list')
    .description('Recent jobs, newest first, and how many wait in each queue')
    .option('--queue <name>', 'only this queue')
    .option('--limit <n>', 'how many (default 20)', parseLimit, 20)
    .option('--json', 'print one JSON line')
    .action(async (opts: { queue?: string; limit: number; json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const items = (await runtime.jobs.list(opts.limit, opts.queue)).map(jobView);
        const depth = await runtime.jobs.queueDepth();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ items, queue_depth: depth })}\n`);
          return;
        }
        const waiting = Object.entries(depth).map(([q, n]) => `${q} ${n}`);
        process.stdout.write(`queued or running: ${waiting.length > 0 ? waiting.join(', ') : 'none'}\n`);
        process.stdout.write(items.length > 0 ? `${items.map(line).join('\n')}\n` : 'no jobs recorded\n');
      } finally {
        await runtime.close();
      }
    });

  jobs
    .command('show <id>')
    .description('One job: state, progress, counts, result or error')
    .option('--json', 'print one JSON line')
    .action(async (id: string, opts: { json?: boolean }) => {
      const runtime = await openRuntime(loadConfig());
      try {
        const row = await runtime.jobs.get(id);
        if (!row) {
          process.stderr.write(`no job with id ${id}\n`);
          process.exitCode = 1;
          return;
        }
        const j = jobView(row);
        process.stdout.write(opts.json ? `${JSON.stringify(j)}\n` : `${JSON.stringify(j, null, 2)}\n`);
      } finally {
        await runtime.close();
      }
    });
}
