// Squad data from a provider (API-Football lineups and injuries) into the catalogue, inside
// the caller's transaction. Players are found by the provider's id in external_ids; a player
// the provider names for the first time is matched to an existing player of the same team
// with the same name (a FPL import may have created him) before one is created, and the
// provider id is recorded either way. Lineups are upserted per (match, player); injury
// statuses are set on players and cleared again when the provider stops listing them, but
// only where this provider set them (players.injury_source).
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import { externalIds, matches, players } from '../../db/schema/index.js';
import { toSearchName } from '../catalog/search-name.js';
import type { Counts, Rejection } from '../ingest/types.js';
import type { InjuryRow, LineupRow, ProviderPlayer } from './api-football.js';

async function idsByExternal(tx: Tx, entityType: 'team' | 'match' | 'player', source: string, ext: string[]): Promise<Map<string, number>> {
  if (ext.length === 0) return new Map();
  const rows = await tx
    .select({ ext: externalIds.externalId, id: externalIds.entityId })
    .from(externalIds)
    .where(and(eq(externalIds.entityType, entityType), eq(externalIds.source, source), inArray(externalIds.externalId, [...new Set(ext)])));
  return new Map(rows.map((r) => [r.ext, r.id]));
}

export const teamIdsByExternal = (tx: Tx, source: string, ext: string[]) => idsByExternal(tx, 'team', source, ext);
export const matchIdsByExternal = (tx: Tx, source: string, ext: string[]) => idsByExternal(tx, 'match', source, ext);

/**
 * Player ids for provider players (by provider id, else same name in the same team, else a
 * new player). `teams` maps the provider's team ids to ours; players of unknown teams are
 * left out (the caller reports them).
 */
export async function ensureProviderPlayers(tx: Tx, source: string, sportId: number, list: ProviderPlayer[], teams: Map<string, number>, now: Date): Promise<{ ids: Map<string, number>; created: number }> {
  const byExt = new Map<string, ProviderPlayer>();
  for (const p of list) if (teams.has(p.teamExternalId)) byExt.set(p.externalId, p);
  const ids = await idsByExternal(tx, 'player', source, [...byExt.keys()]);
  const missing = [...byExt.values()].filter((p) => !ids.has(p.externalId));
  let created = 0;
  for (const p of missing) {
    const teamId = teams.get(p.teamExternalId)!;
    const search = toSearchName(p.name);
    // A player of this team with this name and no id from this provider yet is the same person.
    const [same] = await queryRows<{ id: number }>(
      tx,
      sql`select p.id from players p where p.current_team_id = ${teamId} and p.search_name = ${search} and p.owner_user_id is null
          and not exists (select 1 from external_ids e where e.entity_type = 'player' and e.entity_id = p.id and e.source = ${source})
          order by p.id limit 1`,
    );
    let id = same?.id;
    if (id === undefined) {
      const [row] = await tx
        .insert(players)
        .values({ sportId, name: p.name, searchName: search, position: p.position, currentTeamId: teamId, createdAt: now, updatedAt: now })
        .returning({ id: players.id });
      id = row!.id;
      created++;
    }
    await tx.insert(externalIds).values({ entityType: 'player', entityId: id, source, externalId: p.externalId, createdAt: now }).onConflictDoNothing();
    ids.set(p.externalId, id);
  }
  return { ids, created };
}

/** One fixture's lineup: rows inserted or changed are counted; a repeat counts unchanged. */
export async function writeLineup(tx: Tx, source: string, sportId: number, fixture: string, rows: LineupRow[], file: string, now: Date): Promise<{ counts: Counts; players_created: number; rejected: Rejection[] }> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const rejected: Rejection[] = [];
  const matchId = (await matchIdsByExternal(tx, source, [fixture])).get(fixture);
  if (matchId === undefined) return { counts, players_created: 0, rejected: [{ file, line: 0, reason: `lineup for unknown fixture ${fixture}` }] };
  const [match] = await tx.select({ home: matches.homeTeamId, away: matches.awayTeamId }).from(matches).where(eq(matches.id, matchId)).limit(1);
  const all = await teamIdsByExternal(tx, source, rows.map((r) => r.teamExternalId));
  // Only the two teams of this match may have players in its lineup.
  const teams = new Map([...all].filter(([, id]) => id === match!.home || id === match!.away));
  for (const r of rows) if (!teams.has(r.teamExternalId)) rejected.push({ file, line: 0, reason: `lineup player ${r.name}: team ${r.teamExternalId} is not a team of fixture ${fixture}` });
  const known = rows.filter((r) => teams.has(r.teamExternalId));
  const { ids, created } = await ensureProviderPlayers(tx, source, sportId, known, teams, now);
  if (known.length === 0) return { counts, players_created: created, rejected };
  const values = known.map((r) => [matchId, teams.get(r.teamExternalId)!, ids.get(r.externalId)!, r.role, r.position, r.shirtNumber]);
  const [res] = await queryRows<{ inserted: number; updated: number }>(
    tx,
    sql`with written as (
          insert into lineups as l (match_id, team_id, player_id, role, position, shirt_number)
          select (e->>0)::int, (e->>1)::int, (e->>2)::int, e->>3, e->>4, (e->>5)::int from json_array_elements(${JSON.stringify(values)}::json) e
          on conflict (match_id, player_id) do update set team_id = excluded.team_id, role = excluded.role, position = excluded.position, shirt_number = excluded.shirt_number
          where (l.team_id, l.role, l.position, l.shirt_number) is distinct from (excluded.team_id, excluded.role, excluded.position, excluded.shirt_number)
          returning (xmax = 0) as fresh)
        select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from written`,
  );
  counts.inserted = res?.inserted ?? 0;
  counts.updated = res?.updated ?? 0;
  counts.unchanged = known.length - counts.inserted - counts.updated;
  return { counts, players_created: created, rejected };
}

/**
 * Sets each listed player's injury status (and reason) and clears the statuses this source
 * set earlier on players of `teamScope` it no longer lists. Counts players whose status
 * changed (updated) or stayed (unchanged).
 */
export async function writeInjuries(
  tx: Tx,
  source: string,
  sportId: number,
  current: InjuryRow[],
  teamScope: string[],
  file: string,
  now: Date,
): Promise<{ counts: Counts; players_created: number; rejected: Rejection[]; playerIds: number[] }> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const rejected: Rejection[] = [];
  const teams = await teamIdsByExternal(tx, source, [...current.map((r) => r.teamExternalId), ...teamScope]);
  for (const r of current) if (!teams.has(r.teamExternalId)) rejected.push({ file, line: 0, reason: `injury of ${r.name}: unknown team ${r.teamExternalId}` });
  const { ids, created } = await ensureProviderPlayers(tx, source, sportId, current, teams, now);
  const listed = current.filter((r) => ids.has(r.externalId));
  const stamp = now.toISOString();
  const changedIds: number[] = [];
  if (listed.length > 0) {
    const values = listed.map((r) => [ids.get(r.externalId)!, r.status, r.reason]);
    const rows = await queryRows<{ id: number }>(
      tx,
      sql`update players p set injury_status = x.status, injury_note = x.note, injury_source = ${source}, injury_updated_at = ${stamp}::timestamptz, updated_at = ${stamp}::timestamptz
          from (select (e->>0)::int as id, e->>1 as status, e->>2 as note from json_array_elements(${JSON.stringify(values)}::json) e) x
          where p.id = x.id and (p.injury_status, p.injury_note, p.injury_source) is distinct from (x.status, x.note, ${source}::text)
          returning p.id`,
    );
    changedIds.push(...rows.map((r) => r.id));
    counts.updated = rows.length;
    counts.unchanged = listed.length - rows.length;
  }
  // Players this source ruled out who are no longer listed are available again.
  const scope = teamScope.flatMap((t) => (teams.has(t) ? [teams.get(t)!] : []));
  if (scope.length > 0) {
    const keep = listed.map((r) => ids.get(r.externalId)!);
    const cleared = await tx
      .update(players)
      .set({ injuryStatus: 'available', injuryNote: null, injurySource: null, injuryUpdatedAt: now, updatedAt: now })
      .where(
        and(
          eq(players.injurySource, source),
          inArray(players.currentTeamId, scope),
          ne(players.injuryStatus, 'available'),
          keep.length > 0 ? sql`${players.id} not in (select json_array_elements_text(${JSON.stringify(keep)}::json)::int)` : sql`true`,
        ),
      )
      .returning({ id: players.id });
    changedIds.push(...cleared.map((r) => r.id));
    counts.updated += cleared.length;
  }
  return { counts, players_created: created, rejected, playerIds: changedIds };
}
