// Thin I/O around the pure parsers: load the files a format needs (FPL's four files of a
// season folder, NFL's teams.csv beside games.csv), keep their bytes for hashing, decode
// them, and parse. Paths or URLs: companions are looked up beside the main input.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UnprocessableError } from '../../../platform/errors.js';
import { decodeText, httpFetcher, isUrl, readSource, siblingOf, type Fetcher, type SourceBytes } from '../source.js';
import type { ParsedFile } from '../types.js';
import { parseFplSeason, type FplSeasonFiles } from './fpl.js';
import { parseNbaGames } from './nba-games.js';
import { parseNflGames } from './nfl-games.js';
import { OPENFOOTBALL_COMPETITIONS, parseOpenfootball } from './openfootball.js';

export interface LoadedInput {
  /** Every file read, main input first: their sha256s together identify the import. */
  sources: SourceBytes[];
  parsed: ParsedFile;
}

const text = (s: SourceBytes) => decodeText(s.bytes).text;

async function readCompanion(main: string, name: string, fetcher: Fetcher, required: boolean): Promise<SourceBytes | null> {
  const path = siblingOf(main, name);
  try {
    return await readSource(path, fetcher);
  } catch (err) {
    if (required) throw new UnprocessableError(`${main}: needs ${name} beside it (${path}): ${(err as Error).message}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A folder stands for the file the format reads in it. */
async function mainFile(input: string, fileInFolder: string): Promise<string> {
  if (isUrl(input)) return input;
  const info = await stat(input);
  return info.isDirectory() ? join(input, fileInFolder) : input;
}

/** Folder expansion: which files under a folder are inputs for each format. */
export const ACCEPTS = {
  openfootball: (rel: string) => basename(rel).replace(/\.json$/i, '') in OPENFOOTBALL_COMPETITIONS && /\.json$/i.test(rel),
  fpl: (rel: string) => basename(rel) === 'merged_gw.csv',
  'nba-games': (rel: string) => /\.csv$/i.test(rel),
  'nfl-games': (rel: string) => /\.csv$/i.test(rel) && basename(rel) !== 'teams.csv',
} as const;

/** An FPL season: its folder, or the merged_gw.csv in it, with fixtures, teams, players_raw beside it. */
export async function loadFplSeason(input: string, fetcher: Fetcher = httpFetcher): Promise<LoadedInput> {
  const mergedGwPath = await mainFile(input, 'merged_gw.csv');
  const mergedGw = await readSource(mergedGwPath, fetcher);
  const fixtures = (await readCompanion(mergedGwPath, 'fixtures.csv', fetcher, true))!;
  const teams = (await readCompanion(mergedGwPath, 'teams.csv', fetcher, true))!;
  const playersRaw = await readCompanion(mergedGwPath, 'players_raw.csv', fetcher, false);
  const files: FplSeasonFiles = {
    mergedGw: mergedGw.name,
    fixtures: fixtures.name,
    teams: teams.name,
    playersRaw: playersRaw?.name ?? siblingOf(mergedGwPath, 'players_raw.csv'),
  };
  const parsed = parseFplSeason(
    { mergedGw: text(mergedGw), fixtures: text(fixtures), teams: text(teams), playersRaw: playersRaw ? text(playersRaw) : null },
    files,
  );
  return { sources: [mergedGw, fixtures, teams, ...(playersRaw ? [playersRaw] : [])], parsed };
}

/** NFL games.csv (or its folder) with the teams.csv beside it. */
export async function loadNflGames(input: string, fetcher: Fetcher = httpFetcher): Promise<LoadedInput> {
  const gamesPath = await mainFile(input, 'games.csv');
  const games = await readSource(gamesPath, fetcher);
  const teams = (await readCompanion(gamesPath, 'teams.csv', fetcher, true))!;
  return { sources: [games, teams], parsed: parseNflGames(text(games), text(teams), { games: games.name, teams: teams.name }) };
}

export async function loadNbaGames(input: string, fetcher: Fetcher = httpFetcher): Promise<LoadedInput> {
  const games = await readSource(await mainFile(input, 'games.csv'), fetcher);
  return { sources: [games], parsed: parseNbaGames(text(games), games.name) };
}

export async function loadOpenfootball(input: string, fetcher: Fetcher = httpFetcher): Promise<LoadedInput> {
  const file = await readSource(input, fetcher);
  return { sources: [file], parsed: parseOpenfootball(text(file), file.name) };
}
