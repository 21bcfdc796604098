// `sharpline serve`: listen, run the worker in-process in the embedded mode, shut down
// gracefully (finish in-flight requests and jobs) on SIGINT/SIGTERM.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ensureConfiguredAdmin } from './modules/auth/bootstrap.js';
import type { Runtime } from './runtime.js';

export async function serve(runtime: Runtime): Promise<void> {
  const { config } = runtime;
  const app = await buildApp({ config, database: runtime.database, jobs: runtime.jobs, clock: runtime.clock, redis: runtime.redis, cache: runtime.cache });
  const admin = await ensureConfiguredAdmin({ db: runtime.database.db, clock: runtime.clock, config });
  if (admin) app.log.info({ email: admin.email, outcome: admin.outcome }, 'admin account from SHARPLINE_ADMIN_EMAIL');
  await runtime.jobs.start({ work: config.workerInProcess });
  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
  });
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { database: runtime.database.kind, worker: config.workerInProcess ? 'in-process' : 'separate' },
    `Sharpline listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (docs at /docs)`,
  );
}
