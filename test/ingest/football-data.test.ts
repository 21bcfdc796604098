import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oddsColumns } from '../../src/modules/ingest/parsers/football-data-columns.js';
import { parseDayMonthYear, parseFootballData } from '../../src/modules/ingest/parsers/football-data.js';
import { seasonForDate } from '../../src/modules/ingest/parsers/soccer-divisions.js';
import { decodeText } from '../../src/modules/ingest/source.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/football-data');
const parse = (name: string) => parseFootballData(decodeText(readFileSync(join(FIXTURES, name))).text, name);

describe('football-data.co.uk values', () => {
  it('reads dd/mm/yy, dd/mm/yyyy and dd-mm-yyyy, and refuses impossible days', () => {
    expect(parseDayMonthYear('19/08/00')).toBe('2000-08-19');
    expect(parseDayMonthYear('11/05/2003')).toBe('2003-05-11');
    expect(parseDayMonthYear('16-08-2003')).toBe('2003-08-16');
    expect(parseDayMonthYear('31/02/2005')).toBeNull();
    expect(parseDayMonthYear('2005-02-01')).toBeNull();
  });

  it('names seasons from July', () => {
    expect(seasonForDate('2015-08-08')).toBe('2015-16');
    expect(seasonForDate('2016-05-15')).toBe('2015-16');
    expect(seasonForDate('1999-08-07')).toBe('1999-00');
  });

  it('maps every odds column generation to bookmaker, market, selection, line and phase', () => {
    const header = ['Div', 'B365H', 'PSCH', 'P>2.5', 'PC<2.5', 'BbMxA', 'BbAv>2.5', 'BbAHh', 'BbAvAHH', 'AHh', 'AHCh', 'MaxCAHA', 'GBAHH', 'GBAH', 'Bb1X2', 'BbAH', 'BbOU', 'HC', 'AC', 'HS', 'AS'];
    const cols = oddsColumns(header).map((c) => [c.name, c.bookmaker, c.market, c.selection, c.phase, typeof c.line === 'object' && c.line ? header[c.line.column] : c.line]);
    expect(cols).toEqual([
      ['B365H', 'bet365', '1x2', 'home', 'opening', null],
      ['PSCH', 'pinnacle', '1x2', 'home', 'closing', null],
      ['P>2.5', 'pinnacle', 'over_under', 'over', 'opening', 2.5],
      ['PC<2.5', 'pinnacle', 'over_under', 'under', 'closing', 2.5],
      ['BbMxA', 'betbrain_max', '1x2', 'away', 'opening', null],
      ['BbAv>2.5', 'betbrain_avg', 'over_under', 'over', 'opening', 2.5],
      ['BbAvAHH', 'betbrain_avg', 'asian_handicap', 'home', 'opening', 'BbAHh'],
      ['MaxCAHA', 'fd_market_max', 'asian_handicap', 'away', 'closing', 'AHCh'],
      ['GBAHH', 'gamebookers', 'asian_handicap', 'home', 'opening', 'GBAH'],
    ]);
  });
});

describe('parseFootballData', () => {
  it('reads the 2000-01 column set: attendance, team statistics, missing odds cells, trailing junk rows', () => {
    const f = parse('e0-2000-01.csv');
    expect(f.source).toBe('football-data');
    expect(f.rejected).toEqual([]);
    expect(f.matches).toHaveLength(4);
    const [first, , coventry] = f.matches;
    expect(first).toMatchObject({
      line: 2,
      competition: { code: 'england-premier-league', timezone: 'Europe/London' },
      season: '2000-01',
      date: '2000-08-19',
      kickoffAt: null,
      home: 'Charlton',
      away: 'Man City',
      status: 'final',
      homeScore: 4,
      awayScore: 0,
      homeScoreHt: 2,
      awayScoreHt: 0,
      attendance: 20043,
      referee: 'Rob Harris',
    });
    expect(first!.teamStats).toEqual({
      home: { shots: 17, shots_on_target: 14, woodwork: 2, corners: 6, fouls: 13, offsides: 8, yellow_cards: 1, red_cards: 0, booking_points: 10 },
      away: { shots: 8, shots_on_target: 4, woodwork: 1, corners: 6, fouls: 12, offsides: 6, yellow_cards: 2, red_cards: 0, booking_points: 20 },
    });
    // Five bookmakers × 1x2 on most rows; Ladbrokes' cells are empty on Coventry v Middlesbrough.
    expect(first!.odds).toHaveLength(15);
    expect(coventry!.odds.map((o) => o.bookmaker)).not.toContain('ladbrokes');
    expect(coventry!.odds).toHaveLength(12);
    expect(first!.odds[0]).toEqual({ bookmaker: 'gamebookers', market: '1x2', selection: 'home', line: null, price: 2, phase: 'opening' });
  });

  it('reads a Latin-1 file with CRLF endings and reports each bad row with its line and reason', () => {
    const f = parse('sp1-2004-05-latin1.csv');
    expect(f.matches.map((m) => [m.line, m.home, m.away, m.date, m.season])).toEqual([
      [2, 'Deportivo La Coruña', 'Barcelona', '2004-08-28', '2004-05'],
      [3, 'Real Madrid', 'Mallorca', '2004-08-29', '2004-05'],
      [9, 'Ath Madrid', 'Malaga', '2004-08-30', '2004-05'],
    ]);
    expect(f.matches[0]!.referee).toBe('Pérez Burrull');
    expect(f.rejected).toEqual([
      { file: 'sp1-2004-05-latin1.csv', line: 4, reason: 'duplicate of line 3: Real Madrid v Mallorca on 2004-08-29' },
      { file: 'sp1-2004-05-latin1.csv', line: 5, reason: 'non-numeric score "x-1"' },
      { file: 'sp1-2004-05-latin1.csv', line: 6, reason: 'unparseable date "31-02-2005" (expected dd/mm/yy or dd/mm/yyyy)' },
      { file: 'sp1-2004-05-latin1.csv', line: 7, reason: 'Getafe cannot play itself' },
      { file: 'sp1-2004-05-latin1.csv', line: 8, reason: 'missing HomeTeam or AwayTeam' },
    ]);
    // 2004-05 Asian handicap: each bookmaker's prices with its own line.
    const ah = f.matches[0]!.odds.filter((o) => o.market === 'asian_handicap');
    expect(ah).toEqual([
      { bookmaker: 'gamebookers', market: 'asian_handicap', selection: 'home', line: -0.25, price: 1.9, phase: 'opening' },
      { bookmaker: 'gamebookers', market: 'asian_handicap', selection: 'away', line: -0.25, price: 1.95, phase: 'opening' },
      { bookmaker: 'bet365', market: 'asian_handicap', selection: 'home', line: -0.5, price: 1.93, phase: 'opening' },
      { bookmaker: 'bet365', market: 'asian_handicap', selection: 'away', line: -0.5, price: 1.97, phase: 'opening' },
    ]);
  });

  it('reads CR-only files, UK kick-off times, closing odds, and fixtures without a score', () => {
    const f = parse('e0-2019-20-fixtures-cr.csv');
    expect(f.rejected).toEqual([]);
    const [liverpool, , fixture] = f.matches;
    expect(liverpool!.kickoffAt?.toISOString()).toBe('2019-08-09T19:00:00.000Z');
    expect(liverpool!.season).toBe('2019-20');
    const closing = liverpool!.odds.filter((o) => o.phase === 'closing');
    expect(closing).toContainEqual({ bookmaker: 'pinnacle', market: '1x2', selection: 'home', line: null, price: 1.14, phase: 'closing' });
    expect(closing).toContainEqual({ bookmaker: 'pinnacle', market: 'asian_handicap', selection: 'away', line: -2.25, price: 2.01, phase: 'closing' });
    expect(closing).toContainEqual({ bookmaker: 'fd_market_avg', market: '1x2', selection: 'draw', line: null, price: 9.33, phase: 'closing' });
    expect(fixture).toMatchObject({ home: 'Bournemouth', away: 'Sheffield United', status: 'scheduled', homeScore: null, awayScore: null, teamStats: null });
    expect(fixture!.odds.every((o) => o.phase === 'opening')).toBe(true);
  });

  it('detects the aggregated opening/closing odds file from its header', () => {
    const f = parse('england-premier-league-2019.csv');
    expect(f.source).toBe('odds-aggregate');
    expect(f.matches).toHaveLength(4);
    const [liverpool, , , burnley] = f.matches;
    expect(liverpool).toMatchObject({ competition: { code: 'england-premier-league' }, season: '2019-20', date: '2019-08-09', homeScoreHt: 4 });
    // 21:00 Central European Summer Time is 20:00 in London, 19:00 UTC.
    expect(liverpool!.kickoffAt?.toISOString()).toBe('2019-08-09T19:00:00.000Z');
    expect(liverpool!.odds).toHaveLength(14);
    expect(liverpool!.odds).toContainEqual({ bookmaker: 'market_avg', market: 'btts', selection: 'yes', line: null, price: 1.72, phase: 'closing' });
    expect(liverpool!.odds).toContainEqual({ bookmaker: 'market_avg', market: 'over_under', selection: 'under', line: 2.5, price: 2.95, phase: 'opening' });
    expect(burnley!.odds).toHaveLength(10);
  });

  it('refuses a file that is neither format, naming what it expected', () => {
    expect(() => parse('not-football-data.csv')).toThrow(/not a football-data.co.uk CSV \(no Div column\)/);
  });
});
