// The demo dataset: three seasons of the Demo Premier League (soccer) and of the Demo
// Basketball League, the last season of each in progress relative to an injected "today"
// (matches before today final, the rest scheduled). Pure and deterministic: the same seed
// and today give the same files, byte for byte; a later today only completes fixtures.
// The output is ParsedFile objects (source 'demo'), so the data goes through the same
// writer as a real import. See soccer.ts and basketball.ts for the models.
import type { ParsedFile } from '../ingest/types.js';
import { isoDay, parseDay } from './common.js';
import { basketballSeasonEnd, basketballSeasonName, generateBasketballSeason, DEMO_BASKETBALL_COMPETITION } from './basketball.js';
import { DEMO_SOCCER_COMPETITION, generateSoccerSeason, soccerSeasonEnd, soccerSeasonName } from './soccer.js';

export { DEMO_BASKETBALL_COMPETITION } from './basketball.js';
export { DEMO_SOCCER_COMPETITION } from './soccer.js';

export const DEMO_SOURCE = 'demo';
export const DEFAULT_DEMO_SEED = 20240601;
export const DEMO_SEASONS = 3;
export const DEMO_COMPETITION_CODES = [DEMO_SOCCER_COMPETITION.code, DEMO_BASKETBALL_COMPETITION.code] as const;

/** Display names for the bookmaker codes the demo odds use. */
export const DEMO_BOOKMAKERS: Record<string, string> = {
  demo_book: 'Demo Sportsbook',
  demo_sharp: 'Demo Sharp Book',
};

export interface DemoOptions {
  seed: number;
  /** YYYY-MM-DD (UTC): fixtures before this day are played, the rest scheduled. */
  today: string;
}

export interface DemoFile {
  /** A name for the summary and the import record, like a file name. */
  name: string;
  competition: string;
  season: string;
  parsed: ParsedFile;
}

export interface DemoDataset {
  seed: number;
  today: string;
  files: DemoFile[];
}

/**
 * The start year of the league's current season: the season that has not finished yet on
 * `today`. Between seasons (after the last round, before the next opening day) that is the
 * coming season, so there are always upcoming fixtures.
 */
export function currentSeasonYear(today: Date, seasonEnd: (year: number) => Date): number {
  const y = today.getUTCFullYear();
  if (today.getTime() <= seasonEnd(y - 1).getTime()) return y - 1;
  return y;
}

export function generateDemoDataset(opts: DemoOptions): DemoDataset {
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  const today = parseDay(opts.today);
  const day = isoDay(today);
  const files: DemoFile[] = [];
  const soccerNow = currentSeasonYear(today, soccerSeasonEnd);
  for (let year = soccerNow - DEMO_SEASONS + 1; year <= soccerNow; year++) {
    const season = soccerSeasonName(year);
    files.push({
      name: `demo/${DEMO_SOCCER_COMPETITION.code}/${season}`,
      competition: DEMO_SOCCER_COMPETITION.code,
      season,
      parsed: generateSoccerSeason({ seed: opts.seed, year, today: day }),
    });
  }
  const basketballNow = currentSeasonYear(today, basketballSeasonEnd);
  for (let year = basketballNow - DEMO_SEASONS + 1; year <= basketballNow; year++) {
    const season = basketballSeasonName(year);
    files.push({
      name: `demo/${DEMO_BASKETBALL_COMPETITION.code}/${season}`,
      competition: DEMO_BASKETBALL_COMPETITION.code,
      season,
      parsed: generateBasketballSeason({ seed: opts.seed, year, today: day }),
    });
  }
  return { seed: opts.seed, today: day, files };
}
