// Migrations run at every start of every process, so applying them again — the generated
// migration and every post-migration SQL file — must succeed and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { postMigrationSql, queryRows } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('migrate', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('applies twice without error (post-migration SQL files are idempotent)', async () => {
    const tablesBefore = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
    await t.database.migrate();
    await t.database.migrate();
    const tablesAfter = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
    expect(tablesAfter).toEqual(tablesBefore);
  });

  it('lists post-migration files in name order, SQL only', () => {
    const names = postMigrationSql().map((f) => f.name);
    expect(names).toEqual([...names].sort());
    for (const n of names) expect(n.endsWith('.sql')).toBe(true);
  });
});
