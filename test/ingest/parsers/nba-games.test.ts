import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNbaGames } from '../../../src/modules/ingest/parsers/nba-games.js';
import { nbaFranchise } from '../../../src/modules/ingest/parsers/nba-teams.js';
import { loadNbaGames } from '../../../src/modules/ingest/parsers/readers.js';

const file = fileURLToPath(new URL('../../fixtures/nba/games.csv', import.meta.url));
const parsed = parseNbaGames(readFileSync(file, 'utf8'), file);
const at = (line: number) => parsed.matches.find((m) => m.line === line);
const odds = (line: number, market: string) => at(line)!.odds.filter((o) => o.market === market);

describe('NBA games parser', () => {
  it('reads a game: full franchise names, split season name, quarter scores, playoff flag', () => {
    expect(at(2)).toMatchObject({
      competition: { code: 'nba', sport: 'basketball', timezone: 'America/New_York' },
      season: '2007-08',
      date: '2007-10-30',
      kickoffAt: null,
      home: 'San Antonio Spurs',
      away: 'Portland Trail Blazers',
      status: 'final',
      homeScore: 106,
      awayScore: 97,
      isPlayoff: false,
      round: 'Regular season',
      periodScores: [
        { period: 'q1', home: 29, away: 26 },
        { period: 'q2', home: 30, away: 23 },
        { period: 'q3', home: 22, away: 28 },
        { period: 'q4', home: 25, away: 20 },
      ],
    });
    expect(at(4)!.periodScores!.at(-1)).toEqual({ period: 'ot', home: 10, away: 7 });
    expect(at(6)).toMatchObject({ isPlayoff: true, round: 'Playoffs', season: '2020-21' });
    expect(at(7)).toMatchObject({ isPlayoff: false, round: 'Play-in' });
  });

  it('gives the Nets one name whether the file says nj or bkn', () => {
    expect(at(3)!.away).toBe('Brooklyn Nets');
    expect(at(4)!.away).toBe('Brooklyn Nets');
    expect(parsed.teamAliases).toContainEqual({ alias: 'New Jersey Nets', team: 'Brooklyn Nets' });
    expect(parsed.teamAliases).toContainEqual({ alias: 'Seattle SuperSonics', team: 'Oklahoma City Thunder' });
  });

  it('stores the closing spread as a home handicap and the total, both at the assumed -110', () => {
    const price = 1 + 100 / 110;
    // Home (Spurs) favoured by 13: home handicap -13 on both selections.
    expect(odds(2, 'spread')).toEqual([
      { bookmaker: 'closing_line', market: 'spread', selection: 'home', line: -13, price, phase: 'closing' },
      { bookmaker: 'closing_line', market: 'spread', selection: 'away', line: -13, price, phase: 'closing' },
    ]);
    expect(odds(2, 'total').map((o) => [o.selection, o.line])).toEqual([['over', 189.5], ['under', 189.5]]);
    // Away (Nets) favoured by 2.5: home gets +2.5.
    expect(odds(3, 'spread')[0]!.line).toBe(2.5);
    // A pick'em is 0, never -0.
    expect(Object.is(odds(5, 'spread')[0]!.line, 0)).toBe(true);
    expect(parsed.bookmakers).toEqual([{ code: 'closing_line', name: 'Closing line (spread/total prices assumed -110)', kind: 'aggregate' }]);
  });

  it('converts American moneylines to decimal prices', () => {
    const ml = (line: number) => Object.fromEntries(odds(line, 'moneyline').map((o) => [o.selection, o.price]));
    expect(ml(2).home).toBeCloseTo(1.0714, 4); // -1400
    expect(ml(2).away).toBe(10); // +900
    expect(ml(4).away).toBe(3.5); // +250
    expect(ml(5).home).toBeCloseTo(1.9091, 4); // -110
    expect(ml(6).away).toBe(2.5); // +150
  });

  it('keeps a game whose moneyline is not American odds, dropping only that price, with a warning', () => {
    expect(at(10)).toMatchObject({ homeScore: 91, awayScore: 76 });
    expect(odds(10, 'moneyline').map((o) => o.selection)).toEqual(['home']);
    expect(parsed.warnings).toEqual([{ file, line: 10, reason: 'moneyline_away "8" ignored: not American odds (|odds| >= 100)' }]);
  });

  it('stores no spread when the cell is empty, and a game without scores as scheduled with its lines', () => {
    expect(odds(11, 'spread')).toEqual([]);
    expect(odds(11, 'total')).toHaveLength(2);
    expect(at(8)).toMatchObject({ status: 'scheduled', homeScore: null, awayScore: null, periodScores: null, home: 'Milwaukee Bucks' });
    expect(at(8)!.odds).toHaveLength(6);
  });

  it('rejects a non-numeric score, an unknown team code and a duplicate row, by line', () => {
    expect(parsed.rejected).toEqual([
      { file, line: 9, reason: 'non-numeric score "1O5"-"92" (home-away)' },
      { file, line: 12, reason: 'unknown team code "xyz"' },
      { file, line: 13, reason: 'duplicate of line 2: San Antonio Spurs v Portland Trail Blazers on 2007-10-30' },
    ]);
    expect(parsed.matches).toHaveLength(9);
  });

  it('knows the alternative codes of relocated franchises', () => {
    expect(nbaFranchise('sea')?.name).toBe('Oklahoma City Thunder');
    expect(nbaFranchise('NOH')?.name).toBe('New Orleans Pelicans');
    expect(nbaFranchise('zzz')).toBeUndefined();
  });

  it('fails a file that is not the NBA format, and loads through the reader', async () => {
    expect(() => parseNbaGames('a,b\n1,2\n', 'x.csv')).toThrow(/missing columns season, date, away, home/);
    const loaded = await loadNbaGames(file);
    expect(loaded.parsed).toEqual(parsed);
    expect(loaded.sources).toHaveLength(1);
  });
});
