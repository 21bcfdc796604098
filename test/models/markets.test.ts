import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import {
  asianHandicap,
  at,
  bothTeamsToScore,
  doubleChance,
  drawNoBet,
  expectedGoals,
  impliedPoissonGoals,
  marketsFromScoreMatrix,
  outcome1x2,
  overUnder,
  type ScoreMatrix,
  settleLine,
  topCorrectScores,
  totalGoalsDistribution,
} from '../../src/models/markets.js';

// A fixed seed keeps CI reproducible; FUZZ_SEED=<n> explores other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261125) });

// A hand-written score matrix (rows: home goals 0..2, columns: away goals 0..2).
//          away 0  away 1  away 2
// home 0    0.10    0.08    0.02
// home 1    0.20    0.15    0.05
// home 2    0.15    0.15    0.10
// Home win = 0.20+0.15+0.15 = 0.50, draw = 0.10+0.15+0.10 = 0.35, away = 0.08+0.02+0.05 = 0.15.
// Goal difference: −2: 0.02, −1: 0.13, 0: 0.35, +1: 0.35, +2: 0.15.
// Total goals: 0: 0.10, 1: 0.28, 2: 0.32, 3: 0.20, 4: 0.10.
const M: ScoreMatrix = { maxGoals: 2, p: Float64Array.from([0.1, 0.08, 0.02, 0.2, 0.15, 0.05, 0.15, 0.15, 0.1]) };

function expectSettlement<T extends Record<keyof T, number>>(actual: T, expected: Partial<T>): void {
  for (const k of Object.keys(expected) as (keyof T)[]) expect(actual[k], String(k)).toBeCloseTo(expected[k]!, 12);
}

describe('markets from a hand-written score matrix', () => {
  it('1X2, double chance, both teams to score and expected goals', () => {
    expectSettlement(outcome1x2(M), { home: 0.5, draw: 0.35, away: 0.15 });
    expectSettlement(doubleChance(M), { homeOrDraw: 0.85, homeOrAway: 0.65, drawOrAway: 0.5 });
    expectSettlement(bothTeamsToScore(M), { yes: 0.45, no: 0.55 });
    // Home: 1·0.40 + 2·0.40 = 1.20; away: 1·0.38 + 2·0.17 = 0.72.
    expectSettlement(expectedGoals(M), { home: 1.2, away: 0.72, total: 1.92 });
    expect(at(M, 2, 1)).toBe(0.15);
    expect(at(M, 3, 0)).toBe(0);
  });

  it('Asian handicap home −0.25: a draw loses half the stake', () => {
    const { home, away } = asianHandicap(M, -0.25);
    expectSettlement(home, { win: 0.5, halfWin: 0, push: 0, halfLoss: 0.35, loss: 0.15 });
    // Fair price: 1 + (0.15 + 0.35/2) / 0.50 = 1.65.
    expect(home.fairPrice).toBeCloseTo(1.65, 12);
    // The other side, away +0.25, wins half on a draw: 1 + 0.50 / (0.15 + 0.175).
    expectSettlement(away, { win: 0.15, halfWin: 0.35, push: 0, halfLoss: 0, loss: 0.5 });
    expect(away.fairPrice).toBeCloseTo(1 + 0.5 / 0.325, 12);
  });

  it('Asian handicap home −0.75 half-wins a one-goal win; −1 pushes it; 0 is draw-no-bet', () => {
    expectSettlement(asianHandicap(M, -0.75).home, { win: 0.15, halfWin: 0.35, push: 0, halfLoss: 0, loss: 0.5 });
    expectSettlement(asianHandicap(M, -1).home, { win: 0.15, halfWin: 0, push: 0.35, halfLoss: 0, loss: 0.5 });
    // Home +1.5 is away −1.5: the away side needs to win by two (the 0-2 cell).
    expectSettlement(asianHandicap(M, 1.5).away, { win: 0.02, loss: 0.98, push: 0 });
    const dnb = drawNoBet(M);
    expectSettlement(dnb.home, { win: 0.5, push: 0.35, loss: 0.15, fairPrice: 1.3 });
    expectSettlement(dnb.away, { win: 0.15, push: 0.35, loss: 0.5, fairPrice: 1 + 0.5 / 0.15 });
  });

  it('over/under at half, whole and quarter lines', () => {
    expectSettlement(overUnder(M, 2.5).over, { win: 0.3, loss: 0.7, push: 0 });
    expectSettlement(overUnder(M, 2).over, { win: 0.3, push: 0.32, loss: 0.38 });
    // Over 2.25 = half on over 2 (pushes on 2 goals) and half on over 2.5 (loses on 2 goals).
    const o225 = overUnder(M, 2.25).over;
    expectSettlement(o225, { win: 0.3, halfWin: 0, push: 0, halfLoss: 0.32, loss: 0.38 });
    expect(o225.fairPrice).toBeCloseTo(1 + (0.38 + 0.16) / 0.3, 12);
    // Over 2.75 = half on over 2.5 (wins on 3) and half on over 3 (pushes on 3).
    expectSettlement(overUnder(M, 2.75).over, { win: 0.1, halfWin: 0.2, halfLoss: 0, loss: 0.7 });
    expectSettlement(overUnder(M, 2.75).under, { win: 0.7, halfWin: 0, halfLoss: 0.2, loss: 0.1 });
    expect(() => overUnder(M, 2.3)).toThrow(/multiple of 0.25/);
  });

  it('correct scores are ranked, ties broken by fewer goals', () => {
    expect(topCorrectScores(M, 4)).toEqual([
      { home: 1, away: 0, probability: 0.2 },
      { home: 1, away: 1, probability: 0.15 },
      { home: 2, away: 0, probability: 0.15 },
      { home: 2, away: 1, probability: 0.15 },
    ]);
  });

  it('bundles every market for the API', () => {
    const set = marketsFromScoreMatrix(M, { totals: [2.25], handicaps: [-0.25], correctScores: 2 });
    expect(set.totals).toHaveLength(1);
    expect(set.totals[0]!.over.halfLoss).toBeCloseTo(0.32, 12);
    expect(set.asianHandicaps[0]!.home.halfLoss).toBeCloseTo(0.35, 12);
    expect(set.correctScores).toHaveLength(2);
  });
});

describe('Dixon-Coles score matrix by hand', () => {
  it('gives the 1X2 of two tiny goal rates from the first few cells', () => {
    // λ = 0.01, μ = 0.02, ρ = −0.1: only scores with ≤ 4 goals matter at 1e-8.
    const l = 0.01;
    const m = 0.02;
    const rho = -0.1;
    const E = Math.exp(-l - m);
    const home = E * (l * (1 + m * rho) + (l * l) / 2 + ((l * l) / 2) * m + (l * l * l) / 6 + ((l * l * l) / 6) * m + l ** 4 / 24);
    const away = E * (m * (1 + l * rho) + (m * m) / 2 + l * ((m * m) / 2) + (m * m * m) / 6 + (l * m * m * m) / 6 + m ** 4 / 24);
    const draw = E * (1 - l * m * rho + l * m * (1 - rho) + (l * l * m * m) / 4);
    const o = outcome1x2(dixonColesMatrix(l, m, rho, 10));
    expect(o.home).toBeCloseTo(home, 9);
    expect(o.away).toBeCloseTo(away, 9);
    expect(o.draw).toBeCloseTo(draw, 9);
  });

  it('applies τ only to 0-0, 1-0, 0-1 and 1-1 and keeps total mass 1', () => {
    const rho = -0.1;
    const mat = dixonColesMatrix(1, 1, rho, 15);
    const e2 = Math.exp(-2);
    expect(at(mat, 0, 0)).toBeCloseTo(e2 * (1 - rho), 12);
    expect(at(mat, 0, 1)).toBeCloseTo(e2 * (1 + rho), 12);
    expect(at(mat, 1, 0)).toBeCloseTo(e2 * (1 + rho), 12);
    expect(at(mat, 1, 1)).toBeCloseTo(e2 * (1 - rho), 12);
    expect(at(mat, 2, 1)).toBeCloseTo(e2 / 2, 12);
    expect(mat.p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });
});

describe('settlement invariants', () => {
  const quarterLine = fc.integer({ min: -24, max: 24 }).map((q) => q / 4);
  it('every settlement is a distribution and over/under mirror each other', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 3.5, noNaN: true }),
        fc.double({ min: 0.2, max: 3.5, noNaN: true }),
        fc.double({ min: -0.2, max: 0.1, noNaN: true }),
        quarterLine,
        (lh, la, rho, line) => {
          const mat = dixonColesMatrix(lh, la, rho, 10);
          for (const { over, under } of [overUnder(mat, Math.abs(line)), (({ home, away }) => ({ over: home, under: away }))(asianHandicap(mat, line))]) {
            const total = over.win + over.halfWin + over.push + over.halfLoss + over.loss;
            expect(total).toBeCloseTo(1, 12);
            expect(over.win).toBeCloseTo(under.loss, 12);
            expect(over.halfWin).toBeCloseTo(under.halfLoss, 12);
            expect(over.push).toBeCloseTo(under.push, 12);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('a quarter line settles as the average of its two neighbouring lines', () => {
    const d = totalGoalsDistribution(dixonColesMatrix(1.6, 1.1, -0.05));
    for (const line of [1.25, 2.75, 3.25]) {
      const q = settleLine(d, line, 'over');
      const lo = settleLine(d, line - 0.25, 'over');
      const hi = settleLine(d, line + 0.25, 'over');
      // Expected profit per unit stake at price 2 is the mean of the two half bets'.
      const ev = (s: typeof q) => s.win + 0.5 * s.halfWin - 0.5 * s.halfLoss - s.loss;
      expect(ev(q)).toBeCloseTo((ev(lo) + ev(hi)) / 2, 12);
    }
  });
});

describe('impliedPoissonGoals: the expected goals a 1X2 price implies', () => {
  it('gives back the λ of independent Poisson scores from their home and away probabilities', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 3.5, noNaN: true }), fc.double({ min: 0.3, max: 3.5, noNaN: true }), (lh, la) => {
        const o = outcome1x2(dixonColesMatrix(lh, la, 0, 15));
        const got = impliedPoissonGoals(o.home, o.away)!;
        expect(got.home).toBeCloseTo(lh, 4);
        expect(got.away).toBeCloseTo(la, 4);
      }),
      { numRuns: 60 },
    );
  });

  it('is symmetric, and a higher draw probability means fewer goals', () => {
    const even = impliedPoissonGoals(0.35, 0.35)!;
    expect(even.home).toBeCloseTo(even.away, 8);
    expect(impliedPoissonGoals(0.3, 0.3)!.home).toBeLessThan(even.home);
  });

  it('refuses what is not a pair of outcome probabilities', () => {
    expect(impliedPoissonGoals(0, 0.3)).toBeNull();
    expect(impliedPoissonGoals(0.6, 0.4)).toBeNull();
    expect(impliedPoissonGoals(Number.NaN, 0.2)).toBeNull();
  });
});
