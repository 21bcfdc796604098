import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanFplName, fplSeasonOf, parseFplSeason, type FplSeasonFiles } from '../../../src/modules/ingest/parsers/fpl.js';
import { loadFplSeason } from '../../../src/modules/ingest/parsers/readers.js';

const folder = (season: string) => fileURLToPath(new URL(`../../fixtures/fpl/${season}`, import.meta.url));
const filesOf = (season: string): FplSeasonFiles => ({
  mergedGw: join(folder(season), 'merged_gw.csv'),
  fixtures: join(folder(season), 'fixtures.csv'),
  teams: join(folder(season), 'teams.csv'),
  playersRaw: join(folder(season), 'players_raw.csv'),
});
const read = (path: string) => readFileSync(path, 'utf8');

function parseSeason(season: string, withPlayersRaw = true) {
  const files = filesOf(season);
  return parseFplSeason(
    { mergedGw: read(files.mergedGw), fixtures: read(files.fixtures), teams: read(files.teams), playersRaw: withPlayersRaw ? read(files.playersRaw) : null },
    files,
  );
}

describe('FPL parser, 2019-20 layout (no team/position columns)', () => {
  const files = filesOf('2019-20');
  const parsed = parseSeason('2019-20');
  const player = (line: number) => parsed.players.find((p) => p.line === line);

  it('makes one Premier League match per fixture, dated in London time', () => {
    expect(parsed.source).toBe('fpl');
    expect(parsed.matches.map((m) => [m.line, m.externalId, m.home, m.away, m.date, m.status, m.homeScore, m.awayScore])).toEqual([
      [2, '2019-20:1', 'Man Utd', 'Spurs', '2019-08-11', 'final', 2, 1],
      [3, '2019-20:2', 'Sheffield Utd', 'Arsenal', '2020-06-20', 'final', 0, 1],
      [4, '2019-20:3', 'Arsenal', 'Man Utd', '2020-07-26', 'scheduled', null, null],
      // 23:30 UTC on 31 August is 00:30 BST on 1 September: the local date is the identity.
      [5, '2019-20:4', 'Spurs', 'Sheffield Utd', '2019-09-01', 'final', 1, 1],
    ]);
    expect(parsed.matches[0]!.kickoffAt!.toISOString()).toBe('2019-08-11T15:30:00.000Z');
    expect(parsed.matches[0]!.competition.code).toBe('england-premier-league');
    expect(parsed.matches[0]!.season).toBe('2019-20');
  });

  it('reads a player line with cleaned name, position from players_raw and stats split from extra', () => {
    expect(player(2)).toEqual({
      line: 2,
      externalId: '176297',
      name: 'Marcus Rashford',
      position: 'FWD',
      team: 'Man Utd',
      matchExternalId: '2019-20:1',
      minutes: 90,
      started: null,
      goals: 1,
      assists: 1,
      yellowCards: 0,
      redCards: 0,
      ownGoals: 0,
      saves: 0,
      extra: {
        bonus: 0,
        bps: 10,
        clean_sheets: 0,
        creativity: 12.3,
        element: 192,
        goals_conceded: 1,
        ict_index: 4.5,
        influence: 20.2,
        penalties_missed: 0,
        penalties_saved: 0,
        round: 1,
        selected: 100000,
        threat: 33,
        total_points: 11,
        transfers_balance: 0,
        transfers_in: 0,
        transfers_out: 0,
        value: 85,
        was_home: true,
        GW: 1,
      },
    });
    expect(player(4)).toMatchObject({ name: 'Hugo Lloris', position: 'GK', team: 'Spurs', saves: 4 });
  });

  it("takes a row's club from its fixture, not from players_raw's end-of-season club", () => {
    // players_raw lists Walker-Peters at Sheffield Utd (team 3); he played fixture 1 away for Spurs.
    expect(player(6)).toMatchObject({ name: 'Kyle Walker-Peters', team: 'Spurs', position: 'DEF', minutes: 63 });
    expect(player(11)).toMatchObject({ team: 'Spurs', extra: expect.objectContaining({ penalties_missed: 1 }) });
  });

  it('rejects rows with unknown or rejected fixtures, non-numeric minutes, and stale duplicates', () => {
    expect(parsed.rejected).toEqual([
      { file: files.fixtures, line: 6, reason: 'team id "9" is not in teams.csv' },
      { file: files.fixtures, line: 7, reason: 'non-numeric score "x"-"1" for a finished fixture' },
      { file: files.fixtures, line: 8, reason: 'kickoff_time "" is not a UTC timestamp: the fixture has no place in the calendar' },
      {
        file: files.mergedGw,
        line: 5,
        reason: 'duplicate row for element 300 in fixture 2019-20:2: line 7 kept (its kickoff_time matches fixtures.csv)',
      },
      { file: files.mergedGw, line: 8, reason: 'unknown fixture "99": not in fixtures.csv' },
      { file: files.mergedGw, line: 9, reason: 'non-numeric minutes "abc"' },
      { file: files.mergedGw, line: 10, reason: `fixture 5 was rejected (${files.fixtures} line 6)` },
    ]);
    expect(parsed.players.map((p) => p.line)).toEqual([2, 3, 4, 6, 7, 11]);
    expect(player(7)).toMatchObject({ name: 'Oliver Norwood', team: 'Sheffield Utd', minutes: 90, matchExternalId: '2019-20:2' });
  });

  it('refuses 2019-20 without players_raw.csv: nothing else says who plays where', () => {
    expect(() => parseSeason('2019-20', false)).toThrow(/players_raw.csv is missing/);
  });
});

describe('FPL parser, 2020-21 onwards layout (team and position columns)', () => {
  const files = filesOf('2021-22');
  const parsed = parseSeason('2021-22', false);

  it('reads team and position columns (GKP is GK) and keys players by season:element without players_raw', () => {
    expect(parsed.matches).toHaveLength(1);
    expect(parsed.matches[0]).toMatchObject({ home: 'Brentford', away: 'Arsenal', homeScore: 2, awayScore: 0, date: '2021-08-13', externalId: '2021-22:1' });
    expect(parsed.players.map((p) => [p.line, p.externalId, p.name, p.position, p.team, p.saves])).toEqual([
      [2, '2021-22:1', 'Bernd Leno', 'GK', 'Arsenal', 3],
      [3, '2021-22:600', 'Ivan Toney', 'FWD', 'Brentford', 0],
    ]);
    expect(parsed.players[0]!.extra).toMatchObject({ xP: 2.5, was_home: false, GW: 1 });
  });

  it('rejects a team that contradicts the fixture and a non-numeric stat (CRLF file, lines still right)', () => {
    expect(parsed.rejected).toEqual([
      { file: files.mergedGw, line: 4, reason: 'team "Brentford" contradicts fixture 1 (Brentford v Arsenal, was_home false)' },
      { file: files.mergedGw, line: 5, reason: 'non-numeric goals_scored "one"' },
    ]);
  });
});

describe('FPL helpers and reader', () => {
  it('cleans 2019-20 names and finds the season in a path', () => {
    expect(cleanFplName('Aaron_Cresswell_376')).toBe('Aaron Cresswell');
    expect(cleanFplName('Kyle_Walker-Peters_251')).toBe('Kyle Walker-Peters');
    expect(cleanFplName('Bernd Leno')).toBe('Bernd Leno');
    expect(fplSeasonOf('/data/fpl/2019-20/merged_gw.csv')).toBe('2019-20');
    expect(fplSeasonOf('/data/fpl/merged_gw.csv')).toBeNull();
  });

  it('loads a season from its folder or its merged_gw.csv, keeping every file read for hashing', async () => {
    const fromFolder = await loadFplSeason(folder('2019-20'));
    expect(fromFolder.sources.map((s) => s.name.split('/').pop())).toEqual(['merged_gw.csv', 'fixtures.csv', 'teams.csv', 'players_raw.csv']);
    expect(fromFolder.sources.every((s) => /^[0-9a-f]{64}$/.test(s.sha256))).toBe(true);
    expect(fromFolder.parsed).toEqual(parseSeason('2019-20'));
    const fromFile = await loadFplSeason(join(folder('2021-22'), 'merged_gw.csv'));
    expect(fromFile.sources).toHaveLength(3); // no players_raw.csv in this folder
    expect(fromFile.parsed.players).toHaveLength(2);
  });

  it('fails when fixtures.csv is not beside merged_gw.csv', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sharpline-fpl-')), '2020-21');
    mkdirSync(dir);
    writeFileSync(join(dir, 'merged_gw.csv'), read(filesOf('2021-22').mergedGw));
    await expect(loadFplSeason(dir)).rejects.toThrow(/needs fixtures.csv beside it/);
  });
});
