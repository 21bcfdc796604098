import { describe, expect, it } from 'vitest';
import { frailtyNodes, frailtyScoreMatrix } from '../../src/models/props/frailty.js';
import { PropsHistory, type PropsMatch } from '../../src/models/props/history.js';
import { smoothedProbability } from '../../src/models/props/simulate.js';
import { DEFAULT_PROPS_PARAMS, walkForward, type MatchPrediction } from '../../src/models/props/walk-forward.js';
import { binaryScores } from '../../src/models/props/report.js';
import { seededRandom } from '../../src/models/random.js';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';

/** Two seasons of a 4-team double round robin; each team: a striker, a midfielder, a defender. */
function league(): PropsMatch[] {
  const random = seededRandom(1);
  const pairs = [
    [0, 1], [2, 3], [0, 2], [1, 3], [0, 3], [1, 2],
    [1, 0], [3, 2], [2, 0], [3, 1], [3, 0], [2, 1],
  ];
  const out: PropsMatch[] = [];
  let id = 1;
  for (const [s, season] of ['2019-20', '2020-21'].entries()) {
    for (let rep = 0; rep < 3; rep++) {
      pairs.forEach(([h, a], k) => {
        const day = 18000 + s * 400 + rep * 100 + Math.floor(k / 2) * 7;
        const hg = random.poisson(1.5);
        const ag = random.poisson(1.1);
        const lines = [];
        for (const [team, goals] of [[h!, hg], [a!, ag]] as const) {
          // The striker scores two goals in three, the midfielder the rest; the defender never.
          const striker = Array.from({ length: goals }, () => random.uniform() < 2 / 3).filter(Boolean).length;
          lines.push(
            { playerId: team * 10 + 1, teamId: team, position: 'FWD', minutes: 90, goals: striker, assists: goals - striker > 0 ? 1 : 0, cards: 0 },
            { playerId: team * 10 + 2, teamId: team, position: 'MID', minutes: 80, goals: goals - striker, assists: striker > 0 ? 1 : 0, cards: random.uniform() < 0.2 ? 1 : 0 },
            { playerId: team * 10 + 3, teamId: team, position: 'DEF', minutes: 90, goals: 0, assists: 0, cards: random.uniform() < 0.3 ? 1 : 0 },
            { playerId: team * 10 + 4, teamId: team, position: 'DEF', minutes: 0, goals: 0, assists: 0, cards: 0 },
          );
        }
        out.push({ id: id++, season, day, home: h!, away: a!, homeGoals: hg, awayGoals: ag, lines });
      });
    }
  }
  return out;
}

const params = { ...DEFAULT_PROPS_PARAMS, draws: 2048 };

function collect(matches: PropsMatch[]): MatchPrediction[] {
  const seen: MatchPrediction[] = [];
  walkForward(matches, new Set(['2020-21']), params, (p) => seen.push(p));
  return seen;
}

describe('props walk-forward', () => {
  it('predicts only the requested season, every player who appeared, with probabilities in (0, 1)', () => {
    const preds = collect(league());
    expect(preds).toHaveLength(36);
    expect(new Set(preds.map((p) => p.match.season))).toEqual(new Set(['2020-21']));
    for (const p of preds) {
      expect(p.players).toHaveLength(6); // the unused defender (0 minutes) is not a prop
      for (const pl of p.players) {
        for (const src of [pl.tier1, pl.tier2, pl.ensemble, pl.positionBaseline, pl.seasonBaseline]) {
          for (const v of Object.values(src)) expect(v > 0 && v < 1).toBe(true);
        }
      }
    }
  });

  it('uses nothing from the match day or later: changing those results changes no forecast', () => {
    const base = league();
    const first = collect(base)[0]!;
    const day = first.match.day;
    const altered = base.map((m) =>
      m.day >= day ? { ...m, homeGoals: 5, awayGoals: 4, lines: m.lines.map((l) => ({ ...l, goals: 2, cards: 1, minutes: l.minutes ? 30 : 0 })) } : m,
    );
    const again = collect(altered)[0]!;
    expect(again.match.id).toBe(first.match.id);
    expect(again.outcome).toEqual(first.outcome);
    expect(again.players.map((p) => [p.tier1, p.tier2, p.positionBaseline, p.seasonBaseline])).toEqual(
      first.players.map((p) => [p.tier1, p.tier2, p.positionBaseline, p.seasonBaseline]),
    );
  });

  it('learns who scores: the striker is above the midfielder, the defender near zero', () => {
    const last = collect(league()).at(-1)!;
    const byPos = (pos: string) => last.players.find((p) => p.position === pos && p.teamId === last.match.home)!;
    expect(byPos('FWD').tier1.goals).toBeGreaterThan(byPos('MID').tier1.goals);
    expect(byPos('MID').tier1.goals).toBeGreaterThan(byPos('DEF').tier1.goals);
    expect(byPos('DEF').tier1.goals).toBeLessThan(0.02);
  });
});

describe('props history baselines', () => {
  it('position rate and season-to-date rate from settled appearances', () => {
    const h = new PropsHistory(0, 0);
    const line = (goals: number) => ({ playerId: 1, teamId: 1, position: 'FWD', minutes: 90, goals, assists: 0, cards: 0 });
    h.add({ id: 1, season: 's1', day: 0, home: 1, away: 2, homeGoals: 1, awayGoals: 0, lines: [line(1)] });
    h.add({ id: 2, season: 's1', day: 7, home: 1, away: 2, homeGoals: 0, awayGoals: 0, lines: [line(0), { ...line(0), playerId: 2 }] });
    // 1 hit in 3 FWD appearances, with the (0.25, 0.5) pseudo-counts.
    expect(h.positionRate('goals', 'FWD')).toBeCloseTo(1.25 / 3.5, 12);
    expect(h.seasonRate('goals', 1, 'FWD', 's1')).toBeCloseTo((1 + 1.25 / 3.5) / 3, 12);
    expect(h.seasonRate('goals', 1, 'FWD', 's2')).toBeCloseTo(1.25 / 3.5, 12);
    const [player, team, pos] = h.levels('goals', 1, 1, 'FWD', 7);
    expect(player).toEqual({ count: 1, exposure90: 2 });
    expect(team).toEqual({ count: 1, exposure90: 3 });
    expect(pos).toEqual({ count: 1, exposure90: 3 });
    expect(h.recentMinutes(1)).toEqual([90, 90]);
  });
});

describe('props helpers', () => {
  it('frailty nodes have mean 1 and the mixture keeps expected goals but widens them', () => {
    const nodes = frailtyNodes(0.2);
    expect(nodes.reduce((a, b) => a + b, 0) / nodes.length).toBeCloseTo(1, 12);
    expect(Array.from(frailtyNodes(0))).toEqual([1]);
    const plain = dixonColesMatrix(1.5, 1.2, 0, 12);
    const mixed = frailtyScoreMatrix(1.5, 1.2, 0, 0.2, 12);
    const moments = (m: typeof plain) => {
      let e = 0;
      let e2 = 0;
      for (let h = 0; h <= 12; h++) for (let a = 0; a <= 12; a++) {
        e += h * m.p[h * 13 + a]!;
        e2 += h * h * m.p[h * 13 + a]!;
      }
      return { mean: e, variance: e2 - e * e };
    };
    expect(moments(mixed).mean).toBeCloseTo(moments(plain).mean, 3);
    expect(moments(mixed).variance).toBeGreaterThan(moments(plain).variance + 0.2);
  });

  it('smoothed frequencies never return 0 and barely move well-resolved ones', () => {
    expect(smoothedProbability({ probability: 0, mcError: 0 }, 10_000, 0.001)).toBeCloseTo(0.001 * 1000 / 11_000, 12);
    expect(smoothedProbability({ probability: 0.4, mcError: 0 }, 10_000, 0.5)).toBeCloseTo((4000 + 1) / 10_002, 12);
  });

  it('binary scores: log loss, Brier and calibration by hand', () => {
    const s = binaryScores([0.2, 0.2, 0.8, 0.8], [0, 1, 1, 1]);
    expect(s.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.2) + 2 * Math.log(0.8)) / 4, 12);
    expect(s.brier).toBeCloseTo((0.04 + 0.64 + 0.04 + 0.04) / 4, 12);
    // Bins: 0.2 → observed 0.5 (|0.3|), 0.8 → observed 1 (|0.2|), half the items each.
    expect(s.calibrationError).toBeCloseTo(0.25, 12);
  });
});
