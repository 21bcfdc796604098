import { describe, expect, it } from 'vitest';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import { jointProbability, legBits, simulateMatch, type SimPlayer } from '../../src/models/props/simulate.js';
import { independentJoint } from '../../src/models/props/tier1.js';

const full = [{ minutes: 90, weight: 1 }];
// Independent Poisson team goals (ρ = 0): λ_home = 1.6, λ_away = 1.1.
const matrix = dixonColesMatrix(1.6, 1.1, 0, 12);

function player(side: 0 | 1, goalRate90: number, assistRate90 = 0, cardRate90 = 0): SimPlayer {
  return { side, goalRate90, assistRate90, cardRate90, minutes: full };
}

describe('tier2 joint match simulation', () => {
  it('a player with all of his team’s goal share scores exactly when the team scores', () => {
    const sim = simulateMatch({ matrix, players: [player(0, 1.6), player(1, 0.3)], seed: 7 });
    const goal = legBits(sim, { kind: 'player', player: 0, prop: 'goal' });
    const teamScores = legBits(sim, { kind: 'match', market: 'home_scores' });
    expect(Array.from(goal)).toEqual(Array.from(teamScores));
    const p = jointProbability(sim, [{ kind: 'player', player: 0, prop: 'goal' }]);
    // P(home scores) = 1 − e^{−1.6} up to truncation at 12 goals.
    expect(Math.abs(p.probability - (1 - Math.exp(-1.6)))).toBeLessThan(4 * p.mcError);
  });

  it('joint of a goal and his team scoring equals the goal probability', () => {
    const sim = simulateMatch({ matrix, players: [player(0, 0.5), player(0, 0.2, 0.3), player(1, 0.4)], seed: 11 });
    const goal = jointProbability(sim, [{ kind: 'player', player: 0, prop: 'goal' }]);
    const both = jointProbability(sim, [
      { kind: 'player', player: 0, prop: 'goal' },
      { kind: 'match', market: 'home_scores' },
    ]);
    expect(both.probability).toBe(goal.probability);
  });

  it('marginals match the Poisson allocation: 1 − e^{−r·m/90} for goals and assists', () => {
    const players = [player(0, 0.5, 0.1), player(0, 0.2, 0.3), player(1, 0.4, 0.25)];
    const sim = simulateMatch({ matrix, players, seed: 3 });
    const checks: [number, 'goal' | 'assist', number][] = [
      [0, 'goal', 0.5],
      [1, 'goal', 0.2],
      [2, 'goal', 0.4],
      [0, 'assist', 0.1],
      [1, 'assist', 0.3],
      [2, 'assist', 0.25],
    ];
    for (const [i, prop, rate] of checks) {
      const est = jointProbability(sim, [{ kind: 'player', player: i, prop }]);
      expect(est.mcError).toBeLessThan(0.005);
      expect(Math.abs(est.probability - (1 - Math.exp(-rate)))).toBeLessThan(4 * est.mcError);
    }
  });

  it('tier2 correlates legs that tier1 treats as independent', () => {
    const players = [player(0, 0.6, 0.1), player(0, 0.2, 0.4)];
    const sim = simulateMatch({ matrix, players, seed: 5 });
    const g = jointProbability(sim, [{ kind: 'player', player: 0, prop: 'goal' }]).probability;
    const a = jointProbability(sim, [{ kind: 'player', player: 1, prop: 'assist' }]).probability;
    const win = jointProbability(sim, [{ kind: 'match', market: 'home_win' }]).probability;
    const ga = jointProbability(sim, [
      { kind: 'player', player: 0, prop: 'goal' },
      { kind: 'player', player: 1, prop: 'assist' },
    ]);
    const gw = jointProbability(sim, [
      { kind: 'player', player: 0, prop: 'goal' },
      { kind: 'match', market: 'home_win' },
    ]);
    expect(ga.probability).toBeGreaterThan(independentJoint([g, a]) + 4 * ga.mcError);
    expect(gw.probability).toBeGreaterThan(independentJoint([g, win]) + 4 * gw.mcError);
  });

  it('cards depend on game state when γ > 0 and keep no dependence when γ = 0', () => {
    const players = [player(0, 0, 0, 0.4)];
    const rate = (gamma: number) => {
      const sim = simulateMatch({ matrix, players, cardStateEffect: gamma, seed: 9 });
      const trailing = jointProbability(sim, [{ kind: 'player', player: 0, prop: 'card' }, { kind: 'match', market: 'away_win' }]);
      const leading = jointProbability(sim, [{ kind: 'player', player: 0, prop: 'card' }, { kind: 'match', market: 'home_win' }]);
      const pAway = jointProbability(sim, [{ kind: 'match', market: 'away_win' }]).probability;
      const pHome = jointProbability(sim, [{ kind: 'match', market: 'home_win' }]).probability;
      return { trailing: trailing.probability / pAway, leading: leading.probability / pHome };
    };
    const flat = rate(0);
    expect(Math.abs(flat.trailing - flat.leading)).toBeLessThan(0.03);
    const state = rate(0.3);
    expect(state.trailing).toBeGreaterThan(state.leading + 0.05);
  });

  it('is reproducible from its seed and reads match markets from the same draws', () => {
    const a = simulateMatch({ matrix, players: [player(0, 0.5)], seed: 42, draws: 2000 });
    const b = simulateMatch({ matrix, players: [player(0, 0.5)], seed: 42, draws: 2000 });
    expect(Array.from(a.goal[0]!)).toEqual(Array.from(b.goal[0]!));
    const h = jointProbability(a, [{ kind: 'match', market: 'home_win' }]).probability;
    const d = jointProbability(a, [{ kind: 'match', market: 'draw' }]).probability;
    const w = jointProbability(a, [{ kind: 'match', market: 'away_win' }]).probability;
    expect(h + d + w).toBeCloseTo(1, 12);
    expect(() => legBits(a, { kind: 'player', player: 3, prop: 'goal' })).toThrow(RangeError);
  });
});
