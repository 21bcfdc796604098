// The standings function on hand-computed tables: points tables with goal-difference and
// head-to-head tie-breaks, and win-percentage tables with games behind.
import { describe, expect, it } from 'vitest';
import type { TieBreak } from '../../src/db/schema/index.js';
import { computeStandings, type StandingsResult } from '../../src/modules/catalog/standings.js';

const [ARS, BRI, CHE, DER, EVE, FUL] = [1, 2, 3, 4, 5, 6];
const names: Record<number, string> = { 1: 'Arsenal', 2: 'Brighton', 3: 'Chelsea', 4: 'Derby', 5: 'Everton', 6: 'Fulham' };
const r = (order: string, homeTeamId: number, awayTeamId: number, homeScore: number, awayScore: number): StandingsResult => ({
  order,
  homeTeamId,
  awayTeamId,
  homeScore,
  awayScore,
});

// A part-played season (Fulham has not played yet):
//   08-12 Arsenal 2-0 Brighton      08-19 Arsenal 1-0 Chelsea     08-26 Brighton 1-0 Chelsea
//   09-02 Chelsea 5-0 Derby         09-16 Derby 1-1 Everton       09-23 Arsenal 2-1 Everton
//
//            P W D L GF GA  GD Pts form
//   Arsenal  3 3 0 0  5  1  +4  9  WWW
//   Chelsea  3 1 0 2  5  2  +3  3  LLW   } level on points: Chelsea has the better goal
//   Brighton 2 1 0 1  1  2  -1  3  LW    } difference, Brighton won the head-to-head
//   Everton  2 0 1 1  2  3  -1  1  DL    } level on points, head-to-head drawn 1-1:
//   Derby    2 0 1 1  1  6  -5  1  LD    } goal difference decides under both rule sets
//   Fulham   0 0 0 0  0  0   0  0
const season = [
  r('2023-08-12', ARS, BRI, 2, 0),
  r('2023-08-19', ARS, CHE, 1, 0),
  r('2023-08-26', BRI, CHE, 1, 0),
  r('2023-09-02', CHE, DER, 5, 0),
  r('2023-09-16', DER, EVE, 1, 1),
  r('2023-09-23', ARS, EVE, 2, 1),
];
const soccer = (tieBreaks: TieBreak[]) => ({ pointsWin: 3, pointsDraw: 1, pointsLoss: 0, tieBreaks });
const order = (rows: { teamId: number }[]) => rows.map((x) => names[x.teamId]);

describe('computeStandings: points tables', () => {
  it('orders by points, then goal difference (Premier League rules)', () => {
    const rows = computeStandings([ARS, BRI, CHE, DER, EVE, FUL], [...season].reverse(), soccer(['points', 'goal_difference', 'goals_for']), (id) => names[id]!);
    expect(order(rows)).toEqual(['Arsenal', 'Chelsea', 'Brighton', 'Everton', 'Derby', 'Fulham']);
    expect(rows[0]).toEqual({
      position: 1,
      teamId: ARS,
      played: 3,
      won: 3,
      drawn: 0,
      lost: 0,
      goalsFor: 5,
      goalsAgainst: 1,
      goalDifference: 4,
      points: 9,
      winPct: 1,
      gamesBehind: null,
      form: 'WWW',
    });
    expect(rows.map((x) => [x.played, x.won, x.drawn, x.lost, x.goalsFor, x.goalsAgainst, x.points, x.form])).toEqual([
      [3, 3, 0, 0, 5, 1, 9, 'WWW'],
      [3, 1, 0, 2, 5, 2, 3, 'LLW'],
      [2, 1, 0, 1, 1, 2, 3, 'LW'],
      [2, 0, 1, 1, 2, 3, 1, 'DL'],
      [2, 0, 1, 1, 1, 6, 1, 'LD'],
      [0, 0, 0, 0, 0, 0, 0, ''],
    ]);
    expect(rows.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('puts the head-to-head winner first, and falls through to goal difference when it is level (La Liga rules)', () => {
    const rows = computeStandings([ARS, BRI, CHE, DER, EVE, FUL], season, soccer(['points', 'head_to_head', 'goal_difference', 'goals_for']), (id) => names[id]!);
    expect(order(rows)).toEqual(['Arsenal', 'Brighton', 'Chelsea', 'Everton', 'Derby', 'Fulham']);
  });

  it('uses only the matches among the tied teams for head-to-head (a three-way mini-league)', () => {
    // A, B, C all on 6 points. Among themselves: A beat B 1-0, B beat C 3-0, C beat A 1-0,
    // so each has 3 mini-league points; mini-league goal difference: B +2, A 0, C -2.
    // Against D: A won 5-0, B 1-0, C 2-0 — which would put A first on overall goal difference.
    const [A, B, C, D] = [11, 12, 13, 14];
    const results = [r('1', A, B, 1, 0), r('2', B, C, 3, 0), r('3', C, A, 1, 0), r('4', A, D, 5, 0), r('5', B, D, 1, 0), r('6', C, D, 2, 0)];
    const h2h = computeStandings([A, B, C, D], results, soccer(['points', 'head_to_head', 'goal_difference']));
    expect(h2h.map((x) => x.teamId)).toEqual([B, A, C, D]);
    const gd = computeStandings([A, B, C, D], results, soccer(['points', 'goal_difference']));
    expect(gd.map((x) => x.teamId)).toEqual([A, B, C, D]); // GD: A +5, B +3, C +1
  });

  it("applies the competition's points for a win, draw and loss", () => {
    const rows = computeStandings([1, 2], [r('1', 1, 2, 1, 1), r('2', 2, 1, 2, 0)], { pointsWin: 2, pointsDraw: 1, pointsLoss: 0, tieBreaks: ['points'] });
    expect(rows.map((x) => [x.teamId, x.points])).toEqual([
      [2, 3],
      [1, 1],
    ]);
  });

  it('orders teams level on every criterion by name, and keeps the last five results as form', () => {
    const results = ['1', '2', '3', '4', '5', '6', '7'].map((d, i) => (i % 2 === 0 ? r(d, 1, 2, 1, 0) : r(d, 2, 1, 1, 0)));
    const rows = computeStandings([1, 2], results, soccer(['points']), (id) => (id === 1 ? 'Zebras' : 'Antelopes'));
    expect(rows.map((x) => x.points)).toEqual([12, 9]); // 4 wins against 3
    expect(rows[0]!.teamId).toBe(1);
    expect(rows[0]!.form).toBe('WLWLW'); // results 3..7 of WLWLWLW
    const level = computeStandings([1, 2], [r('1', 1, 2, 0, 0)], soccer(['points', 'goal_difference']), (id) => (id === 1 ? 'Zebras' : 'Antelopes'));
    expect(level.map((x) => x.teamId)).toEqual([2, 1]);
  });
});

// NBA-style: win percentage, then head-to-head, then wins.
//   01-01 Knicks 110-100 Celtics   01-02 Knicks 105-99 Nets     01-03 Nets 101-99 Celtics
//   01-04 Celtics 95-97 Nets       01-05 Raptors 99-98 Nets     01-06 Celtics 101-99 Raptors
//   01-07 Celtics 100-120 Knicks
//            W-L   pct   GB
//   Knicks   3-0  1.000  -
//   Raptors  1-1  .500  1.5   } level at .500: Raptors beat Nets head-to-head
//   Nets     2-2  .500  1.5   } (with wins as the only tie-break, Nets would be ahead)
//   Celtics  1-4  .200  3.0
describe('computeStandings: win-percentage tables', () => {
  const [KNI, CEL, NET, RAP] = [21, 22, 23, 24];
  const games = [
    r('2024-01-01', KNI, CEL, 110, 100),
    r('2024-01-02', KNI, NET, 105, 99),
    r('2024-01-03', NET, CEL, 101, 99),
    r('2024-01-04', CEL, NET, 95, 97),
    r('2024-01-05', RAP, NET, 99, 98),
    r('2024-01-06', CEL, RAP, 101, 99),
    r('2024-01-07', CEL, KNI, 100, 120),
  ];
  const nba = (tieBreaks: TieBreak[]) => ({ pointsWin: 1, pointsDraw: 0, pointsLoss: 0, tieBreaks });

  it('orders by win percentage with head-to-head, and reports games behind', () => {
    const rows = computeStandings([KNI, CEL, NET, RAP], games, nba(['win_pct', 'head_to_head', 'wins']));
    expect(rows.map((x) => [x.teamId, x.won, x.lost, x.winPct, x.gamesBehind])).toEqual([
      [KNI, 3, 0, 1, 0],
      [RAP, 1, 1, 0.5, 1.5],
      [NET, 2, 2, 0.5, 1.5],
      [CEL, 1, 4, 0.2, 3],
    ]);
    expect(rows[0]).toMatchObject({ goalsFor: 335, goalsAgainst: 299 });
  });

  it('falls back to wins when head-to-head is not among the tie-breaks', () => {
    const rows = computeStandings([KNI, CEL, NET, RAP], games, nba(['win_pct', 'wins']));
    expect(rows.map((x) => x.teamId)).toEqual([KNI, NET, RAP, CEL]);
  });

  it('counts a tie as half a win (NFL)', () => {
    const rows = computeStandings([1, 2], [r('1', 1, 2, 20, 20), r('2', 1, 2, 27, 3)], nba(['win_pct']));
    expect(rows.map((x) => [x.teamId, x.won, x.drawn, x.lost, x.winPct])).toEqual([
      [1, 1, 1, 0, 0.75],
      [2, 0, 1, 1, 0.25],
    ]);
  });
});
