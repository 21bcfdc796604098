import { describe, expect, it } from 'vitest';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import { outcome1x2 } from '../../src/models/markets.js';
import { jointFromBits, legBits, simulateMatch } from '../../src/models/props/simulate.js';
import { DEFAULT_ENSEMBLE, type MatchContext } from '../../src/modules/props/context.js';
import { evaluateLegs, legBitSet, parseLeg, tier1Probability } from '../../src/modules/props/legs.js';

const matrix = dixonColesMatrix(1.6, 1.1, -0.05);

// A context with one player per side and an odd number of draws (bits past the last draw).
function context(): MatchContext {
  const minutes = [{ minutes: 90, weight: 1 }];
  const tier1 = (p: number) => ({ probability: p, lower: p, upper: p, uncertainty: 0, expected: p });
  const players = [0, 1].map((side) => ({
    player: { id: 10 + side, name: `P${side}`, position: 'FWD', currentTeamId: null, injuryStatus: 'available', injuryNote: null },
    teamId: side,
    side: side as 0 | 1,
    minutes,
    expectedMinutes: 90,
    tier1: { goals: tier1(1 - Math.exp(-0.5)), assists: tier1(0.2), cards: tier1(0.1) },
    rate90: { goals: 0.5, assists: 0.2, cards: 0.1 },
  }));
  const sim = simulateMatch({ matrix, players: players.map((p) => ({ side: p.side, goalRate90: 0.5, assistRate90: 0.2, cardRate90: 0.1, minutes })), draws: 20_001, seed: 5 });
  return {
    match: { id: 1, competitionId: 1, sport: 'soccer', date: '2024-01-01', status: 'scheduled', neutral: false, home: { id: 0, name: 'H' }, away: { id: 1, name: 'A' } },
    modelVersion: 'test',
    expectedGoals: { home: 1.6, away: 1.1 },
    matrix,
    players,
    excluded: new Map(),
    index: new Map([[10, 0], [11, 1]]),
    simulated: () => true,
    ensemble: DEFAULT_ENSEMBLE,
    simulation: () => sim,
    marketBits: (market, line) => legBits(sim, { kind: 'match', market, line }),
  };
}

describe('parlay legs', () => {
  it('an under leg is the exact complement of the over leg over the draws', () => {
    const ctx = context();
    const sim = ctx.simulation();
    const over = legBitSet(sim, parseLeg(ctx, { player_id: 10, prop: 'goals' }, 0));
    const under = legBitSet(sim, parseLeg(ctx, { player_id: 10, prop: 'goals', line: 'under' }, 1));
    const po = jointFromBits(sim.draws, [over]).probability;
    const pu = jointFromBits(sim.draws, [under]).probability;
    expect(po + pu).toBeCloseTo(1, 12);
    expect(jointFromBits(sim.draws, [over, under]).probability).toBe(0);
  });

  it('match markets under tier1 come from the score matrix', () => {
    const ctx = context();
    const o = outcome1x2(matrix);
    expect(tier1Probability(ctx, parseLeg(ctx, { market: 'home_win' }, 0))).toBeCloseTo(o.home, 10);
    expect(tier1Probability(ctx, parseLeg(ctx, { market: 'draw' }, 0))).toBeCloseTo(o.draw, 10);
    const over = tier1Probability(ctx, parseLeg(ctx, { market: 'over', line: '2.5' }, 0));
    const under = tier1Probability(ctx, parseLeg(ctx, { market: 'under', line: '2.5' }, 0));
    expect(over + under).toBeCloseTo(1, 10);
  });

  it('tier1 joint is the product; tier2 joint of his goal and his team scoring is his goal', () => {
    const ctx = context();
    const legs = [parseLeg(ctx, { player_id: 10, prop: 'goals' }, 0), parseLeg(ctx, { market: 'home_scores' }, 1)];
    const j = evaluateLegs(ctx, legs);
    expect(j.jointTier1).toBeCloseTo(j.tier1[0]! * j.tier1[1]!, 12);
    const sim = ctx.simulation();
    expect(jointFromBits(sim.draws, j.bits).probability).toBe(jointFromBits(sim.draws, [j.bits[0]!]).probability);
    expect(j.mcError).toBeLessThan(0.005);
  });

  it('rejects unknown markets and lines with the field that is wrong', () => {
    const ctx = context();
    expect(() => parseLeg(ctx, { market: 'corners' }, 2)).toThrow(/legs\.2\.market/);
    expect(() => parseLeg(ctx, { market: 'over', line: 'lots' }, 0)).toThrow(/goal line/);
    expect(() => parseLeg(ctx, {}, 0)).toThrow(/player_id and prop/);
    expect(() => parseLeg(ctx, { player_id: 99, prop: 'goals' }, 0)).toThrow(/neither squad/);
  });
});
