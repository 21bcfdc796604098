// What every entry point (serve, worker, CLI command) starts from: the validated config,
// the migrated database, and a job engine that knows every queue.
import { join } from 'node:path';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { registerJobs } from './jobs.js';
import { systemClock, type Clock } from './platform/clock.js';
import { createJobEngine, type JobEngine } from './platform/jobs.js';

export interface Runtime {
  config: Config;
  database: Database;
  jobs: JobEngine;
  clock: Clock;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, clock: Clock = systemClock): Promise<Runtime> {
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
    poolMax: config.dbPoolMax,
  });
  await database.migrate();
  const jobs = createJobEngine(database, clock);
  registerJobs(jobs, { database, clock, config });
  return {
    config,
    database,
    jobs,
    clock,
    async close() {
      await jobs.stop();
      await database.close();
    },
  };
}
