// Business rules through the admin API and the audit chain on the real database: reload,
// replace, refusals that change nothing but are audited, the append-only guard, tampering
// found at its exact seq, concurrent changes on one chain, and 403 for non-admins.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { signUp, signUpAdmin, type Session } from '../auth/helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { usingPostgres } from '../helpers/db.js';

const V1 = `ruleset_version: "v1"\nrules:\n  - id: "min-ev"\n    type: expected_value_min\n    value: 0.02\n  - id: "max-odds"\n    type: odds_max\n    value: 10\n`;
const V2 = `ruleset_version: "v2"\nrules:\n  - id: "min-ev"\n    type: expected_value_min\n    value: 0.05\n  - id: "no-ufc"\n    type: forbidden_combo\n    combo: ["ufc", "parlay"]\n`;

let t: TestApp;
let admin: Session;
let user: Session;
let file: string;
beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'sl-rules-')), 'rules.yaml');
  await writeFile(file, V1);
  t = await createTestApp({ config: { businessRulesFile: file } });
  admin = await signUpAdmin(t);
  user = await signUp(t);
});
afterAll(async () => {
  await t.close();
});

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: Record<string, unknown>) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const log = async (q = '') => (await inject('GET', `/api/v1/admin/rules-audit-log?page_size=200${q}`, admin.bearer)).json();

describe('business rules admin API', () => {
  it('every admin route is 401 without credentials and 403 for a normal user', async () => {
    const routes: ['GET' | 'POST' | 'PUT', string][] = [
      ['POST', '/api/v1/admin/reload-business-rules'],
      ['GET', '/api/v1/admin/business-rules'],
      ['PUT', '/api/v1/admin/business-rules'],
      ['GET', '/api/v1/admin/rules-audit-log'],
      ['GET', '/api/v1/admin/rules-audit-log/verify'],
    ];
    for (const [m, url] of routes) {
      expect((await inject(m, url, {}, m === 'PUT' ? { yaml: V2 } : undefined)).statusCode).toBe(401);
      expect((await inject(m, url, user.bearer, m === 'PUT' ? { yaml: V2 } : undefined)).statusCode).toBe(403);
    }
  });

  it('the first read puts the configured file in force, audited as init rule by rule', async () => {
    const res = await inject('GET', '/api/v1/admin/business-rules', admin.bearer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ruleset_version: 'v1', source: `file:${file}` });
    const entries = (await log()).items as { seq: number; action: string; rule_id: string | null; user_id: string }[];
    expect(entries.map((e) => [e.seq, e.action, e.rule_id])).toEqual([
      [1, 'init', 'max-odds'],
      [2, 'init', 'min-ev'],
      [3, 'init', null],
    ]);
  });

  it('reload derives add, update and delete entries with before and after, and seed 004 response', async () => {
    await writeFile(file, V2);
    const res = await inject('POST', '/api/v1/admin/reload-business-rules', admin.bearer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', message: 'Business rules reloaded', ruleset_version: 'v2', changes: 3 });
    const entries = (await log('&since=1970-01-01T00:00:00Z')).items as { seq: number; action: string; rule_id: string | null; before: { value?: number } | null; after: { value?: number } | null; user_id: string; request_ip: string }[];
    const later = entries.filter((e) => e.seq > 3);
    expect(later.map((e) => [e.action, e.rule_id])).toEqual([
      ['delete', 'max-odds'],
      ['update', 'min-ev'],
      ['add', 'no-ufc'],
      ['reload', null],
    ]);
    expect(later[1]!.before!.value).toBe(0.02);
    expect(later[1]!.after!.value).toBe(0.05);
    expect(later[0]!.user_id).toMatch(/^user:\d+$/);
    expect(later[0]!.request_ip).toBeTruthy();
    expect((await log('&action=update')).items).toHaveLength(1);
    expect((await log('&rule_id=no-ufc')).items).toHaveLength(1);
  });

  it('an invalid file is refused naming line and field; the ruleset stays; the refusal is audited', async () => {
    const before = (await log()).total as number;
    await writeFile(file, 'rules:\n  - id: "x"\n    type: odds_min\n    value: "cheap"\n');
    const res = await inject('POST', '/api/v1/admin/reload-business-rules', admin.bearer);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'ValidationError', field: 'rules.0.value', details: { line: 4 } });
    expect(res.json().message).toContain('line 4');
    expect((await inject('GET', '/api/v1/admin/business-rules', admin.bearer)).json().ruleset_version).toBe('v2');
    const after = await log('&action=reload_refused');
    expect(after.items).toHaveLength(1);
    expect((await log()).total).toBe(before + 1);
  });

  it('PUT replaces the ruleset from YAML or JSON; bad bodies are refused and change nothing', async () => {
    const ok = await inject('PUT', '/api/v1/admin/business-rules', admin.bearer, { ruleset: { ruleset_version: 'v3', rules: [{ id: 'min-ev', type: 'expected_value_min', value: 0.05 }] }, reason: 'drop the ufc ban' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ruleset_version: 'v3', changes: 1 });
    const del = (await log('&rule_id=no-ufc')).items as { action: string; reason: string }[];
    expect(del.at(-1)).toMatchObject({ action: 'delete', reason: 'drop the ufc ban' });
    for (const body of [{}, { yaml: V1, ruleset: { rules: [] } }, { ruleset: { rules: [{ id: 'a', type: 'odds_min' }] } }, { yaml: 'rules: [' }, { nope: 1 }]) {
      const res = await inject('PUT', '/api/v1/admin/business-rules', admin.bearer, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('ValidationError');
    }
    expect((await inject('GET', '/api/v1/admin/business-rules', admin.bearer)).json().ruleset_version).toBe('v3');
  });

  it('the chain verifies, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const v = (await inject('GET', '/api/v1/admin/rules-audit-log/verify', admin.bearer)).json();
    expect(v).toMatchObject({ ok: true, first_broken_seq: null });
    expect(v.entries).toBeGreaterThan(5);
    for (const statement of [sql`update rules_audit_log set reason = 'x' where seq = 1`, sql`delete from rules_audit_log where seq = 1`, sql`truncate rules_audit_log`]) {
      const err = await t.database.db.execute(statement).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      expect(String(err?.cause?.message ?? err?.message)).toMatch(/append-only/);
    }
  });

  it('concurrent changes from two instances make one unbroken chain', async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => ({ ruleset: { ruleset_version: `c${i}`, rules: [{ id: 'min-ev', type: 'expected_value_min', value: 0.01 * (i + 1) }] } }));
    let second: TestApp | null = null;
    if (usingPostgres) {
      // A second app on the same PostgreSQL database, as another instance would be.
      const { createTestAppOn } = await import('./second-instance.js');
      second = await createTestAppOn(t);
    }
    const apps = second ? [t.app, second.app] : [t.app];
    const results = await Promise.all(bodies.map((b, i) => apps[i % apps.length]!.inject({ method: 'PUT', url: '/api/v1/admin/business-rules', headers: admin.bearer, payload: b })));
    for (const r of results) expect(r.statusCode).toBe(200);
    await second?.close();
    const v = (await inject('GET', '/api/v1/admin/rules-audit-log/verify', admin.bearer)).json();
    expect(v).toMatchObject({ ok: true });
    const [c] = await queryRows<{ n: number; m: number }>(t.database.db, sql`select count(*)::int as n, max(seq)::int as m from rules_audit_log`);
    expect(c!.n).toBe(c!.m);
  });
});

describe('tampering found at its exact seq', () => {
  // Written past the guard, as a superuser could: the triggers are switched off for the change.
  async function tamper(statement: ReturnType<typeof sql>) {
    await t.database.db.execute(sql`alter table rules_audit_log disable trigger user`);
    try {
      await t.database.db.execute(statement);
    } finally {
      await t.database.db.execute(sql`alter table rules_audit_log enable trigger user`);
    }
  }
  const verify = async () => (await inject('GET', '/api/v1/admin/rules-audit-log/verify', admin.bearer)).json();

  it('a changed entry', async () => {
    await tamper(sql`update rules_audit_log set reason = 'nothing to see' where seq = 4`);
    expect(await verify()).toMatchObject({ ok: false, first_broken_seq: 4 });
    await tamper(sql`update rules_audit_log set reason = null where seq = 4`);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a reordered pair of entries', async () => {
    await tamper(sql`update rules_audit_log set seq = case seq when 5 then -6 when 6 then -5 end where seq in (5, 6)`);
    await tamper(sql`update rules_audit_log set seq = -seq where seq < 0`);
    expect(await verify()).toMatchObject({ ok: false, first_broken_seq: 5 });
    await tamper(sql`update rules_audit_log set seq = case seq when 5 then -6 when 6 then -5 end where seq in (5, 6)`);
    await tamper(sql`update rules_audit_log set seq = -seq where seq < 0`);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a deleted entry', async () => {
    await tamper(sql`delete from rules_audit_log where seq = 2`);
    const v = await verify();
    expect(v).toMatchObject({ ok: false, first_broken_seq: 3 });
    expect(v.problem).toMatch(/seq 2/);
  });
});
