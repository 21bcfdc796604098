// Player-prop prices of one event into player_prop_odds, inside the caller's transaction.
// The Odds API names players only ("Ollie Watkins"), so each is looked up among the players
// of the match's two teams by search name (accents and case folded); a name that matches no
// one, or players of both teams, is a rejected row and nothing is guessed. Opening = first
// price seen for the key, closing = the latest before kick-off (decision 0026).
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import { toSearchName } from '../catalog/search-name.js';
import { ensureBookmakers } from '../ingest/refs.js';
import type { Counts, Rejection } from '../ingest/types.js';
import type { PlayerPrice } from './odds-api.js';

export async function writePlayerOdds(
  tx: Tx,
  source: string,
  matchId: number,
  prices: PlayerPrice[],
  bookmakers: { code: string; name: string; kind: 'bookmaker' }[],
  file: string,
  now: Date,
): Promise<{ counts: Counts; rejected: Rejection[] }> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const rejected: Rejection[] = [];
  if (prices.length === 0) return { counts, rejected };
  const squad = await queryRows<{ id: number; search: string }>(
    tx,
    sql`select p.id, p.search_name as search from players p join matches m on m.id = ${matchId}
        where p.owner_user_id is null and p.current_team_id in (m.home_team_id, m.away_team_id)`,
  );
  const byName = new Map<string, number[]>();
  for (const p of squad) byName.set(p.search, [...(byName.get(p.search) ?? []), p.id]);
  const books = await ensureBookmakers(tx, prices.map((p) => p.bookmaker), bookmakers);
  const rows: [number, number, string, string, number, number][] = [];
  const reported = new Set<string>();
  for (const p of prices) {
    const ids = byName.get(toSearchName(p.player)) ?? [];
    if (ids.length !== 1) {
      if (!reported.has(p.player)) rejected.push({ file, line: 0, reason: ids.length === 0 ? `player "${p.player}" is in neither squad of the match` : `player "${p.player}" names ${ids.length} players of the match` });
      reported.add(p.player);
      continue;
    }
    rows.push([ids[0]!, books.get(p.bookmaker)!, p.prop, p.selection, p.line, p.price]);
  }
  // A key listed twice counts once (the last wins), as it would be stored.
  const unique = [...new Map(rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}|${r[3]}|${r[4]}`, r])).values()];
  if (unique.length === 0) return { counts, rejected };
  const stamp = now.toISOString();
  const json = JSON.stringify(unique);
  const [closing] = await queryRows<{ inserted: number; updated: number }>(
    tx,
    sql`with written as (
          insert into player_prop_odds as o (match_id, player_id, bookmaker_id, prop, selection, line, price, phase, source, created_at, updated_at)
          select ${matchId}, (e->>0)::int, (e->>1)::int, e->>2, e->>3, (e->>4)::float8, (e->>5)::float8, 'closing', ${source}, ${stamp}::timestamptz, ${stamp}::timestamptz
          from json_array_elements(${json}::json) e
          on conflict (match_id, player_id, bookmaker_id, prop, selection, line, phase) do update set price = excluded.price, updated_at = excluded.updated_at
          where o.price is distinct from excluded.price
          returning (xmax = 0) as fresh)
        select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from written`,
  );
  const [opening] = await queryRows<{ inserted: number }>(
    tx,
    sql`with written as (
          insert into player_prop_odds (match_id, player_id, bookmaker_id, prop, selection, line, price, phase, source, created_at, updated_at)
          select ${matchId}, (e->>0)::int, (e->>1)::int, e->>2, e->>3, (e->>4)::float8, (e->>5)::float8, 'opening', ${source}, ${stamp}::timestamptz, ${stamp}::timestamptz
          from json_array_elements(${json}::json) e
          on conflict (match_id, player_id, bookmaker_id, prop, selection, line, phase) do nothing
          returning 1)
        select count(*)::int as inserted from written`,
  );
  counts.inserted = (closing?.inserted ?? 0) + (opening?.inserted ?? 0);
  counts.updated = closing?.updated ?? 0;
  counts.unchanged = unique.length - (closing?.inserted ?? 0) - counts.updated;
  return { counts, rejected };
}
