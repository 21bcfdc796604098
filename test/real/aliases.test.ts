// Proof that the curated alias table covers every team name in ../shared/data and sends each
// to the intended team: every distinct name of every source file resolves through the list,
// no file has two names for one team, and sources describing the same league season name
// the same set of teams (football-data "Man United", the aggregated file's "Manchester
// United", openfootball's "Manchester United FC" and FPL's "Man Utd" are one team).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARSERS } from '../../src/modules/ingest/parsers/index.js';
import { expandInputs } from '../../src/modules/ingest/source.js';
import { curatedTeamFor } from '../../src/modules/ingest/teams.js';
import type { ImportFormat, ParsedFile, SportCode } from '../../src/modules/ingest/types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = resolve(root, process.env.SHARPLINE_DATA_DIR ?? '../shared/data');
const haveData = existsSync(join(dataDir, 'soccer', 'leagues'));
if (!haveData) console.warn(`[test:real] ${dataDir} not found: alias coverage checks skipped (set SHARPLINE_DATA_DIR)`);

interface Seen {
  file: string;
  sport: SportCode;
  /** competition|season → raw names used there */
  bySeason: Map<string, Set<string>>;
}

async function names(format: ImportFormat, input: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for (const file of await expandInputs([join(dataDir, input)], PARSERS[format].accepts)) {
    const { parsed } = await PARSERS[format].load(file);
    out.push(seenIn(file, parsed));
  }
  return out;
}

function seenIn(file: string, parsed: ParsedFile): Seen {
  const bySeason = new Map<string, Set<string>>();
  for (const m of parsed.matches) {
    const k = `${m.competition.code}|${m.season}`;
    const set = bySeason.get(k) ?? new Set<string>();
    set.add(m.home).add(m.away);
    bySeason.set(k, set);
  }
  for (const p of parsed.players) bySeason.get([...bySeason.keys()][0] ?? '')?.add(p.team);
  return { file, sport: parsed.matches[0]?.competition.sport ?? 'soccer', bySeason };
}

/** competition|season → the curated teams named there. */
function teamsBySeason(all: Seen[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of all) {
    for (const [k, raw] of s.bySeason) out.set(k, [...raw].map((n) => curatedTeamFor(s.sport, n)?.name ?? `UNKNOWN:${n}`).sort().join(', '));
  }
  return out;
}

describe.skipIf(!haveData)('curated aliases on the real data', () => {
  const sources: [ImportFormat, string][] = [
    ['football-data', 'soccer/football-data-co-uk/E0'],
    ['football-data', 'soccer/leagues'],
    ['openfootball', 'soccer/openfootball'],
    ['fpl', 'soccer/fpl'],
    ['nba-games', 'nba'],
    ['nfl-games', 'nfl'],
  ];
  const loaded = new Map<string, Seen[]>();

  it('resolves every distinct name of every source, and no file names one team twice', async () => {
    const uncovered: string[] = [];
    const doubled: string[] = [];
    for (const [format, input] of sources) {
      const seen = await names(format, input);
      loaded.set(input, seen);
      for (const s of seen) {
        const raw = new Set([...s.bySeason.values()].flatMap((set) => [...set]));
        const teams = new Map<string, string[]>();
        for (const name of raw) {
          const team = curatedTeamFor(s.sport, name)?.name;
          if (!team) uncovered.push(`${input}: ${name}`);
          else teams.set(team, [...(teams.get(team) ?? []), name]);
        }
        for (const [team, spellings] of teams) if (spellings.length > 1 && s.sport === 'soccer') doubled.push(`${s.file}: ${team} = ${spellings.join(' / ')}`);
      }
    }
    expect(uncovered).toEqual([]);
    // NFL's relocated franchises are the one place where a file rightly has two names for a team.
    expect(doubled).toEqual([]);
    const nfl = new Set([...loaded.get('nfl')![0]!.bySeason.values()].flatMap((s) => [...s]).map((n) => curatedTeamFor('american_football', n)!.name));
    expect(nfl.size).toBe(32);
    const nba = new Set([...loaded.get('nba')![0]!.bySeason.values()].flatMap((s) => [...s]).map((n) => curatedTeamFor('basketball', n)!.name));
    expect(nba.size).toBe(30);
  });

  it('gives two sources of one league season the same teams', () => {
    const fd = teamsBySeason(loaded.get('soccer/football-data-co-uk/E0')!);
    const leagues = teamsBySeason(loaded.get('soccer/leagues')!);
    const of = teamsBySeason(loaded.get('soccer/openfootball')!);
    const fpl = teamsBySeason(loaded.get('soccer/fpl')!);
    let compared = 0;
    for (const [k, teams] of leagues) {
      if (!fd.has(k)) continue;
      expect(`${k}: ${fd.get(k)}`).toBe(`${k}: ${teams}`);
      compared++;
    }
    expect(compared).toBe(13); // 2009-10 .. 2021-22
    // The leagues file also has the relegation play-off, so it may name one extra (second-division) team.
    for (const other of [of, fpl]) {
      for (const [k, teams] of other) {
        const reference = leagues.get(k)?.split(', ') ?? [];
        const missing = teams.split(', ').filter((team) => !reference.includes(team));
        expect(`${k}: ${missing.join(', ')}`).toBe(`${k}: `);
        expect(reference.length - teams.split(', ').length).toBeLessThanOrEqual(1);
        compared++;
      }
    }
    expect(compared).toBe(13 + 4 + 3);
  });
});
