// The parser registry: one entry per import format. `accepts` picks the format's files when
// a folder is given; `load` reads an input (with any companion files beside it, like FPL's
// teams.csv) and parses it into the ParsedFile contract. The parsers themselves are pure.
import { decodeText, httpFetcher, readSource, type Fetcher } from '../source.js';
import type { ImportFormat } from '../types.js';
import { parseFootballData } from './football-data.js';
import { ACCEPTS, loadFplSeason, loadNbaGames, loadNflGames, loadOpenfootball, type LoadedInput } from './readers.js';

export type { LoadedInput } from './readers.js';

export interface FormatParser {
  /** Whether a file under a given folder is an input ('/'-separated path relative to the folder). */
  accepts(relativePath: string): boolean;
  load(input: string, fetcher?: Fetcher): Promise<LoadedInput>;
}

async function loadFootballData(input: string, fetcher: Fetcher = httpFetcher): Promise<LoadedInput> {
  const file = await readSource(input, fetcher);
  return { sources: [file], parsed: parseFootballData(decodeText(file.bytes).text, file.name) };
}

export const PARSERS: Readonly<Record<ImportFormat, FormatParser>> = {
  'football-data': { accepts: (rel) => /\.csv$/i.test(rel), load: loadFootballData },
  openfootball: { accepts: ACCEPTS.openfootball, load: loadOpenfootball },
  fpl: { accepts: ACCEPTS.fpl, load: loadFplSeason },
  'nba-games': { accepts: ACCEPTS['nba-games'], load: loadNbaGames },
  'nfl-games': { accepts: ACCEPTS['nfl-games'], load: loadNflGames },
};
