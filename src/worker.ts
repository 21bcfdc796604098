// `sharpline worker`: consume every queue against the configured database until stopped.
// Start as many as you like on as many machines; pg-boss hands each job to one of them.
import closeWithGrace from 'close-with-grace';
import type { Runtime } from './runtime.js';

export async function runWorker(runtime: Runtime, log: (msg: string) => void): Promise<void> {
  await runtime.jobs.start({ work: true, schedule: true });
  log(`worker started on ${runtime.database.kind}; waiting for jobs (Ctrl+C to stop)`);
  closeWithGrace({ delay: 30_000 }, async () => {
    log('worker stopping: finishing jobs in progress');
    await runtime.close();
  });
}
