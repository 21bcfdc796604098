import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNflGames } from '../../../src/modules/ingest/parsers/nfl-games.js';
import { loadNflGames } from '../../../src/modules/ingest/parsers/readers.js';

const games = fileURLToPath(new URL('../../fixtures/nfl/games.csv', import.meta.url));
const teams = fileURLToPath(new URL('../../fixtures/nfl/teams.csv', import.meta.url));
const parsed = parseNflGames(readFileSync(games, 'utf8'), readFileSync(teams, 'utf8'), { games, teams });
const at = (line: number) => parsed.matches.find((m) => m.line === line);
const spreadLine = (line: number) => at(line)!.odds.find((o) => o.market === 'spread' && o.selection === 'home')?.line;
const totalLine = (line: number) => at(line)!.odds.find((o) => o.market === 'total' && o.selection === 'over')?.line;

describe('NFL games parser', () => {
  it('reads the fixture teams.csv despite its CR-only line endings', () => {
    expect(readFileSync(teams, 'utf8')).not.toContain('\n');
    expect(parsed.teamAliases).toEqual([
      { alias: 'Phoenix Cardinals', team: 'Arizona Cardinals' },
      { alias: 'St. Louis Cardinals', team: 'Arizona Cardinals' },
      { alias: 'St. Louis Rams', team: 'Los Angeles Rams' },
      { alias: 'Los Angeles Raiders', team: 'Oakland Raiders' },
    ]);
  });

  it('reads a game: m/d/yyyy date, season, week, venue, no lines before they existed', () => {
    expect(at(2)).toMatchObject({
      competition: { code: 'nfl', sport: 'american_football', timezone: 'America/New_York' },
      season: '1966',
      date: '1966-09-02',
      home: 'Miami Dolphins',
      away: 'Oakland Raiders',
      status: 'final',
      homeScore: 14,
      awayScore: 23,
      round: 'Week 1',
      isPlayoff: false,
      neutral: false,
      venue: 'Orange Bowl',
      odds: [],
    });
    expect(at(13)).toMatchObject({ round: 'Superbowl', isPlayoff: true, neutral: true, venue: 'Hard Rock Stadium', season: '2019', date: '2020-02-02' });
    expect(at(7)).toMatchObject({ round: 'Division', isPlayoff: true, neutral: false });
  });

  it('names each franchise by its most recent name in the file (St. Louis Rams are the Los Angeles Rams)', () => {
    expect(at(8)!.home).toBe('Los Angeles Rams');
    expect(at(10)!.home).toBe('Los Angeles Rams');
    expect(at(5)!.away).toBe('Arizona Cardinals');
    expect(at(6)!.home).toBe('Oakland Raiders');
  });

  it('turns the favourite id and spread into a home handicap, resolving LVR to the Raiders', () => {
    expect(spreadLine(10)).toBe(-3.5); // home LAR favoured by 3.5
    expect(spreadLine(8)).toBe(3); // away GB favoured by 3
    expect(spreadLine(4)).toBe(-10); // LVR (teams.csv says OAK) at home
    expect(spreadLine(3)).toBe(3); // LVR away at Kansas City
    expect(Object.is(spreadLine(6), 0)).toBe(true); // PICK
    expect(totalLine(10)).toBe(47.5);
    expect(at(10)!.odds).toHaveLength(4);
    expect(at(10)!.odds.every((o) => o.bookmaker === 'closing_line' && o.phase === 'closing' && Math.abs(o.price - 1.9091) < 1e-4)).toBe(true);
  });

  it('treats a blank over/under cell as missing, not as an error', () => {
    expect(spreadLine(5)).toBe(-3);
    expect(totalLine(5)).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
  });

  it('imports a game without scores as scheduled, keeping a team teams.csv does not know', () => {
    expect(at(14)).toMatchObject({ status: 'scheduled', homeScore: null, awayScore: null, away: 'Houston Texans', season: '2020' });
    expect(spreadLine(14)).toBe(-9.5);
  });

  it('rejects a non-numeric score and an impossible date, by line; blank trailing rows are ignored', () => {
    expect(parsed.rejected).toEqual([
      { file: games, line: 9, reason: 'non-numeric score "2l"-"21" (home-away)' },
      { file: games, line: 15, reason: 'invalid schedule_date "2/30/2019" (expected m/d/yyyy)' },
    ]);
    expect(parsed.matches).toHaveLength(12);
  });

  it('warns and drops the spread when the favourite id fits neither team', () => {
    const header = readFileSync(games, 'utf8').split('\n')[0];
    const text = `${header}\n9/8/2019,2019,1,FALSE,Los Angeles Rams,30,27,San Francisco 49ers,XYZ,-3.5,47.5,Coliseum,FALSE,,,,\n`;
    const one = parseNflGames(text, readFileSync(teams, 'utf8'), { games: 'g.csv', teams: 't.csv' });
    expect(one.matches[0]!.odds.map((o) => o.market)).toEqual(['total', 'total']);
    expect(one.warnings).toEqual([{ file: 'g.csv', line: 2, reason: `spread ignored: favourite "XYZ" is neither team's id in teams.csv` }]);
  });

  it('loads games.csv with the teams.csv beside it, and fails without it', async () => {
    const loaded = await loadNflGames(dirname(games));
    expect(loaded.parsed).toEqual(parsed);
    expect(loaded.sources.map((s) => s.name)).toEqual([games, teams]);
    const lonely = mkdtempSync(join(tmpdir(), 'sharpline-nfl-'));
    copyFileSync(games, join(lonely, 'games.csv'));
    await expect(loadNflGames(join(lonely, 'games.csv'))).rejects.toThrow(/needs teams.csv beside it/);
  });
});
