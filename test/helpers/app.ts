// Builds the real application on a fresh test database, for app.inject() tests.
import { randomBytes } from 'node:crypto';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { fixedClock, type Clock } from '../../src/platform/clock.js';
import { createJobEngine, type JobEngine } from '../../src/platform/jobs.js';
import { createTestDatabase } from './db.js';

export interface TestApp {
  app: App;
  database: Database;
  jobs: JobEngine;
  clock: Clock & { set(to: Date | string): void };
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(opts: { now?: string; config?: Partial<Config> } = {}): Promise<TestApp> {
  const { database, cleanup } = await createTestDatabase();
  const clock = fixedClock(opts.now ?? '2024-03-15T12:00:00Z');
  // Every test request comes from one IP on a clock that stands still, so rate limits are
  // opt-in here (RATE_LIMIT_ENABLED); the signing secret is random per app, never a file.
  const config = loadConfig({ RATE_LIMIT_ENABLED: 'false' }, { logLevel: 'silent', jwtSecret: randomBytes(32).toString('hex'), healthProbeMaxAgeMs: 0, propsWarmIntervalMs: 0, ...opts.config });
  const jobs = createJobEngine(database, clock);
  const app = await buildApp({ config, database, jobs, clock, logger: false });
  return {
    app,
    database,
    jobs,
    clock,
    config,
    async close() {
      await app.close();
      await jobs.stop();
      await cleanup();
    },
  };
}
