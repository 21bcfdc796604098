// A second app instance on an existing test app's PostgreSQL database (another server process).
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { createJobEngine } from '../../src/platform/jobs.js';
import type { TestApp } from '../helpers/app.js';

export async function createTestAppOn(t: TestApp): Promise<TestApp> {
  const database = await openDatabase({ url: t.database.url, poolMax: 3 });
  const jobs = createJobEngine(database, t.clock);
  const app = await buildApp({ config: t.config, database, jobs, clock: t.clock, logger: false });
  return {
    ...t,
    app,
    database,
    jobs,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
