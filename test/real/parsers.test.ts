// The four parsers on the real files of ../shared/data (or SHARPLINE_DATA_DIR), with counts
// taken independently of the parsers (wc, awk and Python's csv module over the same files).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFplSeason, loadNbaGames, loadNflGames, loadOpenfootball } from '../../src/modules/ingest/parsers/readers.js';
import type { ParsedFile } from '../../src/modules/ingest/types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(root, process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const haveData = existsSync(join(dataDir, 'nba', 'games.csv'));
if (!haveData) console.warn(`[test:real] ${dataDir} not found: real-data parser checks skipped (set SHARPLINE_DATA_DIR)`);

const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});
const oddsByMarket = (p: ParsedFile) => countBy(p.matches.flatMap((m) => m.odds), (o) => o.market);

describe.skipIf(!haveData)('parsers on the real data', () => {
  it('openfootball: every match of the four league-season files, the 2019-20 wrong-year dates repaired', async () => {
    const counts: Record<string, [number, number, number]> = {};
    for (const season of ['2019-20', '2020-21']) {
      for (const league of ['en.1', 'de.1']) {
        const { parsed } = await loadOpenfootball(join(dataDir, 'soccer', 'openfootball', season, `${league}.json`));
        counts[`${season}/${league}`] = [parsed.matches.length, parsed.rejected.length, parsed.warnings?.length ?? 0];
        expect(parsed.matches.every((m) => m.season === season && m.status === 'final')).toBe(true);
      }
    }
    expect(counts).toEqual({
      '2019-20/en.1': [380, 0, 66],
      '2019-20/de.1': [306, 0, 0],
      '2020-21/en.1': [380, 0, 0],
      '2020-21/de.1': [306, 0, 0],
    });
  });

  it('FPL: matches, player lines and players per season; stale postponed rows reported', async () => {
    const seasons: Record<string, ParsedFile> = {};
    for (const season of ['2019-20', '2020-21', '2021-22']) {
      seasons[season] = (await loadFplSeason(join(dataDir, 'soccer', 'fpl', season))).parsed;
    }
    const summary = Object.fromEntries(
      Object.entries(seasons).map(([s, p]) => [s, [p.matches.length, p.players.length, p.rejected.length, new Set(p.players.map((x) => x.externalId)).size]]),
    );
    // merged_gw rows: 22,560 / 24,365 / 25,447; 59 of 2019-20's are fixture 275's pre-postponement copies.
    expect(summary).toEqual({
      '2019-20': [380, 22501, 59, 666],
      '2020-21': [380, 24365, 0, 713],
      '2021-22': [380, 25447, 0, 737],
    });
    expect(seasons['2019-20']!.rejected.every((r) => r.reason.includes('in fixture 2019-20:275:'))).toBe(true);
    // players_raw `code` ties one player across seasons.
    for (const p of Object.values(seasons)) {
      expect(p.players.find((x) => x.name === 'Aaron Cresswell')?.externalId).toBe('55459');
      expect(new Set(p.matches.flatMap((m) => [m.home, m.away])).size).toBe(20);
    }
    expect(seasons['2021-22']!.players.some((x) => x.position === null)).toBe(false);
  });

  it('FPL and openfootball agree on every 2019-20 and 2020-21 Premier League date, kick-off and score', async () => {
    for (const season of ['2019-20', '2020-21']) {
      const fpl = (await loadFplSeason(join(dataDir, 'soccer', 'fpl', season))).parsed;
      const of = (await loadOpenfootball(join(dataDir, 'soccer', 'openfootball', season, 'en.1.json'))).parsed;
      const key = (m: ParsedFile['matches'][number]) => `${m.date} ${m.kickoffAt?.toISOString()} ${m.homeScore}-${m.awayScore}`;
      expect(of.matches.map(key).sort()).toEqual(fpl.matches.map(key).sort());
    }
  });

  it('NBA: 17,835 games 2007-08 to 2020-21 with their closing lines', async () => {
    const { parsed } = await loadNbaGames(join(dataDir, 'nba', 'games.csv'));
    expect(parsed.matches).toHaveLength(17835);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.warnings).toEqual([expect.objectContaining({ line: 7024, reason: expect.stringContaining('moneyline_away "8"') })]);
    expect(countBy(parsed.matches, (m) => m.season)).toEqual({
      '2007-08': 1316, '2008-09': 1315, '2009-10': 1312, '2010-11': 1311, '2011-12': 1074, '2012-13': 1314, '2013-14': 1319,
      '2014-15': 1311, '2015-16': 1316, '2016-17': 1309, '2017-18': 1312, '2018-19': 1312, '2019-20': 1143, '2020-21': 1171,
    });
    expect(countBy(parsed.matches, (m) => m.round ?? '')).toEqual({ 'Regular season': 16658, Playoffs: 1170, 'Play-in': 7 });
    // 17,834 spreads and 17,835 totals (two rows each); 17,833 + 17,832 valid moneylines.
    expect(oddsByMarket(parsed)).toEqual({ spread: 35668, total: 35670, moneyline: 35665 });
    expect(new Set(parsed.matches.flatMap((m) => [m.home, m.away])).size).toBe(30);
    expect(parsed.matches.filter((m) => m.periodScores?.some((p) => p.period === 'ot'))).toHaveLength(1054);
  });

  it('NFL: 12,678 games 1966-2019, one team per franchise, lines where the archive has them', async () => {
    const { parsed } = await loadNflGames(join(dataDir, 'nfl', 'games.csv'));
    expect(parsed.matches).toHaveLength(12678);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.warnings).toEqual([]); // every LVR favourite resolved to the Raiders
    const seasons = Object.keys(countBy(parsed.matches, (m) => m.season)).sort();
    expect(seasons).toHaveLength(54);
    expect([seasons[0], seasons.at(-1)]).toEqual(['1966', '2019']);
    // 10,199 games with a favourite and spread, 10,127 with an over/under (two rows each).
    expect(oddsByMarket(parsed)).toEqual({ spread: 20398, total: 20254 });
    expect(parsed.matches.filter((m) => m.isPlayoff)).toHaveLength(521);
    expect(parsed.matches.filter((m) => m.neutral)).toHaveLength(98);
    expect(new Set(parsed.matches.flatMap((m) => [m.home, m.away])).size).toBe(32);
    expect(parsed.teamAliases).toEqual(
      expect.arrayContaining([
        { alias: 'St. Louis Rams', team: 'Los Angeles Rams' },
        { alias: 'Los Angeles Raiders', team: 'Oakland Raiders' },
        { alias: 'Houston Oilers', team: 'Tennessee Titans' },
        { alias: 'Baltimore Colts', team: 'Indianapolis Colts' },
      ]),
    );
  });
});
