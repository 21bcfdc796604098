// The demo generator as a pure function: reproducible from its seed, consistent inside
// every match (player goals add up to the score, quarters to the final), football-like in
// aggregate, and priced with a realistic bookmaker margin derived from the model.
import { describe, expect, it } from 'vitest';
import { generateBasketballSeason } from '../../src/modules/demo/basketball.js';
import { generateDemoDataset } from '../../src/modules/demo/generate.js';
import { generateSoccerSeason } from '../../src/modules/demo/soccer.js';
import type { ParsedFile, ParsedMatch, ParsedOdds } from '../../src/modules/ingest/types.js';

const TODAY = '2024-03-15';
const PLAYED = '2099-01-01';

function overrounds(m: ParsedMatch): { key: string; overround: number; prices: ParsedOdds[] }[] {
  const groups = new Map<string, ParsedOdds[]>();
  for (const o of m.odds) {
    const key = `${o.bookmaker}|${o.phase}|${o.market}|${o.line}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups].map(([key, prices]) => ({ key, prices, overround: prices.reduce((s, o) => s + 1 / o.price, 0) - 1 }));
}

function price(m: ParsedMatch, book: string, phase: string, market: string, selection: string): number {
  const o = m.odds.find((x) => x.bookmaker === book && x.phase === phase && x.market === market && x.selection === selection);
  if (!o) throw new Error(`no ${book} ${phase} ${market} ${selection} price for ${m.externalId}`);
  return o.price;
}

describe('demo dataset', () => {
  const data = generateDemoDataset({ seed: 7, today: TODAY });

  it('is reproducible from its seed and changes with it', () => {
    expect(generateDemoDataset({ seed: 7, today: TODAY })).toEqual(data);
    const other = generateDemoDataset({ seed: 8, today: TODAY });
    expect(other.files[0]!.parsed.matches.map((m) => m.homeScore)).not.toEqual(data.files[0]!.parsed.matches.map((m) => m.homeScore));
  });

  it('has three seasons per league, the last in progress around today, clearly labelled', () => {
    expect(data.files.map((f) => f.name)).toEqual([
      'demo/demo-premier-league/2021-22',
      'demo/demo-premier-league/2022-23',
      'demo/demo-premier-league/2023-24',
      'demo/demo-basketball-league/2021-22',
      'demo/demo-basketball-league/2022-23',
      'demo/demo-basketball-league/2023-24',
    ]);
    for (const f of data.files) {
      expect(f.parsed.source).toBe('demo');
      expect(f.parsed.rejected).toEqual([]);
      const current = f.season === '2023-24';
      for (const m of f.parsed.matches) {
        expect(m.competition.name).toMatch(/^Demo /);
        expect(m.status).toBe(m.date < TODAY ? 'final' : 'scheduled');
        if (!current) expect(m.status).toBe('final');
        if (m.status === 'scheduled') expect([m.homeScore, m.awayScore, m.teamStats]).toEqual([null, null, null]);
      }
      if (current) {
        expect(f.parsed.matches.some((m) => m.status === 'final')).toBe(true);
        expect(f.parsed.matches.some((m) => m.status === 'scheduled')).toBe(true);
      }
    }
  });

  it('keeps upcoming fixtures between seasons (the coming season is all scheduled)', () => {
    const summer = generateDemoDataset({ seed: 7, today: '2024-07-01' });
    const soccer = summer.files.filter((f) => f.competition === 'demo-premier-league');
    expect(soccer.map((f) => f.season)).toEqual(['2022-23', '2023-24', '2024-25']);
    expect(soccer[2]!.parsed.matches.every((m) => m.status === 'scheduled' && m.date > '2024-07-01')).toBe(true);
    expect(soccer[1]!.parsed.matches.every((m) => m.status === 'final')).toBe(true);
  });

  it('only completes fixtures as today moves on, never rewriting a played one', () => {
    const later = generateSoccerSeason({ seed: 7, year: 2023, today: '2024-04-20' });
    const now = data.files[2]!.parsed;
    expect(later.matches.map((m) => [m.date, m.home, m.away])).toEqual(now.matches.map((m) => [m.date, m.home, m.away]));
    let completed = 0;
    now.matches.forEach((m, i) => {
      const l = later.matches[i]!;
      if (m.status === 'final') expect(l).toEqual(m);
      else if (l.status === 'final') {
        completed++;
        // The prices published before kick-off stay; closing prices are added.
        for (const o of m.odds) expect(l.odds).toContainEqual(o);
      }
    });
    expect(completed).toBeGreaterThan(0);
  });
});

describe('demo soccer league', () => {
  const season = generateSoccerSeason({ seed: 11, year: 2022, today: PLAYED });

  it('is a 20-team double round robin with 22-player squads and positions', () => {
    const teams = new Set(season.matches.flatMap((m) => [m.home, m.away]));
    expect(teams.size).toBe(20);
    expect(season.matches).toHaveLength(380);
    for (const t of teams) {
      expect(season.matches.filter((m) => m.home === t)).toHaveLength(19);
      expect(season.matches.filter((m) => m.away === t)).toHaveLength(19);
      const squad = new Map(season.players.filter((p) => p.team === t).map((p) => [p.externalId, p.position]));
      expect(squad.size).toBeGreaterThanOrEqual(18);
      expect(squad.size).toBeLessThanOrEqual(22);
      expect(new Set(squad.values())).toEqual(new Set(['GK', 'DEF', 'MID', 'FWD']));
    }
  });

  it('credits every goal to a player of the scoring team, with consistent lines', () => {
    for (const m of season.matches) {
      for (const [team, score] of [[m.home, m.homeScore], [m.away, m.awayScore]] as const) {
        const lines = season.players.filter((p) => p.matchExternalId === m.externalId && p.team === team);
        expect(lines.filter((l) => l.started)).toHaveLength(11);
        expect(lines.filter((l) => l.started && l.position === 'GK')).toHaveLength(1);
        expect(lines.reduce((s, l) => s + l.goals!, 0)).toBe(score);
        expect(lines.reduce((s, l) => s + l.assists!, 0)).toBeLessThanOrEqual(score!);
        for (const l of lines) {
          expect(l.minutes).toBeGreaterThan(0);
          expect(l.minutes).toBeLessThanOrEqual(90);
          expect(l.shots!).toBeGreaterThanOrEqual(l.shotsOnTarget!);
          expect(l.shotsOnTarget!).toBeGreaterThanOrEqual(l.goals!);
        }
        const side = team === m.home ? m.teamStats!.home : m.teamStats!.away;
        expect(side.shots).toBe(lines.reduce((s, l) => s + l.shots!, 0));
        expect(side.yellow_cards).toBe(lines.reduce((s, l) => s + l.yellowCards!, 0));
      }
      expect(m.homeScoreHt!).toBeLessThanOrEqual(m.homeScore!);
      expect(m.periodScores!.reduce((s, p) => s + p.home, 0)).toBe(m.homeScore);
      expect(m.teamStats!.home.possession_pct! + m.teamStats!.away.possession_pct!).toBe(100);
    }
  });

  it('looks like real football over many seasons: ~2.7 goals, home wins ~45%, draws ~25%', () => {
    const all = [1, 2, 3, 4, 5].flatMap((seed) => generateSoccerSeason({ seed, year: 2020, today: PLAYED }).matches);
    const n = all.length;
    const goals = all.reduce((s, m) => s + m.homeScore! + m.awayScore!, 0) / n;
    const home = all.filter((m) => m.homeScore! > m.awayScore!).length / n;
    const draws = all.filter((m) => m.homeScore === m.awayScore).length / n;
    expect(goals).toBeGreaterThan(2.5);
    expect(goals).toBeLessThan(2.95);
    expect(home).toBeGreaterThan(0.41);
    expect(home).toBeLessThan(0.49);
    expect(draws).toBeGreaterThan(0.21);
    expect(draws).toBeLessThan(0.29);

    // The prices come from the generating model: de-margined home probabilities are
    // calibrated against what happened (within sampling error of ~1,900 matches).
    const implied = all.map((m) => {
      const inv = ['home', 'draw', 'away'].map((s) => 1 / price(m, 'demo_sharp', 'closing', '1x2', s));
      return inv[0]! / (inv[0]! + inv[1]! + inv[2]!);
    });
    const meanImplied = implied.reduce((s, p) => s + p, 0) / n;
    expect(Math.abs(meanImplied - home)).toBeLessThan(0.03);
    const strong = all.filter((_, i) => implied[i]! > 0.6);
    const weak = all.filter((_, i) => implied[i]! < 0.3);
    expect(strong.filter((m) => m.homeScore! > m.awayScore!).length / strong.length).toBeGreaterThan(0.6);
    expect(weak.filter((m) => m.homeScore! > m.awayScore!).length / weak.length).toBeLessThan(0.35);
  });

  it('quotes 1X2, over/under 2.5 and both-teams-to-score with a 3-8% margin', () => {
    const onBook: number[] = [];
    for (const m of season.matches) {
      const groups = overrounds(m);
      expect(groups.map((g) => g.key.split('|').slice(0, 3).join('|')).sort()).toEqual(
        ['1x2', 'btts', 'over_under'].flatMap((mk) => ['demo_book', 'demo_sharp'].flatMap((b) => ['closing', 'opening'].map((p) => `${b}|${p}|${mk}`))).sort(),
      );
      for (const g of groups) {
        expect(g.overround).toBeGreaterThan(0.03);
        expect(g.overround).toBeLessThan(0.08);
        for (const o of g.prices) expect(o.price).toBeGreaterThan(1);
        if (g.key.startsWith('demo_book|closing|1x2')) onBook.push(g.overround);
      }
    }
    const mean = onBook.reduce((s, v) => s + v, 0) / onBook.length;
    expect(mean).toBeGreaterThan(0.045);
    expect(mean).toBeLessThan(0.055);
  });
});

describe('demo basketball league', () => {
  const season: ParsedFile = generateBasketballSeason({ seed: 3, year: 2022, today: PLAYED });

  it('is a 12-team league of 44 games each, with quarter scores that add up', () => {
    const teams = new Set(season.matches.flatMap((m) => [m.home, m.away]));
    expect(teams.size).toBeGreaterThanOrEqual(10);
    expect(teams.size).toBeLessThanOrEqual(16);
    for (const t of teams) expect(season.matches.filter((m) => m.home === t || m.away === t)).toHaveLength(44);
    for (const m of season.matches) {
      expect(m.homeScore).not.toBe(m.awayScore);
      const periods = m.periodScores!;
      expect(periods.slice(0, 4).map((p) => p.period)).toEqual(['q1', 'q2', 'q3', 'q4']);
      expect(periods.reduce((s, p) => s + p.home, 0)).toBe(m.homeScore);
      expect(periods.reduce((s, p) => s + p.away, 0)).toBe(m.awayScore);
      const regulation = periods.slice(0, 4).reduce((s, p) => s + p.home - p.away, 0);
      expect(periods.length === 5).toBe(regulation === 0);
    }
    const totals = season.matches.map((m) => m.homeScore! + m.awayScore!);
    const mean = totals.reduce((s, v) => s + v, 0) / totals.length;
    expect(mean).toBeGreaterThan(205);
    expect(mean).toBeLessThan(240);
  });

  it("credits every point to a player of the team, and prices spread, total and moneyline", () => {
    for (const m of season.matches) {
      for (const [team, score] of [[m.home, m.homeScore], [m.away, m.awayScore]] as const) {
        const lines = season.players.filter((p) => p.matchExternalId === m.externalId && p.team === team);
        expect(lines.reduce((s, l) => s + l.points!, 0)).toBe(score);
        expect(lines.filter((l) => l.started)).toHaveLength(5);
        // 48 minutes x 5 players, plus 5 x 5 for each overtime.
        const minutes = lines.reduce((s, l) => s + l.minutes, 0);
        if (m.periodScores!.length === 4) expect(minutes).toBe(240);
        else expect([minutes > 240, (minutes - 240) % 25]).toEqual([true, 0]);
      }
      const groups = overrounds(m);
      expect(groups.map((g) => g.key.split('|')[2]).sort()).toEqual(['moneyline', 'spread', 'total']);
      for (const g of groups) {
        expect(g.overround).toBeGreaterThan(0.03);
        expect(g.overround).toBeLessThan(0.08);
      }
      const spread = m.odds.find((o) => o.market === 'spread')!;
      // The favourite by the spread is the favourite on the moneyline.
      if (spread.line! <= -1) expect(price(m, 'demo_book', 'closing', 'moneyline', 'home')).toBeLessThan(price(m, 'demo_book', 'closing', 'moneyline', 'away'));
      if (spread.line! >= 1) expect(price(m, 'demo_book', 'closing', 'moneyline', 'home')).toBeGreaterThan(price(m, 'demo_book', 'closing', 'moneyline', 'away'));
    }
  });
});
