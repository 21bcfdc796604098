// The NBA betting archive's games.csv (2007-08 to 2020-21): one row per game with the
// final score, quarter scores, and closing lines. `season` is the year the season ends,
// `date` the local (US) date; `spread` is the closing spread's magnitude for the side in
// `whos_favored`, `total` the closing over/under line, moneylines American odds.
// Spread and total carry no price: they become odds rows at an assumed -110 (us-lines.ts).
import { UnprocessableError } from '../../../platform/errors.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, ParsedOdds, Rejection } from '../types.js';
import { cell, readCsvRecords, type CsvRecord } from './csv-text.js';
import { dropDuplicateMatches, sortRejections } from './match-checks.js';
import { nbaOtherNames, nbaFranchise } from './nba-teams.js';
import {
  CLOSING_LINE_BOOKMAKER,
  CLOSING_LINE_BOOKMAKER_NAME,
  americanToDecimal,
  homeHandicap,
  moneylineOdds,
  spreadOdds,
  totalOdds,
} from './us-lines.js';
import { isCalendarDate, parseBoolean, parseDecimal, parseWholeNumber, splitSeasonName } from './values.js';

export const NBA_SOURCE = 'nba-games';

export const NBA: CompetitionRef = {
  code: 'nba',
  name: 'NBA',
  sport: 'basketball',
  country: 'USA',
  timezone: 'America/New_York',
};

const REQUIRED = ['season', 'date', 'away', 'home', 'score_away', 'score_home'];

/**
 * The 2019-20 restart (seeding games from 2020-07-30, playoffs to the finals on 2020-10-11)
 * was played without crowds at one site, Walt Disney World near Orlando: the archive still
 * names a home team, but none had a home court, so these games are stored as neutral.
 */
export const NBA_BUBBLE = { from: '2020-07-30', to: '2020-10-11' } as const;
const PERIODS = ['q1', 'q2', 'q3', 'q4', 'ot'] as const;

type Ctx = { file: string; warnings: Rejection[] };

/** Quarter scores, with overtime only when some was played; null when any cell is missing. */
function periodScores(r: CsvRecord): ParsedMatch['periodScores'] {
  const out: NonNullable<ParsedMatch['periodScores']> = [];
  for (const p of PERIODS) {
    const home = parseWholeNumber(cell(r, `${p}_home`));
    const away = parseWholeNumber(cell(r, `${p}_away`));
    if (home === null || away === null) return null;
    if (p === 'ot' && home === 0 && away === 0) continue;
    out.push({ period: p, home, away });
  }
  return out;
}

function lineOdds(r: CsvRecord, ctx: Ctx): ParsedOdds[] {
  const odds: ParsedOdds[] = [];
  const warn = (reason: string) => ctx.warnings.push({ file: ctx.file, line: r.line, reason });
  const favoured = cell(r, 'whos_favored').toLowerCase();
  const spreadText = cell(r, 'spread');
  if (spreadText !== '') {
    const spread = parseDecimal(spreadText);
    if (spread === null) warn(`spread ${JSON.stringify(spreadText)} ignored: not a number`);
    else if (favoured !== 'home' && favoured !== 'away') warn(`spread ignored: whos_favored is ${JSON.stringify(favoured)}`);
    else odds.push(...spreadOdds(homeHandicap(favoured, spread)));
  }
  const totalText = cell(r, 'total');
  if (totalText !== '') {
    const total = parseDecimal(totalText);
    if (total === null || total <= 0) warn(`total ${JSON.stringify(totalText)} ignored: not a positive number`);
    else odds.push(...totalOdds(total));
  }
  for (const side of ['home', 'away'] as const) {
    const text = cell(r, `moneyline_${side}`);
    if (text === '') continue;
    const american = parseWholeNumber(text);
    const price = american === null ? null : americanToDecimal(american);
    if (price === null) warn(`moneyline_${side} ${JSON.stringify(text)} ignored: not American odds (|odds| >= 100)`);
    else odds.push(moneylineOdds(side, price));
  }
  return odds;
}

function parseGame(r: CsvRecord, ctx: Ctx): ParsedMatch | string {
  const endYear = parseWholeNumber(cell(r, 'season'));
  if (endYear === null || endYear < 1900) return `invalid season ${JSON.stringify(cell(r, 'season'))}`;
  const date = cell(r, 'date');
  if (!isCalendarDate(date)) return `invalid date ${JSON.stringify(date)} (expected YYYY-MM-DD)`;
  const home = nbaFranchise(cell(r, 'home'));
  const away = nbaFranchise(cell(r, 'away'));
  if (!home) return `unknown team code ${JSON.stringify(cell(r, 'home'))}`;
  if (!away) return `unknown team code ${JSON.stringify(cell(r, 'away'))}`;
  if (home === away) return `${home.name} cannot play itself`;
  const homeText = cell(r, 'score_home');
  const awayText = cell(r, 'score_away');
  const played = homeText !== '' || awayText !== '';
  const homeScore = parseWholeNumber(homeText);
  const awayScore = parseWholeNumber(awayText);
  if (played && (homeScore === null || awayScore === null || homeScore < 0 || awayScore < 0)) {
    return `non-numeric score ${JSON.stringify(homeText)}-${JSON.stringify(awayText)} (home-away)`;
  }
  const playoffs = parseBoolean(cell(r, 'playoffs'));
  const regular = parseBoolean(cell(r, 'regular'));
  // Neither regular season nor playoffs: the play-in games of 2020 and 2021.
  const round = playoffs ? 'Playoffs' : regular === false && playoffs === false ? 'Play-in' : 'Regular season';
  return {
    line: r.line,
    competition: NBA,
    season: splitSeasonName(endYear),
    date,
    kickoffAt: null,
    home: home.name,
    away: away.name,
    status: played ? 'final' : 'scheduled',
    homeScore: played ? homeScore : null,
    awayScore: played ? awayScore : null,
    periodScores: played ? periodScores(r) : null,
    round,
    isPlayoff: playoffs === true,
    neutral: date >= NBA_BUBBLE.from && date <= NBA_BUBBLE.to,
    odds: lineOdds(r, ctx),
  };
}

/** Parses the NBA archive's games.csv text. */
export function parseNbaGames(text: string, file: string): ParsedFile {
  const table = readCsvRecords(text);
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new UnprocessableError(`${file}: not the NBA games format: missing columns ${missing.join(', ')}`);
  }
  const rejected: Rejection[] = [];
  const warnings: Rejection[] = [];
  const parsed: ParsedMatch[] = [];
  for (const r of table.records) {
    const result = parseGame(r, { file, warnings });
    if (typeof result === 'string') rejected.push({ file, line: r.line, reason: result });
    else parsed.push(result);
  }
  return {
    source: NBA_SOURCE,
    matches: dropDuplicateMatches(parsed, file, rejected),
    players: [],
    rejected: sortRejections(rejected),
    warnings,
    bookmakers: [{ code: CLOSING_LINE_BOOKMAKER, name: CLOSING_LINE_BOOKMAKER_NAME, kind: 'aggregate' }],
    teamAliases: nbaOtherNames(),
  };
}
