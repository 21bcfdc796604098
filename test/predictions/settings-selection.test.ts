// Settings chosen per competition by nested walk-forward (issue 17): the one-standard-error
// rule on synthetic evidence, the candidate grid, and a simulated league whose home advantage
// is far from the fixed Elo setting, where the procedure must move Elo's home advantage up —
// choosing only from forecasts of matches before each season — and report the choice.
import { describe, expect, it } from 'vitest';
import { addDaysTo, type HistoryMatch } from '../../src/modules/predictions/engine/history.js';
import { sportSettings } from '../../src/modules/predictions/engine/params.js';
import { applySettings, chooseSettings, MIN_SELECTION_EVIDENCE, settingsCandidates, type SettingsCandidate } from '../../src/modules/predictions/engine/settings-selection.js';
import type { Forecast } from '../../src/modules/predictions/engine/forecast.js';
import { walkForward } from '../../src/modules/predictions/engine/walk-forward.js';
import { runCompetition } from '../../src/modules/predictions/evaluation/records.js';
import { seededRandom } from '../../src/models/random.js';
import { randomStrengths, simulateDixonColesLeague } from '../../src/models/simulate-league.js';

const soccer = sportSettings('soccer', true);
const f = (home: number, draw: number): Forecast => ({ home, draw, away: 1 - home - draw, spread: null, total: null });

/** n matches whose home side wins with probability 0.6 (draws 0.25), drawn from a seeded stream. */
function evidence(n: number, seed = 3) {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, id) => {
    const u = r.uniform();
    return { id, homeScore: u < 0.6 ? 1 : u < 0.85 ? 0 : 0, awayScore: u < 0.6 ? 0 : u < 0.85 ? 0 : 1 };
  });
}

describe('chooseSettings: the one-standard-error rule', () => {
  const candidates: SettingsCandidate[] = [
    { name: 'fixed', family: 'main', change: {} },
    { name: 'goals.xi=0.001', family: 'main', change: { goals: { xi: 0.001 } } },
    { name: 'goals.xi=0.003', family: 'main', change: { goals: { xi: 0.003 } } },
  ];

  it('takes a candidate that is clearly better on the evidence, and reports every candidate', () => {
    const rows = evidence(1000);
    const byName: Record<string, Map<number, Forecast>> = {
      fixed: new Map(rows.map((m) => [m.id, f(0.34, 0.33)])),
      'goals.xi=0.001': new Map(rows.map((m) => [m.id, f(0.6, 0.25)])),
      'goals.xi=0.003': new Map(rows.map((m) => [m.id, f(0.36, 0.33)])),
    };
    const [choice] = chooseSettings(candidates, rows, (c) => byName[c.name], 3);
    expect(choice).toMatchObject({ family: 'main', chosen: 'goals.xi=0.001', change: { goals: { xi: 0.001 } }, n: 1000, loss: 'rps' });
    expect(choice!.candidates.map((c) => c.name)).toEqual(['fixed', 'goals.xi=0.001', 'goals.xi=0.003']);
    const best = choice!.candidates[1]!;
    expect(best.diff + best.se).toBeLessThan(0);
    expect(choice!.candidates[0]!.diff).toBe(0);
  });

  it('keeps the fixed settings when no candidate beats them by more than one standard error', () => {
    const rows = evidence(1000);
    const noise = seededRandom(11);
    const byName: Record<string, Map<number, Forecast>> = {
      fixed: new Map(rows.map((m) => [m.id, f(0.6, 0.25)])),
      // The same forecasts with a little noise either way: no real gain.
      'goals.xi=0.001': new Map(rows.map((m) => [m.id, f(0.6 + 0.01 * (noise.uniform() - 0.5), 0.25)])),
      'goals.xi=0.003': new Map(rows.map((m) => [m.id, f(0.55, 0.27)])),
    };
    const [choice] = chooseSettings(candidates, rows, (c) => byName[c.name], 3);
    expect(choice!.chosen).toBe('fixed');
    expect(choice!.change).toEqual({});
    expect(choice!.reason).toMatch(/no candidate beats/);
  });

  it('keeps the fixed settings with too little evidence', () => {
    const rows = evidence(MIN_SELECTION_EVIDENCE - 1);
    const byName: Record<string, Map<number, Forecast>> = {
      fixed: new Map(rows.map((m) => [m.id, f(0.34, 0.33)])),
      'goals.xi=0.001': new Map(rows.map((m) => [m.id, f(0.6, 0.25)])),
      'goals.xi=0.003': new Map(rows.map((m) => [m.id, f(0.6, 0.25)])),
    };
    const [choice] = chooseSettings(candidates, rows, (c) => byName[c.name], 3);
    expect(choice).toMatchObject({ chosen: 'fixed', n: MIN_SELECTION_EVIDENCE - 1 });
    expect(choice!.reason).toMatch(/fewer than/);
  });

  it('only scores matches every candidate forecast', () => {
    const rows = evidence(800);
    const all = new Map(rows.map((m) => [m.id, f(0.34, 0.33)]));
    const partial = new Map(rows.slice(0, 500).map((m) => [m.id, f(0.6, 0.25)]));
    const [choice] = chooseSettings(candidates, rows, (c) => (c.name === 'goals.xi=0.001' ? partial : all), 3);
    expect(choice!.n).toBe(500);
  });
});

describe('the candidate grid', () => {
  it('has the fixed settings and one-at-a-time changes of the goal model and Elo', () => {
    const c = settingsCandidates(soccer);
    expect(c.filter((x) => x.name === 'fixed').map((x) => x.family)).toEqual(['main', 'elo']);
    for (const x of c.filter((y) => y.name !== 'fixed')) {
      const groups = Object.values(x.change);
      expect(groups).toHaveLength(1);
      expect(Object.keys(groups[0]!)).toHaveLength(1);
    }
    expect(c.some((x) => x.name === `goals.xi=${soccer.goals!.xi * 0.5}`)).toBe(true);
    expect(c.some((x) => x.family === 'elo' && x.name.startsWith('elo.homeAdvantage='))).toBe(true);
    const nba = settingsCandidates(sportSettings('basketball'));
    expect(nba.some((x) => x.name.startsWith('margin.ridge='))).toBe(true);
    expect(nba.some((x) => x.name.startsWith('goals.'))).toBe(false);
  });

  it('merges a change over the settings without touching them', () => {
    const merged = applySettings(soccer, { goals: { xi: 0.001 } }, { elo: { k: 30 } });
    expect(merged.goals!.xi).toBe(0.001);
    expect(merged.goals!.windowDays).toBe(soccer.goals!.windowDays);
    expect(merged.elo.k).toBe(30);
    expect(merged.elo.homeAdvantage).toBe(soccer.elo.homeAdvantage);
    expect(soccer.goals!.xi).toBe(0.0019);
    expect(soccer.elo.k).toBe(20);
  });
});

describe('nested walk-forward in an evaluation run', () => {
  // Five seasons of 16 teams whose home sides are far stronger than the fixed Elo home
  // advantage (65 rating points) assumes: a true home effect of 0.6 on the log scale.
  const teams = 16;
  const seasons = ['2016-17', '2017-18', '2018-19', '2019-20', '2020-21'];
  const truth = { ...randomStrengths(teams, 0.3, seededRandom(5)), intercept: 0.05, homeAdvantage: 0.6, rho: -0.05 };
  const sim = simulateDixonColesLeague(truth, { seasons: seasons.length, seed: 9 });
  const perSeason = teams * (teams - 1);
  const history: HistoryMatch[] = Array.from(sim.home, (_, k) => ({
    id: k + 1,
    date: addDaysTo('2016-08-06', sim.day[k]!),
    season: seasons[Math.floor(k / perSeason)]!,
    home: sim.home[k]! + 1,
    away: sim.away[k]! + 1,
    homeScore: sim.homeGoals[k]!,
    awayScore: sim.awayGoals[k]!,
    neutral: false,
  }));

  it('moves Elo to a larger home advantage from earlier seasons only, and uses that run\'s forecasts', async () => {
    const run = await runCompetition({
      code: 'home-strong',
      sport: 'soccer',
      history,
      settings: soccer,
      models: ['elo'],
      predictFrom: '2017-18',
      predictTo: '2020-21',
      refitDays: 7,
      quotes: async () => new Map(),
      selectSettings: true,
    });
    const sel = run.selections!;
    expect(sel.map((s) => s.season)).toEqual(['2017-18', '2018-19', '2019-20', '2020-21']);
    // The first forecast season has no earlier forecasts to choose on.
    expect(sel[0]!.choices.find((c) => c.family === 'elo')).toMatchObject({ chosen: 'fixed', n: 0 });
    const last = sel[3]!.choices.find((c) => c.family === 'elo')!;
    expect(last.chosen).toBe(`elo.homeAdvantage=${Math.round(soccer.elo.homeAdvantage * 1.3)}`);
    expect(last.n).toBeGreaterThanOrEqual(MIN_SELECTION_EVIDENCE);
    // The evidence is the two years before the season: never a match of the season itself.
    const seasonStart = history.filter((m) => m.season === '2020-21').reduce((d, m) => (m.date < d ? m.date : d), '9999');
    expect(last.n).toBeLessThanOrEqual(history.filter((m) => m.date < seasonStart && m.season !== '2016-17').length);
    // The season's reported Elo forecasts are the chosen candidate's own walk-forward.
    const from = history.filter((m) => m.season === '2017-18').reduce((d, m) => (m.date < d ? m.date : d), '9999');
    const chosen = walkForward({ history, settings: applySettings(soccer, last.change), kinds: ['elo'], from, refitDays: 7 });
    const target = run.records.filter((r) => r.season === '2020-21');
    expect(target.length).toBe(perSeason);
    for (const r of target.slice(0, 20)) expect(r.forecasts.elo!.home).toBeCloseTo(chosen.forecasts.get('elo')!.get(r.matchId)!.home, 12);
  });
});
