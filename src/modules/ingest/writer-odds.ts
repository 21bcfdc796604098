// Odds are the bulk of every import (16-100 prices a match), so they are upserted in large
// chunks sent as one JSON parameter each: one round trip per ~20,000 prices on either engine.
// PostgreSQL reports which rows it inserted (xmax = 0) and which it updated (the price
// changed); the rest were already stored with the same price, so the counts are exact.
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import type { Counts } from './types.js';

/** [match id, bookmaker id, market, selection, line, price, phase] */
export type OddsRow = [number, number, string, string, number | null, number, string];

const CHUNK = 20_000;

export async function writeOdds(tx: Tx, rows: OddsRow[], source: string, now: Date): Promise<Counts> {
  // A price listed twice for the same key counts once (the last wins), as it would be stored.
  const unique = new Map<string, OddsRow>();
  for (const r of rows) unique.set(`${r[0]}|${r[1]}|${r[2]}|${r[3]}|${r[4] ?? ''}|${r[6]}`, r);
  const all = [...unique.values()];
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const stamp = now.toISOString();
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const [res] = await queryRows<{ inserted: number; updated: number }>(
      tx,
      sql`
      with written as (
        insert into odds as o (match_id, bookmaker_id, market, selection, line, price, phase, source, created_at, updated_at)
        select (e->>0)::int, (e->>1)::int, e->>2, e->>3, (e->>4)::float8, (e->>5)::float8, e->>6, ${source}, ${stamp}::timestamptz, ${stamp}::timestamptz
        from json_array_elements(${JSON.stringify(chunk)}::json) e
        on conflict on constraint odds_uq do update set price = excluded.price, source = excluded.source, updated_at = excluded.updated_at
        where o.price is distinct from excluded.price
        returning (xmax = 0) as fresh
      )
      select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from written`,
    );
    counts.inserted += res?.inserted ?? 0;
    counts.updated += res?.updated ?? 0;
  }
  counts.unchanged = all.length - counts.inserted - counts.updated;
  return counts;
}
