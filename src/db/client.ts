// One database interface over two engines: a real PostgreSQL server (node-postgres pool)
// when a URL is configured, or PGlite (PostgreSQL compiled to WASM) in a local folder or
// in memory. Both run the same schema, the same migrations and the same SQL.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** The PostgreSQL URL it was opened with (null for PGlite): for connections of their own, e.g. LISTEN. */
  readonly url: string | null;
  readonly db: Db;
  /** Raw SQL for libraries that bring their own (pg-boss). Multi-statement text needs no values. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  ping(): Promise<void>;
  poolStats(): { total: number; idle: number; waiting: number };
  /** Apply the committed SQL migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A statement for arrayRows: named (PostgreSQL prepares it once per connection), positional values. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

// Dates stay 'YYYY-MM-DD' strings, as drizzle gives them; timestamps become Dates.
const DATE_OID = 1082;
const pgArrayTypes = { getTypeParser: (oid: number, format?: string) => (oid === DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) };
const pgliteParsers = { [DATE_OID]: (v: string) => v };

/**
 * Rows as arrays, straight from the driver, for a hot read whose statement is prepared once
 * and whose rows the caller maps by position (drizzle's per-field result mapping costs more
 * than the query on a 50-row page). Null when `db` is not a database's own handle (an open
 * transaction): the caller then runs its drizzle query.
 */
export async function arrayRows(db: Executor, q: NamedStatement): Promise<unknown[][] | null> {
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    const res = await client.query({ name: q.name, text: q.text, values: q.values, rowMode: 'array', types: pgArrayTypes as never });
    return res.rows as unknown[][];
  }
  if (client instanceof PGlite) {
    const res = await client.query(q.text, q.values, { rowMode: 'array', parsers: pgliteParsers });
    return res.rows as unknown[][];
  }
  return null;
}

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/**
 * SQL that drizzle-kit cannot express (triggers, guard functions, extensions), one file per
 * concern, applied after the generated migration in file-name order on every migrate. Each
 * file must be idempotent (CREATE OR REPLACE, DROP ... IF EXISTS before CREATE).
 */
export const POST_MIGRATION_SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql');

/** The post-migration SQL files, in the order they are applied. */
export function postMigrationSql(): { name: string; text: string }[] {
  if (!existsSync(POST_MIGRATION_SQL_DIR)) return [];
  return readdirSync(POST_MIGRATION_SQL_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(POST_MIGRATION_SQL_DIR, name), 'utf8') }));
}

export interface OpenOptions {
  /** PostgreSQL URL; null for PGlite. */
  url: string | null;
  /** PGlite folder; omitted (with url null) for an in-memory database. */
  pgliteDir?: string;
  poolMax?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.poolMax ?? 10) : openPglite(opts.pgliteDir);
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // A server restart or network cut kills connections. An idle client's error reaches the
  // pool; a checked-out client's error reaches the client itself, and its query rejects
  // with the same error, which the caller handles. Neither may crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    url,
    db,
    async executeSql(text, values) {
      const res = await pool.query(text, values as unknown[] | undefined);
      // A multi-statement query returns one result per statement; pg-boss wants the last.
      const last = Array.isArray(res) ? (res[res.length - 1] as pg.QueryResult) : res;
      return { rows: last?.rows ?? [] };
    },
    async ping() {
      const client = await pool.connect();
      try {
        await client.query('select 1');
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async migrate() {
      // One connection holds an advisory lock so concurrent start-ups migrate once.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock(724001)');
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR });
        for (const file of postMigrationSql()) await client.query(file.text);
      } finally {
        await client.query('select pg_advisory_unlock(724001)').catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const client = dir ? await PGlite.create(dir) : await PGlite.create();
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: 'pglite',
    url: null,
    db,
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await client.exec(text);
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
      }
      const res = await client.query(text, values as unknown[]);
      return { rows: res.rows as Record<string, unknown>[] };
    },
    async ping() {
      if (closed) throw new Error('database is closed');
      await client.query('select 1');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async migrate() {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
      for (const file of postMigrationSql()) await client.exec(file.text);
    },
    async close() {
      closed = true;
      await client.close();
    },
  };
}

/** Run a raw query and return its rows, whichever engine is underneath. */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const res = (await executor.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export { sql };
