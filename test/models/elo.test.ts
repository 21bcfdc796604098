import { describe, expect, it } from 'vitest';
import {
  ELO_SPORT_PARAMS,
  type EloMatch,
  eloExpectedScore,
  eloOutcomeProbabilities,
  eloUpdate,
  fitEloDrawModel,
  movMultiplier,
  runElo,
} from '../../src/models/elo.js';
import { sampleIndex, seededRandom } from '../../src/models/random.js';

const SOCCER = ELO_SPORT_PARAMS.soccer;

describe('Elo arithmetic by hand', () => {
  it('expected score: equal ratings 0.5, a 400-point edge 10/11', () => {
    expect(eloExpectedScore(0)).toBe(0.5);
    expect(eloExpectedScore(400)).toBeCloseTo(10 / 11, 14);
    expect(eloExpectedScore(-400)).toBeCloseTo(1 / 11, 14);
  });

  it('a 3-0 home win between equal soccer teams moves 14.26 points', () => {
    // Δ = 65 (home advantage): E = 1 / (1 + 10^(−65/400)) = 0.592466; G = (11 + 3)/8 = 1.75;
    // change = K · G · (1 − E) = 20 · 1.75 · 0.407534 = 14.2637.
    const r = eloUpdate(1500, 1500, 3, 0, SOCCER);
    expect(r.delta).toBeCloseTo(14.2637, 4);
    expect(r.home + r.away).toBeCloseTo(3000, 10); // zero-sum
    // A draw at home costs the home side: S − E = 0.5 − 0.592466.
    expect(eloUpdate(1500, 1500, 1, 1, SOCCER).delta).toBeCloseTo(20 * (0.5 - 0.5924662305843318), 10);
    // Neutral venue: no home advantage, E = 0.5.
    expect(eloUpdate(1500, 1500, 1, 0, SOCCER, true).delta).toBeCloseTo(10, 12);
  });

  it('margin-of-victory multipliers follow their published formulas', () => {
    expect(movMultiplier('goal-difference', 1, 0)).toBe(1);
    expect(movMultiplier('goal-difference', -2, 0)).toBe(1.5);
    expect(movMultiplier('goal-difference', 4, 0)).toBe(15 / 8);
    // FiveThirtyEight NBA: (10 + 3)^0.8 / (7.5 + 0.006 · 100).
    expect(movMultiplier('fivethirtyeight-nba', 10, 100)).toBeCloseTo(13 ** 0.8 / 8.1, 14);
    // FiveThirtyEight NFL: ln(7 + 1) · 2.2 / (0.001 · 50 + 2.2).
    expect(movMultiplier('fivethirtyeight-nfl', 7, 50)).toBeCloseTo((Math.log(8) * 2.2) / 2.25, 14);
    expect(movMultiplier('none', 30, 0)).toBe(1);
  });

  it('the soccer ordered logit gives a draw band around an even match', () => {
    const even = eloOutcomeProbabilities(0, { theta: 0.55, beta: 1 });
    const side = 1 / (1 + Math.exp(0.55));
    expect(even.home).toBeCloseTo(side, 14);
    expect(even.away).toBeCloseTo(side, 14);
    expect(even.draw).toBeCloseTo(1 - 2 * side, 14);
    const fav = eloOutcomeProbabilities(200, { theta: 0.55, beta: 1 });
    expect(fav.home).toBeGreaterThan(fav.away);
    expect(fav.home + fav.draw + fav.away).toBeCloseTo(1, 14);
    expect(eloOutcomeProbabilities(100, null).draw).toBe(0);
  });
});

function m(home: string, away: string, season: string, time: number, hs: number | null, as: number | null): EloMatch {
  return { home, away, season, time, homeScore: hs, awayScore: as };
}

describe('runElo', () => {
  const params = { ...ELO_SPORT_PARAMS.basketball };
  const matches: EloMatch[] = [
    m('A', 'B', '2019', 1, 110, 100),
    m('B', 'C', '2019', 2, 95, 99),
    m('C', 'A', '2019', 3, 101, 101),
    m('A', 'C', '2020', 4, 120, 90),
    m('D', 'A', '2020', 5, null, null),
  ];

  it('returns pre-match probabilities from ratings before each match', () => {
    const { predictions } = runElo(matches, params);
    expect(predictions[0]).toMatchObject({ homeRating: 1500, awayRating: 1500, diff: 100 });
    expect(predictions[0]!.home).toBeCloseTo(eloExpectedScore(100), 14);
    const afterFirst = eloUpdate(1500, 1500, 110, 100, params);
    expect(predictions[1]!.homeRating).toBeCloseTo(afterFirst.away, 12); // B after losing to A
  });

  it('regresses ratings towards the mean at a new season and rates newcomers separately', () => {
    const { predictions, state } = runElo(matches, params);
    const before = runElo(matches.slice(0, 3), params).state.ratings.get('A')!;
    expect(predictions[3]!.homeRating).toBeCloseTo(before + 0.25 * (1505 - before), 12);
    // D first appears in the second season: it gets newTeamRating.
    expect(predictions[4]!.homeRating).toBe(params.newTeamRating);
    // The unplayed match is predicted but does not move any rating.
    expect(state.ratings.has('D')).toBe(false);
  });

  it('is walk-forward: a later result never changes an earlier prediction', () => {
    const base = runElo(matches, params).predictions;
    const changed = matches.map((x, i) => (i === 2 ? { ...x, homeScore: 80, awayScore: 120 } : x));
    const alt = runElo(changed, params).predictions;
    expect(alt.slice(0, 3)).toEqual(base.slice(0, 3));
    expect(alt[3]!.homeRating).not.toBe(base[3]!.homeRating);
  });

  it('continues from a saved state exactly as a single run', () => {
    const whole = runElo(matches, params);
    const first = runElo(matches.slice(0, 2), params);
    const rest = runElo(matches.slice(2), params, first.state);
    expect(rest.predictions).toEqual(whole.predictions.slice(2));
    expect([...rest.state.ratings]).toEqual([...whole.state.ratings]);
  });

  it('refuses matches out of chronological order', () => {
    expect(() => runElo([matches[1]!, matches[0]!], params)).toThrow(/chronologically/);
  });
});

describe('fitEloDrawModel', () => {
  it('recovers θ and β from outcomes simulated with the ordered logit', () => {
    const truth = { theta: 0.6, beta: 1.15 };
    const random = seededRandom(12);
    const n = 20000;
    const diffs = new Float64Array(n);
    const outcomes = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      diffs[k] = -300 + 600 * random.uniform();
      const p = eloOutcomeProbabilities(diffs[k]!, truth);
      outcomes[k] = sampleIndex(random, [p.home, p.draw, p.away]);
    }
    const fit = fitEloDrawModel(diffs, outcomes);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.theta - truth.theta)).toBeLessThan(0.04);
    expect(Math.abs(fit.beta - truth.beta)).toBeLessThan(0.06);
    expect(fit.logLoss).toBeGreaterThan(0.9);
    expect(fit.logLoss).toBeLessThan(1.1);
  });
});
