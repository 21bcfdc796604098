// Every queue the service knows, defined once; serve (in-process) and `sharpline worker`
// consume them, and any process may enqueue. Each feature module contributes its jobs.
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Clock } from './platform/clock.js';
import type { JobEngine } from './platform/jobs.js';

export interface JobServices {
  database: Database;
  clock: Clock;
  config: Config;
}

export function registerJobs(_jobs: JobEngine, _services: JobServices): void {}
