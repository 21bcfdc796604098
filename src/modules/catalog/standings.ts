// League tables computed from final results. Models the two table conventions we serve:
// points tables (soccer: 3/1/0 by default, the competition's points_win/draw/loss) and
// win-percentage tables (NBA/NFL: (W + T/2) / GP, with games behind the leader).
// Ties are broken by the competition's ordered tie_breaks. 'head_to_head' ranks the
// teams still level by a mini-league of only the matches among them (points, then goal
// difference, then goals scored within it; win percentage for win_pct tables), as the
// Spanish and Italian leagues do; teams it cannot separate go on to the next criterion.
// Teams level on every criterion are ordered by name so the output is deterministic.
// Pure: no database, no clock.
import type { TieBreak } from '../../db/schema/index.js';

export interface StandingsResult {
  homeTeamId: number;
  awayTeamId: number;
  homeScore: number;
  awayScore: number;
  /** Orders results for the form string: date, then any finer key the caller has. */
  order: string;
}

export interface StandingsRules {
  pointsWin: number;
  pointsDraw: number;
  pointsLoss: number;
  tieBreaks: readonly TieBreak[];
}

export interface StandingsRow {
  position: number;
  teamId: number;
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  goalDifference: number;
  points: number;
  /** (won + drawn / 2) / played, 0 before any match. */
  winPct: number;
  /** Games behind the leader in a win_pct table; null in a points table. */
  gamesBehind: number | null;
  /** The last five results, oldest first (the most recent is the last letter). */
  form: string;
}

export const FORM_LENGTH = 5;

interface Tally {
  teamId: number;
  played: number;
  won: number;
  drawn: number;
  lost: number;
  goalsFor: number;
  goalsAgainst: number;
  points: number;
  results: string[];
}

function emptyTally(teamId: number): Tally {
  return { teamId, played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0, points: 0, results: [] };
}

function tally(teamIds: Iterable<number>, results: readonly StandingsResult[], rules: StandingsRules): Map<number, Tally> {
  const table = new Map<number, Tally>();
  for (const id of teamIds) table.set(id, emptyTally(id));
  const get = (id: number): Tally => {
    let t = table.get(id);
    if (!t) {
      t = emptyTally(id);
      table.set(id, t);
    }
    return t;
  };
  for (const r of results) {
    const home = get(r.homeTeamId);
    const away = get(r.awayTeamId);
    record(home, r.homeScore, r.awayScore, rules);
    record(away, r.awayScore, r.homeScore, rules);
  }
  return table;
}

function record(t: Tally, scored: number, conceded: number, rules: StandingsRules): void {
  t.played += 1;
  t.goalsFor += scored;
  t.goalsAgainst += conceded;
  if (scored > conceded) {
    t.won += 1;
    t.points += rules.pointsWin;
    t.results.push('W');
  } else if (scored < conceded) {
    t.lost += 1;
    t.points += rules.pointsLoss;
    t.results.push('L');
  } else {
    t.drawn += 1;
    t.points += rules.pointsDraw;
    t.results.push('D');
  }
}

const winPct = (t: Tally): number => (t.played === 0 ? 0 : (t.won + t.drawn / 2) / t.played);

/** A team's sort key under one criterion: compared element by element, higher first. */
type KeyFn = (teamIds: readonly number[]) => Map<number, number[]>;

function criterionKey(
  criterion: TieBreak,
  table: Map<number, Tally>,
  results: readonly StandingsResult[],
  rules: StandingsRules,
  byWinPct: boolean,
): KeyFn {
  const simple = (f: (t: Tally) => number): KeyFn => (ids) => new Map(ids.map((id) => [id, [f(table.get(id)!)]]));
  switch (criterion) {
    case 'points':
      return simple((t) => t.points);
    case 'goal_difference':
      return simple((t) => t.goalsFor - t.goalsAgainst);
    case 'goals_for':
      return simple((t) => t.goalsFor);
    case 'wins':
      return simple((t) => t.won);
    case 'win_pct':
      return simple(winPct);
    case 'head_to_head':
      return (ids) => {
        const group = new Set(ids);
        const mini = tally(ids, results.filter((r) => group.has(r.homeTeamId) && group.has(r.awayTeamId)), rules);
        return new Map(
          ids.map((id) => {
            const t = mini.get(id)!;
            return [id, byWinPct ? [winPct(t)] : [t.points, t.goalsFor - t.goalsAgainst, t.goalsFor]];
          }),
        );
      };
  }
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Orders `ids` by the criteria in turn: sort by the first criterion, then split into
 * groups level on it and order each group by the remaining criteria. Group-wise recursion
 * is what lets head_to_head look only at the teams still tied at that point.
 */
function rank(ids: number[], criteria: KeyFn[], tieOrder: (a: number, b: number) => number): number[] {
  if (ids.length <= 1) return ids;
  const [first, ...rest] = criteria;
  if (!first) return [...ids].sort(tieOrder);
  const keys = first(ids);
  const sorted = [...ids].sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!));
  const out: number[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i += 1) {
    if (i === sorted.length || compareKeys(keys.get(sorted[start]!)!, keys.get(sorted[i]!)!) !== 0) {
      out.push(...rank(sorted.slice(start, i), rest, tieOrder));
      start = i;
    }
  }
  return out;
}

/**
 * The table for `teamIds` (every team in the season, so teams yet to play show with zeros)
 * from final `results`. The first tie-break decides the table type: 'win_pct' makes a
 * win-percentage table with games behind; anything else a points table.
 */
export function computeStandings(
  teamIds: Iterable<number>,
  results: readonly StandingsResult[],
  rules: StandingsRules,
  teamName: (teamId: number) => string = (id) => String(id).padStart(12, '0'),
): StandingsRow[] {
  const chronological = [...results].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  const table = tally(teamIds, chronological, rules);
  const byWinPct = rules.tieBreaks[0] === 'win_pct';
  const criteria = (rules.tieBreaks.length > 0 ? rules.tieBreaks : (['points'] as const)).map((c) =>
    criterionKey(c, table, chronological, rules, byWinPct),
  );
  const tieOrder = (a: number, b: number) => teamName(a).localeCompare(teamName(b)) || a - b;
  const ordered = rank([...table.keys()], criteria, tieOrder);

  const leader = table.get(ordered[0]!);
  return ordered.map((id, i) => {
    const t = table.get(id)!;
    return {
      position: i + 1,
      teamId: id,
      played: t.played,
      won: t.won,
      drawn: t.drawn,
      lost: t.lost,
      goalsFor: t.goalsFor,
      goalsAgainst: t.goalsAgainst,
      goalDifference: t.goalsFor - t.goalsAgainst,
      points: t.points,
      winPct: Math.round(winPct(t) * 1000) / 1000,
      gamesBehind: byWinPct && leader ? ((leader.won - t.won + (t.lost - leader.lost)) / 2) : null,
      form: t.results.slice(-FORM_LENGTH).join(''),
    };
  });
}
