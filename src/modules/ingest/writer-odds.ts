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

/** [match id, bookmaker id, market, selection, line, price, provider update time (ISO) or null] */
export type PriceSeen = [number, number, string, string, number | null, number, string | null];

/**
 * Appends the prices a feed shows now to odds_history, each only when it differs from the
 * latest stored price of its key (match, bookmaker, market, selection, line): a repeated
 * sync writes nothing, a price that moves and moves back is three rows. Returns rows written.
 */
export async function writeOddsHistory(tx: Tx, rows: PriceSeen[], source: string, now: Date): Promise<number> {
  const unique = new Map<string, PriceSeen>();
  for (const r of rows) unique.set(`${r[0]}|${r[1]}|${r[2]}|${r[3]}|${r[4] ?? ''}`, r);
  const all = [...unique.values()];
  let written = 0;
  for (let i = 0; i < all.length; i += CHUNK) {
    const [res] = await queryRows<{ n: number }>(
      tx,
      sql`
      with incoming as (
        select (e->>0)::int as m, (e->>1)::int as b, e->>2 as mk, e->>3 as sel, (e->>4)::float8 as ln, (e->>5)::float8 as price, (e->>6)::timestamptz as pu
        from json_array_elements(${JSON.stringify(all.slice(i, i + CHUNK))}::json) e
      ), written as (
        insert into odds_history (match_id, bookmaker_id, market, selection, line, price, seen_at, provider_updated_at, source)
        select i.m, i.b, i.mk, i.sel, i.ln, i.price, ${now.toISOString()}::timestamptz, i.pu, ${source} from incoming i
        where i.price is distinct from (
          select h.price from odds_history h
          where h.match_id = i.m and h.bookmaker_id = i.b and h.market = i.mk and h.selection = i.sel and h.line is not distinct from i.ln
          order by h.seen_at desc, h.id desc limit 1)
        on conflict on constraint odds_history_uq do nothing
        returning 1
      )
      select count(*)::int as n from written`,
    );
    written += res?.n ?? 0;
  }
  return written;
}
