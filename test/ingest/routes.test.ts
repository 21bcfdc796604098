// POST /api/v1/imports: validation (400 naming the field), the queued job, and its progress
// and summary at /api/v1/jobs/{id} once a worker has run it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerImportJob } from '../../src/modules/ingest/job.js';
import { signUp, signUpAdmin, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/football-data');

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  registerImportJob(t.jobs, { database: t.database, clock: t.clock, config: t.config });
  admin = await signUpAdmin(t);
});
afterAll(async () => {
  await t.close();
});

const post = (payload: unknown, headers: Record<string, string> = admin.bearer) =>
  t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: payload as Record<string, unknown>, headers });

describe('POST /api/v1/imports', () => {
  it('is for admins only: 401 without credentials, 403 for a plain user', async () => {
    const anonymous = await post({ format: 'football-data', inputs: [FIXTURES] }, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'Unauthorized' });
    const user = await signUp(t);
    const forbidden = await post({ format: 'football-data', inputs: [FIXTURES] }, user.bearer);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: 'Forbidden' });
  });

  it('answers 503 while no job queue runs', async () => {
    const res = await post({ format: 'football-data', inputs: [FIXTURES] });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'ServiceUnavailable' });
  });

  it.each([
    [{ format: 'csv', inputs: [FIXTURES] }, 'format'],
    [{ format: 'football-data', inputs: [] }, 'inputs'],
    [{ format: 'football-data' }, 'inputs'],
    [{ format: 'football-data', inputs: [FIXTURES, join(FIXTURES, 'nope.csv')] }, 'inputs.1'],
    [{ format: 'football-data', inputs: ['ftp://example.com/E0.csv'] }, 'inputs.0'],
  ])('refuses %j with a 400 naming %s', async (payload, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'ValidationError', field });
  });

  it('queues an import job whose progress and summary the jobs endpoint shows', async () => {
    await t.jobs.start({ work: true });
    const res = await post({ format: 'football-data', inputs: [join(FIXTURES, 'e0-2000-01.csv'), join(FIXTURES, 'sp1-2004-05-latin1.csv')] });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ version: 'v1' });
    expect(body.status_url).toBe(`/api/v1/jobs/${body.job_id}`);

    let job: Record<string, unknown> = {};
    // The worker polls the queue; wait for the job by state, not by a fixed sleep.
    for (let i = 0; i < 600 && job.state !== 'completed' && job.state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.app.inject({ method: 'GET', url: body.status_url })).json();
    }
    expect(job).toMatchObject({ state: 'completed', queue: 'import.files', percent: 100 });
    expect(job.counts).toMatchObject({ files_done: 2, files: 2, matches: 7, rejected: 5 });
    const result = job.result as { matches: unknown; files: { status: string }[] };
    expect(result.matches).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
    expect(result.files.map((f) => f.status)).toEqual(['imported', 'imported']);
  });
});
