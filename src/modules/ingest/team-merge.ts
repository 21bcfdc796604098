// `sharpline teams alias add <alias> <team-id>`: record an operator's alias and fold the team
// an import created from that name (before anyone knew it was an alias) into the target.
// Everything moves in one transaction: matches (a match that would then exist twice keeps the
// target's row, filled from the other, and takes its odds, sources and stats), statistics,
// spells, aliases and provider ids; then the duplicate team is deleted.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { queryRows, type Database, type Tx } from '../../db/client.js';
import { nameReviews, teamAliases, teams } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { normaliseTeamName } from './teams.js';

export interface AliasResult {
  alias: string;
  team_id: number;
  source: string;
  /** Teams folded into the target (created earlier from this name). */
  merged: { team_id: number; name: string; matches_moved: number; matches_folded: number }[];
}

export async function addTeamAlias(database: Database, input: { alias: string; teamId: number; source?: string }, clock: Clock): Promise<AliasResult> {
  const alias = input.alias.trim();
  const source = input.source?.trim() || '*';
  if (!alias) throw new ValidationError('alias must not be empty', 'alias', input.alias);
  const key = normaliseTeamName(alias);
  return database.db.transaction(async (tx) => {
    const [target] = await tx.select().from(teams).where(eq(teams.id, input.teamId));
    if (!target) throw new NotFoundError('team', input.teamId);
    const now = clock.now();
    await tx
      .insert(teamAliases)
      .values({ sportId: target.sportId, teamId: target.id, alias, aliasKey: key, source, origin: 'manual', createdAt: now })
      .onConflictDoUpdate({ target: [teamAliases.sportId, teamAliases.aliasKey, teamAliases.source], set: { teamId: target.id, alias, origin: 'manual' } });
    // Teams an import created from this very name: same key, or recorded in name_reviews under it.
    const sameName = await tx
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .where(and(eq(teams.sportId, target.sportId), eq(teams.nameKey, key), ne(teams.id, target.id), isNull(teams.ownerUserId)));
    const reviewed = (await tx.select().from(nameReviews).where(eq(nameReviews.sportId, target.sportId))).filter(
      (r) => normaliseTeamName(r.rawName) === key && r.createdTeamId !== null && r.createdTeamId !== target.id,
    );
    const victims = new Map(sameName.map((t) => [t.id, t.name]));
    for (const r of reviewed) {
      const [t] = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, r.createdTeamId!));
      if (t) victims.set(t.id, t.name);
    }
    const merged: AliasResult['merged'] = [];
    for (const [id, name] of victims) merged.push({ team_id: id, name, ...(await mergeTeamInto(tx, id, target.id)) });
    return { alias, team_id: target.id, source, merged };
  });
}

/** Moves everything of team `from` to team `into` and deletes `from`. */
export async function mergeTeamInto(tx: Tx, from: number, into: number): Promise<{ matches_moved: number; matches_folded: number }> {
  const pairs = await queryRows<{ dup: number; keep: number }>(
    tx,
    sql`
      select d.id as dup, k.id as keep from matches d
      join matches k on k.competition_id = d.competition_id and k.match_date = d.match_date and k.id <> d.id
        and k.home_team_id = (case when d.home_team_id = ${from} then ${into} else d.home_team_id end)
        and k.away_team_id = (case when d.away_team_id = ${from} then ${into} else d.away_team_id end)
      where d.home_team_id = ${from} or d.away_team_id = ${from}`,
  );
  for (const { dup, keep } of pairs) {
    await tx.execute(sql`
      update matches k set kickoff_at = coalesce(k.kickoff_at, d.kickoff_at), home_score = coalesce(k.home_score, d.home_score),
        away_score = coalesce(k.away_score, d.away_score), home_score_ht = coalesce(k.home_score_ht, d.home_score_ht),
        away_score_ht = coalesce(k.away_score_ht, d.away_score_ht), referee = coalesce(k.referee, d.referee),
        attendance = coalesce(k.attendance, d.attendance),
        status = case when k.status = 'scheduled' then d.status else k.status end
      from matches d where k.id = ${keep} and d.id = ${dup}`);
    await tx.execute(sql`
      insert into odds (match_id, bookmaker_id, market, selection, line, price, phase, captured_at, source, created_at, updated_at)
      select ${keep}, bookmaker_id, market, selection, line, price, phase, captured_at, source, created_at, updated_at from odds where match_id = ${dup}
      on conflict on constraint odds_uq do nothing`);
    await tx.execute(sql`insert into match_sources (match_id, source, source_ref, first_seen_at)
      select ${keep}, source, source_ref, first_seen_at from match_sources where match_id = ${dup} on conflict do nothing`);
    await tx.execute(sql`insert into team_match_stats (match_id, team_id, side, stats)
      select ${keep}, case when team_id = ${from} then ${into} else team_id end, side, stats from team_match_stats where match_id = ${dup} on conflict do nothing`);
    await tx.execute(sql`insert into player_match_stats (match_id, player_id, team_id, started, minutes, goals, assists, shots, shots_on_target,
        yellow_cards, red_cards, own_goals, saves, points, rebounds, extra)
      select ${keep}, player_id, case when team_id = ${from} then ${into} else team_id end, started, minutes, goals, assists, shots, shots_on_target,
        yellow_cards, red_cards, own_goals, saves, points, rebounds, extra from player_match_stats where match_id = ${dup} on conflict do nothing`);
    await tx.execute(sql`insert into lineups (match_id, team_id, player_id, role, position, shirt_number)
      select ${keep}, case when team_id = ${from} then ${into} else team_id end, player_id, role, position, shirt_number from lineups where match_id = ${dup} on conflict do nothing`);
    await tx.execute(sql`update external_ids set entity_id = ${keep} where entity_type = 'match' and entity_id = ${dup}`);
    await tx.execute(sql`delete from matches where id = ${dup}`);
  }
  const moved = await queryRows<{ id: number }>(
    tx,
    sql`
    update matches set home_team_id = case when home_team_id = ${from} then ${into} else home_team_id end,
      away_team_id = case when away_team_id = ${from} then ${into} else away_team_id end
    where home_team_id = ${from} or away_team_id = ${from} returning id`,
  );
  await tx.execute(sql`delete from team_match_stats a using team_match_stats b where a.team_id = ${from} and b.team_id = ${into} and a.match_id = b.match_id`);
  await tx.execute(sql`update team_match_stats set team_id = ${into} where team_id = ${from}`);
  await tx.execute(sql`update player_match_stats set team_id = ${into} where team_id = ${from}`);
  await tx.execute(sql`update lineups set team_id = ${into} where team_id = ${from}`);
  await tx.execute(sql`delete from player_team_spells a using player_team_spells b
    where a.team_id = ${from} and b.team_id = ${into} and a.player_id = b.player_id and a.season_id is not distinct from b.season_id`);
  await tx.execute(sql`update player_team_spells set team_id = ${into} where team_id = ${from}`);
  await tx.execute(sql`update players set current_team_id = ${into} where current_team_id = ${from}`);
  await tx.execute(sql`delete from team_aliases a using team_aliases b
    where a.team_id = ${from} and b.team_id = ${into} and a.alias_key = b.alias_key and a.source = b.source`);
  await tx.execute(sql`update team_aliases set team_id = ${into} where team_id = ${from}`);
  await tx.execute(sql`update external_ids set entity_id = ${into} where entity_type = 'team' and entity_id = ${from}`);
  await tx.execute(sql`update name_reviews set status = 'merged' where created_team_id = ${from}`);
  await tx.execute(sql`update name_reviews set candidate_team_id = ${into} where candidate_team_id = ${from}`);
  // The old name keeps resolving to the merged team.
  await tx.execute(sql`insert into team_aliases (sport_id, team_id, alias, alias_key, source, origin)
    select sport_id, ${into}, name, name_key, '*', 'manual' from teams where id = ${from}
    on conflict (sport_id, alias_key, source) do update set team_id = excluded.team_id`);
  await tx.execute(sql`delete from teams where id = ${from}`);
  return { matches_moved: moved.length, matches_folded: pairs.length };
}
