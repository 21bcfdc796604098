// `sharpline users create-admin`: the first admin account (or promote an existing one).
// The password comes from --password-stdin (best: stays out of shell history and the
// process list), --password, or SHARPLINE_ADMIN_PASSWORD; the e-mail from --email or
// SHARPLINE_ADMIN_EMAIL.
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { ensureAdmin } from '../../modules/auth/bootstrap.js';
import { openRuntime } from '../../runtime.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Manage accounts');
  users
    .command('create-admin')
    .description('Create the admin account, or make an existing account admin (its password is kept)')
    .option('--email <email>', 'admin e-mail (default: SHARPLINE_ADMIN_EMAIL)')
    .option('--password <password>', 'admin password (default: SHARPLINE_ADMIN_PASSWORD)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (opts: { email?: string; password?: string; passwordStdin?: boolean }) => {
      const config = loadConfig();
      const email = opts.email ?? config.adminEmail;
      const password = opts.passwordStdin ? await readStdin() : (opts.password ?? config.adminPassword);
      if (!email) throw new Error('give --email or set SHARPLINE_ADMIN_EMAIL');
      if (!password) throw new Error('give --password-stdin, --password or set SHARPLINE_ADMIN_PASSWORD');
      const runtime = await openRuntime(config);
      try {
        const { user, outcome } = await ensureAdmin({ db: runtime.database.db, clock: runtime.clock, config }, { email, password });
        const what = outcome === 'created' ? 'created admin' : outcome === 'promoted' ? 'made admin' : 'already admin';
        process.stdout.write(`${what}: ${user.email} (id ${user.id})\n`);
      } finally {
        await runtime.close();
      }
    });
}
