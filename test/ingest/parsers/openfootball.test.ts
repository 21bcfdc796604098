import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openfootballSeason, parseOpenfootball } from '../../../src/modules/ingest/parsers/openfootball.js';

const fixture = (rel: string) => fileURLToPath(new URL(`../../fixtures/openfootball/${rel}`, import.meta.url));
const parseFixture = (rel: string) => parseOpenfootball(readFileSync(fixture(rel), 'utf8'), fixture(rel));

describe('openfootball parser', () => {
  const en = parseFixture('2019-20/en.1.json');
  const at = (line: number) => en.matches.find((m) => m.line === line);

  it('names the competition and season like the football-data importer', () => {
    expect(en.source).toBe('openfootball');
    expect(en.matches[0]!.competition).toEqual({
      code: 'england-premier-league',
      name: 'Premier League',
      sport: 'soccer',
      country: 'England',
      timezone: 'Europe/London',
    });
    expect(new Set(en.matches.map((m) => m.season))).toEqual(new Set(['2019-20']));
  });

  it('reads results with half-time scores, and local kick-off times as UTC instants', () => {
    expect(at(4)).toMatchObject({
      date: '2019-08-09',
      home: 'Liverpool FC',
      away: 'Norwich City',
      status: 'final',
      homeScore: 4,
      awayScore: 1,
      homeScoreHt: 4,
      awayScoreHt: 0,
      round: 'Matchday 1',
      odds: [],
    });
    // 20:00 in London in August is BST (UTC+1).
    expect(at(4)!.kickoffAt!.toISOString()).toBe('2019-08-09T19:00:00.000Z');
    expect(at(21)).toMatchObject({ homeScore: 0, awayScore: 0, homeScoreHt: null, awayScoreHt: null });
  });

  it('imports a match without score.ft as a scheduled fixture', () => {
    expect(at(94)).toMatchObject({ status: 'scheduled', homeScore: null, awayScore: null, home: 'Leicester City' });
    expect(at(94)!.kickoffAt!.toISOString()).toBe('2020-07-26T15:00:00.000Z');
  });

  it('rejects a non-numeric score, a duplicate and an impossible date with the physical line', () => {
    expect(en.rejected).toEqual([
      { file: fixture('2019-20/en.1.json'), line: 51, reason: 'non-numeric full-time score ["2","x"]' },
      { file: fixture('2019-20/en.1.json'), line: 64, reason: 'duplicate of line 4: Liverpool FC v Norwich City on 2019-08-09' },
      { file: fixture('2019-20/en.1.json'), line: 114, reason: 'invalid date "2019-02-30" (expected YYYY-MM-DD)' },
    ]);
    expect(en.matches.map((m) => m.line)).toEqual([4, 21, 34, 77, 94, 101]);
  });

  it("reads a date a year before the season's first round as the year after, and says so", () => {
    // openfootball's real 2019-20 file dates the 66 July 2020 restart matches 2019-07-xx.
    expect(at(77)).toMatchObject({ date: '2020-07-01', home: 'Manchester United', away: 'Sheffield United', homeScore: 3 });
    expect(at(77)!.kickoffAt!.toISOString()).toBe('2020-07-01T17:00:00.000Z');
    expect(en.warnings).toContainEqual({
      file: fixture('2019-20/en.1.json'),
      line: 77,
      reason: "date 2019-07-01 is before the season's first round (2019-08-09): read as 2020-07-01, the source's year is wrong",
    });
  });

  it('keeps a match whose time is unreadable, without a kick-off, and warns', () => {
    expect(at(101)).toMatchObject({ kickoffAt: null, homeScore: 2, awayScore: 3 });
    expect(en.warnings).toContainEqual({ file: fixture('2019-20/en.1.json'), line: 101, reason: 'time "25:99" ignored: expected HH:MM' });
  });

  it('maps de.1 to the Bundesliga in Berlin time across the end of summer time', () => {
    const de = parseFixture('2020-21/de.1.json');
    expect(de.matches[0]).toMatchObject({ home: 'FC Bayern München', away: 'FC Schalke 04', season: '2020-21', homeScore: 8, awayScore: 0 });
    expect(de.matches[0]!.competition.code).toBe('germany-bundesliga');
    expect(de.matches[0]!.kickoffAt!.toISOString()).toBe('2020-09-18T18:30:00.000Z'); // CEST, UTC+2
    expect(de.matches[1]).toMatchObject({ status: 'scheduled', homeScore: null, line: 15 });
    expect(de.matches[1]!.kickoffAt!.toISOString()).toBe('2020-10-31T14:30:00.000Z'); // CET, UTC+1
    expect(de.rejected).toEqual([{ file: fixture('2020-21/de.1.json'), line: 23, reason: 'FC Bayern München cannot play itself' }]);
  });

  it('reads the older layout (team objects, score1/score2) and takes the season from the folder', () => {
    const text = JSON.stringify(
      { name: 'Premier League', matches: [{ date: '2015-08-08', team1: { name: 'Arsenal' }, team2: { name: 'West Ham' }, score1: 0, score2: 2, score1i: 0, score2i: 1 }] },
      null,
      2,
    );
    const parsed = parseOpenfootball(text, '/data/2015-16/en.1.json');
    expect(parsed.matches).toEqual([
      expect.objectContaining({ line: 4, season: '2015-16', home: 'Arsenal', away: 'West Ham', homeScore: 0, awayScore: 2, homeScoreHt: 0, awayScoreHt: 1, kickoffAt: null }),
    ]);
  });

  it('honours an explicit UTC offset in the time, as openfootball writes for some tournaments', () => {
    const text = JSON.stringify({ name: 'Premier League 2019/20', matches: [{ date: '2019-08-10', time: '18:00 UTC+3', team1: 'A', team2: 'B' }] });
    expect(parseOpenfootball(text, '/x/en.1.json').matches[0]!.kickoffAt!.toISOString()).toBe('2019-08-10T15:00:00.000Z');
  });

  it('fails a file it cannot place or read, naming the problem', () => {
    expect(() => parseOpenfootball('{"matches": []}', '/data/2019-20/xx.9.json')).toThrow(/cannot tell the competition/);
    expect(() => parseOpenfootball('{"matches": [', '/data/2019-20/en.1.json')).toThrow(/not valid JSON/);
    expect(() => parseOpenfootball('{"rounds": []}', '/data/2019-20/en.1.json')).toThrow(/"matches" array/);
    expect(() => parseOpenfootball('{"name": "Premier League", "matches": []}', '/data/en.1.json')).toThrow(/cannot tell the season/);
  });

  it('derives season names from openfootball titles', () => {
    expect(openfootballSeason('English Premier League 2019/20', 'x/en.1.json')).toBe('2019-20');
    expect(openfootballSeason('Liga 1999/2000', 'x/es.1.json')).toBe('1999-00');
    expect(openfootballSeason('Allsvenskan 2019', 'x/se.1.json')).toBe('2019');
    expect(openfootballSeason(undefined, '/d/2020-21/de.1.json')).toBe('2020-21');
  });
});
