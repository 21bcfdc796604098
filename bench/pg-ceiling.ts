// The practical ceiling for an uncached page on PostgreSQL: bare Fastify + node-postgres
// answering GET /matches?page_size=N with the very statement Sharpline runs for that page
// (matchPageQuery, rendered to SQL once and run as a named prepared statement, as Sharpline
// runs it), rows mapped to the same JSON by hand. No hooks, no schema, no ORM at request
// time: what the machine gives for this SQL.
//   node --import tsx/esm bench/pg-ceiling.ts <port> <postgres-url>
import Fastify from 'fastify';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { matchPageQuery } from '../src/modules/catalog/matches-repository.js';
import type { Db } from '../src/db/client.js';

const port = Number(process.argv[2] ?? 0);
const url = process.argv[3] ?? process.env.DATABASE_URL;
if (!url) throw new Error('usage: pg-ceiling.ts <port> <postgres-url>');
const pool = new pg.Pool({ connectionString: url, max: 10 });
// Only to render the statement: drizzle builds the SQL text; requests run it on the pool.
const builder = drizzle(pool) as unknown as Db;
const statements = new Map<number, { sql: string; params: unknown[] }>();
const statementFor = (size: number) => {
  let q = statements.get(size);
  if (!q) {
    q = matchPageQuery(builder, {}, '-date', size + 1, 0).toSQL();
    statements.set(size, q);
  }
  return q;
};
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d === null ? null : String(d));
const dateOnly = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

const app = Fastify({ logger: false });
app.get('/matches', async (req) => {
  const size = Math.min(100, Math.max(1, Number((req.query as { page_size?: string }).page_size ?? 20)));
  const q = statementFor(size);
  // Named, as Sharpline names its page statements: PostgreSQL plans it once per connection.
  const { rows } = await pool.query({ name: `ceiling_page_${size}`, text: q.sql, values: q.params, rowMode: 'array' });
  const items = rows.slice(0, size).map((r: unknown[]) => ({
    id: r[0],
    season_id: r[1],
    home_team: { id: r[13], name: r[14], short_name: r[15], abbreviation: r[16], city: r[17], logo_url: r[18] },
    away_team: { id: r[19], name: r[20], short_name: r[21], abbreviation: r[22], city: r[23], logo_url: r[24] },
    season: { id: r[25], name: r[26] },
    competition: { id: r[27], code: r[28], name: r[29], country: r[30] },
    sport: r[31],
    match_date: dateOnly(r[5]),
    kickoff_at: iso(r[6]),
    status: r[7],
    neutral: r[8],
    home_score: r[9],
    away_score: r[10],
    round: r[11],
    is_playoff: r[12],
    venue: r[32],
  }));
  return { items, total: null, page: 1, page_size: size, next: rows.length > size ? 'x' : null, version: 'v1' };
});
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
