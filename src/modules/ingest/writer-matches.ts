// The match half of the writer: the stored rows of a file's competitions and date range,
// and the bulk statements that update matches and merge team statistics.
import { and, between, eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.js';
import { matches } from '../../db/schema/index.js';
import type { MatchFields } from './merge.js';
import type { ParsedMatch } from './types.js';

export type MatchRow = MatchFields & { id: number; competitionId: number; matchDate: string; homeTeamId: number; awayTeamId: number };

export interface Incoming {
  parsed: ParsedMatch;
  key: string;
  competitionId: number;
  sportId: number;
  homeTeamId: number;
  awayTeamId: number;
  fields: MatchFields;
}

export const keyOf = (competitionId: number, date: string, home: number, away: number) => `${competitionId}|${date}|${home}|${away}`;

export function fieldsOf(m: ParsedMatch, seasonId: number, venues: Map<string, number>): MatchFields {
  return {
    seasonId,
    kickoffAt: m.kickoffAt,
    status: m.status,
    homeScore: m.homeScore,
    awayScore: m.awayScore,
    homeScoreHt: m.homeScoreHt ?? null,
    awayScoreHt: m.awayScoreHt ?? null,
    periodScores: m.periodScores ?? null,
    round: m.round ?? null,
    isPlayoff: m.isPlayoff ?? null,
    neutral: m.neutral ?? null,
    referee: m.referee ?? null,
    attendance: m.attendance ?? null,
    venueId: m.venue ? (venues.get(m.venue) ?? null) : null,
  };
}

/** The stored matches of the file's competitions within its date range, by identity key. */
export async function loadExisting(tx: Tx, incoming: Incoming[]): Promise<Map<string, MatchRow>> {
  const spans = new Map<number, { first: string; last: string }>();
  for (const inc of incoming) {
    const s = spans.get(inc.competitionId);
    const d = inc.parsed.date;
    if (!s) spans.set(inc.competitionId, { first: d, last: d });
    else {
      if (d < s.first) s.first = d;
      if (d > s.last) s.last = d;
    }
  }
  const out = new Map<string, MatchRow>();
  for (const [competitionId, { first, last }] of spans) {
    const rows = await tx
      .select({
        id: matches.id,
        competitionId: matches.competitionId,
        matchDate: matches.matchDate,
        homeTeamId: matches.homeTeamId,
        awayTeamId: matches.awayTeamId,
        seasonId: matches.seasonId,
        kickoffAt: matches.kickoffAt,
        status: matches.status,
        homeScore: matches.homeScore,
        awayScore: matches.awayScore,
        homeScoreHt: matches.homeScoreHt,
        awayScoreHt: matches.awayScoreHt,
        periodScores: matches.periodScores,
        round: matches.round,
        isPlayoff: matches.isPlayoff,
        neutral: matches.neutral,
        referee: matches.referee,
        attendance: matches.attendance,
        venueId: matches.venueId,
      })
      .from(matches)
      .where(and(eq(matches.competitionId, competitionId), between(matches.matchDate, first, last)));
    for (const r of rows) out.set(keyOf(r.competitionId, r.matchDate, r.homeTeamId, r.awayTeamId), r);
  }
  return out;
}

const matchJson = (f: MatchFields) => ({
  season_id: f.seasonId,
  kickoff_at: f.kickoffAt?.toISOString() ?? null,
  status: f.status,
  home_score: f.homeScore,
  away_score: f.awayScore,
  home_score_ht: f.homeScoreHt,
  away_score_ht: f.awayScoreHt,
  period_scores: f.periodScores,
  round: f.round,
  is_playoff: f.isPlayoff ?? false,
  neutral: f.neutral ?? false,
  referee: f.referee,
  attendance: f.attendance,
  venue_id: f.venueId,
});

const MATCH_RECORD = sql.raw(`season_id int, kickoff_at timestamptz, status text, home_score int, away_score int, home_score_ht int,
  away_score_ht int, period_scores jsonb, round text, is_playoff boolean, neutral boolean, referee text, attendance int, venue_id int`);

/** New matches in one statement; returns their ids with the identity columns to key them by. */
export async function insertMatches(tx: Tx, rows: Incoming[], now: Date): Promise<{ id: number; c: number; d: string; h: number; a: number }[]> {
  const json = JSON.stringify(
    rows.map((inc) => ({
      sport_id: inc.sportId,
      competition_id: inc.competitionId,
      home_team_id: inc.homeTeamId,
      away_team_id: inc.awayTeamId,
      match_date: inc.parsed.date,
      ...matchJson(inc.fields),
    })),
  );
  const stamp = now.toISOString();
  return queryRows(
    tx,
    sql`
    insert into matches (sport_id, competition_id, home_team_id, away_team_id, match_date, season_id, kickoff_at, status, home_score,
      away_score, home_score_ht, away_score_ht, period_scores, round, is_playoff, neutral, referee, attendance, venue_id, created_at, updated_at)
    select sport_id, competition_id, home_team_id, away_team_id, match_date, season_id, kickoff_at, status, home_score,
      away_score, home_score_ht, away_score_ht, period_scores, round, is_playoff, neutral, referee, attendance, venue_id, ${stamp}::timestamptz, ${stamp}::timestamptz
    from json_to_recordset(${json}::json) as x(sport_id int, competition_id int, home_team_id int, away_team_id int, match_date date, ${MATCH_RECORD})
    returning id, competition_id as c, match_date::text as d, home_team_id as h, away_team_id as a`,
  );
}

/** Which source supplied each match (first sighting kept). */
export async function insertSources(tx: Tx, rows: [number, string][], source: string, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into match_sources (match_id, source, source_ref, first_seen_at)
    select (e->>0)::int, ${source}, e->>1, ${now.toISOString()}::timestamptz from json_array_elements(${JSON.stringify(rows)}::json) e
    on conflict (match_id, source) do nothing`);
}

export async function updateMatches(tx: Tx, rows: { id: number; fields: MatchFields }[], now: Date): Promise<void> {
  const json = JSON.stringify(rows.map(({ id, fields }) => ({ id, ...matchJson(fields) })));
  await tx.execute(sql`
    update matches as m set
      season_id = x.season_id, kickoff_at = x.kickoff_at, status = x.status,
      home_score = x.home_score, away_score = x.away_score, home_score_ht = x.home_score_ht, away_score_ht = x.away_score_ht,
      period_scores = x.period_scores, round = x.round, is_playoff = x.is_playoff, neutral = x.neutral,
      referee = x.referee, attendance = x.attendance, venue_id = x.venue_id, updated_at = ${now.toISOString()}::timestamptz
    from json_to_recordset(${json}::json) as x(id int, ${MATCH_RECORD})
    where m.id = x.id`);
}

/** Team statistics merge key by key (a later source adds keys, never removes them). */
export async function writeTeamStats(tx: Tx, part: { inc: Incoming; id: number }[]): Promise<void> {
  const rows: [number, number, string, Record<string, number>][] = [];
  for (const { inc, id } of part) {
    const s = inc.parsed.teamStats;
    if (!s) continue;
    if (Object.keys(s.home).length > 0) rows.push([id, inc.homeTeamId, 'home', s.home]);
    if (Object.keys(s.away).length > 0) rows.push([id, inc.awayTeamId, 'away', s.away]);
  }
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into team_match_stats as t (match_id, team_id, side, stats)
    select (e->>0)::int, (e->>1)::int, e->>2, (e->3)::jsonb from json_array_elements(${JSON.stringify(rows)}::json) e
    on conflict (match_id, team_id) do update set stats = t.stats || excluded.stats, side = excluded.side
    where not (t.stats @> excluded.stats) or t.side <> excluded.side`);
}
