// The spreadspoke NFL archive (1966-2019): games.csv with scores and closing lines, and
// teams.csv mapping every name a franchise has had to one id (St. Louis Rams and Los
// Angeles Rams are LAR). Each franchise is emitted under one name, the one it used in its
// most recent game of the file, and its other names become aliases. The favourite is
// given as a team id; the spread (negative, for the favourite) and the over/under become
// closing-line odds rows at an assumed -110 (us-lines.ts).
import { UnprocessableError } from '../../../platform/errors.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, ParsedOdds, Rejection } from '../types.js';
import { cell, readCsvRecords, type CsvRecord } from './csv-text.js';
import { dropDuplicateMatches, sortRejections } from './match-checks.js';
import { CLOSING_LINE_BOOKMAKER, CLOSING_LINE_BOOKMAKER_NAME, homeHandicap, spreadOdds, totalOdds } from './us-lines.js';
import { parseBoolean, parseDecimal, parseWholeNumber, usDateToIso } from './values.js';

export const NFL_SOURCE = 'nfl-games';

export const NFL: CompetitionRef = {
  code: 'nfl',
  name: 'NFL',
  sport: 'american_football',
  country: 'USA',
  timezone: 'America/New_York',
};

const REQUIRED = ['schedule_date', 'schedule_season', 'team_home', 'team_away', 'score_home', 'score_away'];

export interface NflFiles {
  games: string;
  teams: string;
}

/** Franchise ids and names: what teams.csv says plus what games.csv shows. */
export interface NflFranchises {
  idOf(name: string): string;
  canonicalName(name: string): string;
  /** An id the favourite column uses, mapped to a teams.csv id (LVR → OAK), or undefined. */
  resolveId(id: string): string | undefined;
  aliases: { alias: string; team: string }[];
}

function readTeams(teamsText: string, file: string): Map<string, string> {
  const { header, records } = readCsvRecords(teamsText);
  if (!header.includes('team_name') || !header.includes('team_id')) {
    throw new UnprocessableError(`${file}: not the NFL teams format: expected team_name and team_id columns`);
  }
  const ids = new Map<string, string>();
  for (const r of records) {
    const name = cell(r, 'team_name');
    const id = cell(r, 'team_id');
    if (name && id) ids.set(name, id);
  }
  return ids;
}

/**
 * Works out franchises from both files. Favourite ids missing from teams.csv (the 2019
 * file says LVR while teams.csv still files the Raiders under OAK) are matched to the one
 * team id present in every game they are favoured in; an id that fits no single team is
 * left unknown and its spreads are reported.
 */
export function nflFranchises(teamIds: Map<string, string>, games: CsvRecord[]): NflFranchises {
  const idOf = (name: string) => teamIds.get(name) ?? `name:${name}`;
  const knownIds = new Set(teamIds.values());
  const latest = new Map<string, { name: string; date: string }>();
  const candidates = new Map<string, Set<string>>();
  for (const r of games) {
    const date = usDateToIso(cell(r, 'schedule_date')) ?? '';
    const pair = [cell(r, 'team_home'), cell(r, 'team_away')].filter((n) => n !== '');
    for (const name of pair) {
      const seen = latest.get(idOf(name));
      if (!seen || date >= seen.date) latest.set(idOf(name), { name, date });
    }
    const fav = cell(r, 'team_favorite_id');
    if (fav === '' || fav === 'PICK' || knownIds.has(fav)) continue;
    const ids = new Set(pair.map(idOf));
    const prev = candidates.get(fav);
    candidates.set(fav, prev ? new Set([...prev].filter((id) => ids.has(id))) : ids);
  }
  const idAliases = new Map<string, string>();
  for (const [fav, ids] of candidates) if (ids.size === 1) idAliases.set(fav, [...ids][0]!);
  const canonicalName = (name: string) => latest.get(idOf(name))?.name ?? name;
  const aliases = [...teamIds.keys()]
    .filter((name) => latest.has(idOf(name)) && canonicalName(name) !== name)
    .map((alias) => ({ alias, team: canonicalName(alias) }));
  return {
    idOf,
    canonicalName,
    resolveId: (id) => (knownIds.has(id) ? id : idAliases.get(id)),
    aliases,
  };
}

function lineOdds(r: CsvRecord, franchises: NflFranchises, warn: (reason: string) => void): ParsedOdds[] {
  const odds: ParsedOdds[] = [];
  const fav = cell(r, 'team_favorite_id');
  const spreadText = cell(r, 'spread_favorite');
  if (fav !== '' && spreadText !== '') {
    const spread = parseDecimal(spreadText);
    const favId = fav === 'PICK' ? 'PICK' : franchises.resolveId(fav);
    const homeId = franchises.idOf(cell(r, 'team_home'));
    const awayId = franchises.idOf(cell(r, 'team_away'));
    if (spread === null) warn(`spread_favorite ${JSON.stringify(spreadText)} ignored: not a number`);
    else if (favId === 'PICK') odds.push(...spreadOdds(0));
    else if (favId === homeId) odds.push(...spreadOdds(homeHandicap('home', spread)));
    else if (favId === awayId) odds.push(...spreadOdds(homeHandicap('away', spread)));
    else warn(`spread ignored: favourite ${JSON.stringify(fav)} is neither team's id in teams.csv`);
  }
  const totalText = cell(r, 'over_under_line');
  if (totalText !== '') {
    const total = parseDecimal(totalText);
    if (total === null || total <= 0) warn(`over_under_line ${JSON.stringify(totalText)} ignored: not a positive number`);
    else odds.push(...totalOdds(total));
  }
  return odds;
}

function roundOf(week: string): string | null {
  if (week === '') return null;
  return /^\d+$/.test(week) ? `Week ${week}` : week;
}

function parseGame(r: CsvRecord, franchises: NflFranchises, file: string, warnings: Rejection[]): ParsedMatch | string {
  const date = usDateToIso(cell(r, 'schedule_date'));
  if (!date) return `invalid schedule_date ${JSON.stringify(cell(r, 'schedule_date'))} (expected m/d/yyyy)`;
  const season = parseWholeNumber(cell(r, 'schedule_season'));
  if (season === null || season < 1900) return `invalid schedule_season ${JSON.stringify(cell(r, 'schedule_season'))}`;
  const homeName = cell(r, 'team_home');
  const awayName = cell(r, 'team_away');
  if (!homeName || !awayName) return 'missing team_home or team_away';
  if (franchises.idOf(homeName) === franchises.idOf(awayName)) return `${homeName} cannot play itself`;
  const homeText = cell(r, 'score_home');
  const awayText = cell(r, 'score_away');
  const played = homeText !== '' || awayText !== '';
  const homeScore = parseWholeNumber(homeText);
  const awayScore = parseWholeNumber(awayText);
  if (played && (homeScore === null || awayScore === null || homeScore < 0 || awayScore < 0)) {
    return `non-numeric score ${JSON.stringify(homeText)}-${JSON.stringify(awayText)} (home-away)`;
  }
  const warn = (reason: string) => warnings.push({ file, line: r.line, reason });
  return {
    line: r.line,
    competition: NFL,
    season: String(season),
    date,
    kickoffAt: null,
    home: franchises.canonicalName(homeName),
    away: franchises.canonicalName(awayName),
    status: played ? 'final' : 'scheduled',
    homeScore: played ? homeScore : null,
    awayScore: played ? awayScore : null,
    round: roundOf(cell(r, 'schedule_week')),
    isPlayoff: parseBoolean(cell(r, 'schedule_playoff')) === true,
    neutral: parseBoolean(cell(r, 'stadium_neutral')) === true,
    venue: cell(r, 'stadium') || null,
    odds: lineOdds(r, franchises, warn),
  };
}

/** Parses games.csv with the teams.csv beside it (both as text). */
export function parseNflGames(gamesText: string, teamsText: string, files: NflFiles): ParsedFile {
  const teamIds = readTeams(teamsText, files.teams);
  const { header, records } = readCsvRecords(gamesText);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new UnprocessableError(`${files.games}: not the NFL games format: missing columns ${missing.join(', ')}`);
  }
  const franchises = nflFranchises(teamIds, records);
  const rejected: Rejection[] = [];
  const warnings: Rejection[] = [];
  const parsed: ParsedMatch[] = [];
  for (const r of records) {
    const result = parseGame(r, franchises, files.games, warnings);
    if (typeof result === 'string') rejected.push({ file: files.games, line: r.line, reason: result });
    else parsed.push(result);
  }
  return {
    source: NFL_SOURCE,
    matches: dropDuplicateMatches(parsed, files.games, rejected),
    players: [],
    rejected: sortRejections(rejected),
    warnings,
    bookmakers: [{ code: CLOSING_LINE_BOOKMAKER, name: CLOSING_LINE_BOOKMAKER_NAME, kind: 'aggregate' }],
    teamAliases: franchises.aliases,
  };
}
