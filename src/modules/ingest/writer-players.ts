// Player rows of a file (FPL's merged_gw): players found by their provider id in
// external_ids (created on first sight), a season-scoped spell per player and team, the
// player's current team (that of the latest spell), and one player_match_stats row per
// player and match. Like the rest of the writer: a fixed number of bulk statements per file.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import { externalIds, players, playerTeamSpells } from '../../db/schema/index.js';
import { toSearchName } from '../catalog/search-name.js';
import type { Counts, ParsedFile, ParsedPlayerMatch, Rejection } from './types.js';

export interface PlayersContext {
  file: string;
  now: Date;
  sportId: number;
  teamIds: Map<string, number>;
  /** This file's matches by provider id. */
  matchByExternal: Map<string, MatchRef>;
}

interface MatchRef {
  id: number;
  date: string;
  seasonId: number;
}

interface Line {
  row: ParsedPlayerMatch;
  match: MatchRef;
  teamId: number;
}

const CHUNK = 5_000;

export async function writePlayers(
  tx: Tx,
  parsed: ParsedFile,
  ctx: PlayersContext,
): Promise<{ players: Counts; stats: Counts; rejected: Rejection[]; playerIds: number[] }> {
  const rejected: Rejection[] = [];
  const matchOf = new Map(ctx.matchByExternal);
  const missing = [...new Set(parsed.players.map((p) => p.matchExternalId).filter((id) => !matchOf.has(id)))];
  for (const r of await storedMatches(tx, parsed.source, missing)) matchOf.set(r.ext, { id: r.id, date: r.date, seasonId: r.season_id });

  const lines: Line[] = [];
  const seen = new Map<string, number>();
  for (const row of parsed.players) {
    const match = matchOf.get(row.matchExternalId);
    if (!match) {
      rejected.push({ file: ctx.file, line: row.line, reason: `unknown match ${row.matchExternalId} for player ${row.name}` });
      continue;
    }
    const key = `${row.externalId}|${match.id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      rejected.push({ file: ctx.file, line: row.line, reason: `duplicate of line ${first}: ${row.name} in match ${row.matchExternalId}` });
      continue;
    }
    seen.set(key, row.line);
    lines.push({ row, match, teamId: ctx.teamIds.get(row.team)! });
  }

  // The latest line of each player speaks for its name, position and team.
  const latest = new Map<string, Line>();
  for (const l of lines) {
    const cur = latest.get(l.row.externalId);
    if (!cur || l.match.date >= cur.match.date) latest.set(l.row.externalId, l);
  }
  const extIds = [...latest.keys()];
  const known = new Map<string, number>();
  for (let i = 0; i < extIds.length; i += CHUNK) {
    const rows = await tx
      .select({ ext: externalIds.externalId, id: externalIds.entityId })
      .from(externalIds)
      .where(and(eq(externalIds.entityType, 'player'), eq(externalIds.source, parsed.source), inArray(externalIds.externalId, extIds.slice(i, i + CHUNK))));
    for (const r of rows) known.set(r.ext, r.id);
  }

  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const fresh = extIds.filter((e) => !known.has(e));
  if (fresh.length > 0) {
    // Ids are drawn first so each new player is tied to its provider id without relying on RETURNING order.
    const ids = await queryRows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence('players', 'id'))::int as id from generate_series(1, ${fresh.length})`);
    fresh.forEach((ext, i) => known.set(ext, ids[i]!.id));
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const part = fresh.slice(i, i + CHUNK);
      await tx.insert(players).values(
        part.map((ext) => {
          const l = latest.get(ext)!;
          return { id: known.get(ext)!, sportId: ctx.sportId, name: l.row.name, searchName: toSearchName(l.row.name), position: l.row.position, currentTeamId: l.teamId, createdAt: ctx.now, updatedAt: ctx.now };
        }),
      );
      await tx
        .insert(externalIds)
        .values(part.map((ext) => ({ entityType: 'player', entityId: known.get(ext)!, source: parsed.source, externalId: ext, createdAt: ctx.now })));
    }
    counts.inserted = fresh.length;
  }

  const playerIds = extIds.map((e) => known.get(e)!);
  const spells = await writeSpells(tx, lines, known, playerIds);

  const old = extIds.filter((e) => !fresh.includes(e));
  const oldIds = old.map((e) => known.get(e)!);
  const stored = new Map<number, { name: string; position: string | null; currentTeamId: number | null }>();
  for (let i = 0; i < oldIds.length; i += CHUNK) {
    const rows = await tx
      .select({ id: players.id, name: players.name, position: players.position, currentTeamId: players.currentTeamId })
      .from(players)
      .where(inArray(players.id, oldIds.slice(i, i + CHUNK)));
    for (const r of rows) stored.set(r.id, r);
  }
  const changes: { id: number; name: string; position: string | null; team: number | null }[] = [];
  for (const ext of old) {
    const id = known.get(ext)!;
    const s = stored.get(id)!;
    const l = latest.get(ext)!;
    const next = { id, name: l.row.name || s.name, position: l.row.position ?? s.position, team: spells.get(id) ?? s.currentTeamId };
    if (next.name !== s.name || next.position !== s.position || next.team !== s.currentTeamId) changes.push(next);
  }
  for (let i = 0; i < changes.length; i += CHUNK) {
    const part = changes.slice(i, i + CHUNK).map((c) => ({ ...c, search: toSearchName(c.name) }));
    await tx.execute(sql`
      update players as p set name = x.name, search_name = x.search, position = x.position, current_team_id = x.team, updated_at = ${ctx.now.toISOString()}::timestamptz
      from json_to_recordset(${JSON.stringify(part)}::json) as x(id int, name text, search text, position text, team int)
      where p.id = x.id`);
  }
  counts.updated = changes.length;
  counts.unchanged = old.length - changes.length;

  return { players: counts, stats: await writeStats(tx, lines, known), rejected, playerIds };
}

async function storedMatches(tx: Tx, source: string, ext: string[]): Promise<{ ext: string; id: number; date: string; season_id: number }[]> {
  if (ext.length === 0) return [];
  return queryRows(
    tx,
    sql`select e.external_id as ext, m.id, m.match_date::text as date, m.season_id
        from external_ids e join matches m on m.id = e.entity_id
        where e.entity_type = 'match' and e.source = ${source} and e.external_id in (select json_array_elements_text(${JSON.stringify(ext)}::json))`,
  );
}

/** Season spells (player, team, season) widened to cover this file; returns each player's latest team. */
async function writeSpells(tx: Tx, lines: Line[], known: Map<string, number>, playerIds: number[]): Promise<Map<number, number>> {
  type Span = { playerId: number; teamId: number; seasonId: number; from: string; to: string };
  const spans = new Map<string, Span>();
  for (const l of lines) {
    const playerId = known.get(l.row.externalId)!;
    const k = `${playerId}|${l.teamId}|${l.match.seasonId}`;
    const s = spans.get(k);
    if (!s) spans.set(k, { playerId, teamId: l.teamId, seasonId: l.match.seasonId, from: l.match.date, to: l.match.date });
    else {
      if (l.match.date < s.from) s.from = l.match.date;
      if (l.match.date > s.to) s.to = l.match.date;
    }
  }
  const existing: Span[] = [];
  for (let i = 0; i < playerIds.length; i += CHUNK) {
    const rows = await tx
      .select({ playerId: playerTeamSpells.playerId, teamId: playerTeamSpells.teamId, seasonId: playerTeamSpells.seasonId, from: playerTeamSpells.fromDate, to: playerTeamSpells.toDate })
      .from(playerTeamSpells)
      .where(inArray(playerTeamSpells.playerId, playerIds.slice(i, i + CHUNK)));
    for (const r of rows) existing.push({ playerId: r.playerId, teamId: r.teamId, seasonId: r.seasonId ?? 0, from: r.from ?? '', to: r.to ?? '' });
  }
  const stored = new Map(existing.map((s) => [`${s.playerId}|${s.teamId}|${s.seasonId}`, s]));
  const write: Span[] = [];
  for (const [k, s] of spans) {
    const old = stored.get(k);
    if (!old) {
      write.push(s);
      stored.set(k, s);
      continue;
    }
    const from = old.from && old.from < s.from ? old.from : s.from;
    const to = old.to > s.to ? old.to : s.to;
    if (from !== old.from || to !== old.to) {
      write.push({ ...s, from, to });
      stored.set(k, { ...s, from, to });
    }
  }
  for (let i = 0; i < write.length; i += CHUNK) {
    await tx.execute(sql`
      insert into player_team_spells as s (player_id, team_id, season_id, from_date, to_date)
      select (e->>0)::int, (e->>1)::int, (e->>2)::int, (e->>3)::date, (e->>4)::date from json_array_elements(${JSON.stringify(write.slice(i, i + CHUNK).map((s) => [s.playerId, s.teamId, s.seasonId, s.from, s.to]))}::json) e
      on conflict on constraint player_team_spells_uq do update set from_date = excluded.from_date, to_date = excluded.to_date`);
  }
  const current = new Map<number, { teamId: number; to: string }>();
  for (const s of stored.values()) {
    const c = current.get(s.playerId);
    if (!c || s.to > c.to) current.set(s.playerId, { teamId: s.teamId, to: s.to });
  }
  return new Map([...current].map(([p, c]) => [p, c.teamId]));
}

const STAT_COLUMNS = ['started', 'minutes', 'goals', 'assists', 'shots', 'shots_on_target', 'yellow_cards', 'red_cards', 'own_goals', 'saves', 'points', 'rebounds'] as const;

/** Upserts player_match_stats; incoming nulls keep what is stored, `extra` merges key by key. */
async function writeStats(tx: Tx, lines: Line[], known: Map<string, number>): Promise<Counts> {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  const sets = STAT_COLUMNS.map((c) => `${c} = coalesce(excluded.${c}, s.${c})`).join(', ');
  const before = STAT_COLUMNS.map((c) => `s.${c}`).join(', ');
  const after = STAT_COLUMNS.map((c) => `coalesce(excluded.${c}, s.${c})`).join(', ');
  for (let i = 0; i < lines.length; i += CHUNK) {
    const rows = lines.slice(i, i + CHUNK).map(({ row: r, match, teamId }) => [
      match.id, known.get(r.externalId)!, teamId, r.started ?? null, r.minutes, r.goals ?? null, r.assists ?? null, r.shots ?? null,
      r.shotsOnTarget ?? null, r.yellowCards ?? null, r.redCards ?? null, r.ownGoals ?? null, r.saves ?? null, r.points ?? null,
      r.rebounds ?? null, r.extra ?? null,
    ]);
    const [res] = await queryRows<{ inserted: number; updated: number }>(
      tx,
      sql`
      with written as (
        insert into player_match_stats as s (match_id, player_id, team_id, ${sql.raw(STAT_COLUMNS.join(', '))}, extra)
        select (e->>0)::int, (e->>1)::int, (e->>2)::int, (e->>3)::boolean, (e->>4)::int, (e->>5)::int, (e->>6)::int, (e->>7)::int,
               (e->>8)::int, (e->>9)::int, (e->>10)::int, (e->>11)::int, (e->>12)::int, (e->>13)::int, (e->>14)::int, nullif((e->15)::jsonb, 'null'::jsonb)
        from json_array_elements(${JSON.stringify(rows)}::json) e
        on conflict (match_id, player_id) do update set ${sql.raw(sets)}, team_id = excluded.team_id,
          extra = case when excluded.extra is null then s.extra else coalesce(s.extra, '{}'::jsonb) || excluded.extra end
        where (${sql.raw(before)}, s.team_id) is distinct from (${sql.raw(after)}, excluded.team_id)
           or (excluded.extra is not null and not (coalesce(s.extra, '{}'::jsonb) @> excluded.extra))
        returning (xmax = 0) as fresh
      )
      select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from written`,
    );
    counts.inserted += res?.inserted ?? 0;
    counts.updated += res?.updated ?? 0;
  }
  counts.unchanged = lines.length - counts.inserted - counts.updated;
  return counts;
}
