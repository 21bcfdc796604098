// Fantasy Premier League season folders (vaastav/Fantasy-Premier-League archive):
// fixtures.csv (one row per Premier League match), teams.csv (FPL's short club names),
// players_raw.csv (player id → code, club, element_type) and merged_gw.csv (one row per
// player per match). Every fixture becomes a match and every merged_gw row a player line.
// Players are keyed by players_raw `code`, which stays the same across seasons, because
// `element` ids are reassigned each season. A row's club is the fixture's side given by
// was_home, not players_raw's club: players_raw holds the end-of-season club, wrong for
// anyone transferred mid-season.
import { UnprocessableError } from '../../../platform/errors.js';
import type { ParsedFile, ParsedMatch, ParsedPlayerMatch, Rejection } from '../types.js';
import { cell, readCsvRecords, type CsvRecord } from './csv-text.js';
import { sortRejections } from './match-checks.js';
import { ENGLAND_PREMIER_LEAGUE } from './soccer-competitions.js';
import { parseBoolean, parseDecimal, parseWholeNumber } from './values.js';
import { localDate } from './zoned-time.js';

export const FPL_SOURCE = 'fpl';

export interface FplSeasonTexts {
  mergedGw: string;
  fixtures: string;
  teams: string;
  /** Needed for 2019-20 (no team/position columns) and for cross-season player ids. */
  playersRaw: string | null;
}

/** Where each text came from, for rejections. */
export type FplSeasonFiles = Record<keyof FplSeasonTexts, string>;

const ELEMENT_TYPES: Record<string, string> = { '1': 'GK', '2': 'DEF', '3': 'MID', '4': 'FWD' };
const POSITIONS: Record<string, string> = { GK: 'GK', GKP: 'GK', DEF: 'DEF', MID: 'MID', FWD: 'FWD' };

/** merged_gw columns that become ParsedPlayerMatch fields. */
const STATS = {
  goals: 'goals_scored',
  assists: 'assists',
  yellowCards: 'yellow_cards',
  redCards: 'red_cards',
  ownGoals: 'own_goals',
  saves: 'saves',
} as const;

/** Columns that identify the row (kept elsewhere) rather than describe the performance. */
const NOT_EXTRA = new Set([
  'name',
  'position',
  'team',
  'fixture',
  'kickoff_time',
  'opponent_team',
  'team_h_score',
  'team_a_score',
  'minutes',
  ...Object.values(STATS),
]);

/** 2019-20 names carry the element id: "Aaron_Cresswell_376" → "Aaron Cresswell". */
export function cleanFplName(raw: string): string {
  return raw.replace(/_\d+$/, '').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The season a folder holds ("…/fpl/2019-20/merged_gw.csv" → "2019-20"). */
export function fplSeasonOf(path: string): string | null {
  const m = /(?:^|[/\\])(\d{4})-(\d{2})(?:[/\\]|$)/.exec(path);
  return m ? `${m[1]}-${m[2]}` : null;
}

interface Fixture {
  externalId: string;
  home: string;
  away: string;
  kickoff: string;
}

function requireColumns(header: string[], columns: string[], file: string): void {
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new UnprocessableError(`${file}: not the FPL format: missing columns ${missing.join(', ')}`);
}

function readTeams(text: string, file: string): Map<string, string> {
  const { header, records } = readCsvRecords(text);
  requireColumns(header, ['id', 'name'], file);
  return new Map(records.map((r) => [cell(r, 'id'), cell(r, 'name')]));
}

function readPlayers(text: string | null, file: string): Map<string, CsvRecord> {
  if (text === null) return new Map();
  const { header, records } = readCsvRecords(text);
  requireColumns(header, ['id', 'code', 'element_type'], file);
  return new Map(records.map((r) => [cell(r, 'id'), r]));
}

function parseFixture(r: CsvRecord, season: string, teams: Map<string, string>): ParsedMatch | string {
  const id = parseWholeNumber(cell(r, 'id'));
  if (id === null) return `invalid fixture id ${JSON.stringify(cell(r, 'id'))}`;
  const home = teams.get(cell(r, 'team_h'));
  const away = teams.get(cell(r, 'team_a'));
  if (!home || !away) return `team id ${JSON.stringify(home ? cell(r, 'team_a') : cell(r, 'team_h'))} is not in teams.csv`;
  if (home === away) return `${home} cannot play itself`;
  const kickoffText = cell(r, 'kickoff_time');
  const kickoffAt = new Date(kickoffText);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(kickoffText) || Number.isNaN(kickoffAt.getTime())) {
    return `kickoff_time ${JSON.stringify(kickoffText)} is not a UTC timestamp: the fixture has no place in the calendar`;
  }
  const finished = parseBoolean(cell(r, 'finished')) === true;
  const homeScore = parseWholeNumber(cell(r, 'team_h_score'));
  const awayScore = parseWholeNumber(cell(r, 'team_a_score'));
  if (finished && (homeScore === null || awayScore === null)) {
    return `non-numeric score ${JSON.stringify(cell(r, 'team_h_score'))}-${JSON.stringify(cell(r, 'team_a_score'))} for a finished fixture`;
  }
  return {
    line: r.line,
    competition: ENGLAND_PREMIER_LEAGUE,
    season,
    date: localDate(kickoffAt, ENGLAND_PREMIER_LEAGUE.timezone),
    kickoffAt,
    home,
    away,
    status: finished ? 'final' : 'scheduled',
    homeScore: finished ? homeScore : null,
    awayScore: finished ? awayScore : null,
    odds: [],
    externalId: `${season}:${id}`,
  };
}

function extraValue(text: string): number | boolean | string | null {
  if (text === '') return null;
  const n = parseDecimal(text);
  if (n !== null) return n;
  const b = parseBoolean(text);
  return b ?? text;
}

interface RowCtx {
  season: string;
  fixtures: Map<string, Fixture>;
  rejectedFixtures: Map<string, number>;
  players: Map<string, CsvRecord>;
  fixturesFile: string;
}

function parsePlayerRow(r: CsvRecord, ctx: RowCtx): ParsedPlayerMatch | string {
  const element = cell(r, 'element');
  if (parseWholeNumber(element) === null) return `invalid element ${JSON.stringify(element)}`;
  const fixtureId = cell(r, 'fixture');
  const fixture = ctx.fixtures.get(fixtureId);
  if (!fixture) {
    const line = ctx.rejectedFixtures.get(fixtureId);
    return line !== undefined
      ? `fixture ${fixtureId} was rejected (${ctx.fixturesFile} line ${line})`
      : `unknown fixture ${JSON.stringify(fixtureId)}: not in fixtures.csv`;
  }
  const minutes = parseWholeNumber(cell(r, 'minutes'));
  if (minutes === null || minutes < 0) return `non-numeric minutes ${JSON.stringify(cell(r, 'minutes'))}`;
  const wasHome = parseBoolean(cell(r, 'was_home'));
  if (wasHome === null) return `was_home ${JSON.stringify(cell(r, 'was_home'))} is not True or False`;
  const team = wasHome ? fixture.home : fixture.away;
  const teamColumn = cell(r, 'team');
  if (teamColumn !== '' && teamColumn !== team) {
    return `team ${JSON.stringify(teamColumn)} contradicts fixture ${fixtureId} (${fixture.home} v ${fixture.away}, was_home ${wasHome})`;
  }
  const stats: Partial<Record<keyof typeof STATS, number | null>> = {};
  for (const [field, column] of Object.entries(STATS) as [keyof typeof STATS, string][]) {
    const text = cell(r, column);
    const value = parseWholeNumber(text);
    if (text !== '' && value === null) return `non-numeric ${column} ${JSON.stringify(text)}`;
    stats[field] = value;
  }
  const raw = ctx.players.get(element);
  const extra: Record<string, number | string | boolean | null> = {};
  for (const [column, text] of Object.entries(r.values)) if (!NOT_EXTRA.has(column)) extra[column] = extraValue(text);
  const code = raw ? cell(raw, 'code') : '';
  return {
    line: r.line,
    externalId: code !== '' ? code : `${ctx.season}:${element}`,
    name: cleanFplName(cell(r, 'name')),
    position: POSITIONS[cell(r, 'position').toUpperCase()] ?? (raw ? ELEMENT_TYPES[cell(raw, 'element_type')] : undefined) ?? null,
    team,
    matchExternalId: fixture.externalId,
    minutes,
    started: null,
    ...stats,
    extra,
  };
}

interface PlayerRow {
  row: ParsedPlayerMatch;
  element: string;
  /** Whether the row's kickoff_time is the fixture's (not a slot it was postponed from). */
  current: boolean;
}

/**
 * A player can appear twice for one fixture when it was postponed: 2019-20 lists fixture
 * 275 under its original gameweek (no score, the old date) and again when it was played.
 * The row whose kickoff_time matches fixtures.csv is kept; the other is reported.
 */
function dropStaleDuplicates(rows: PlayerRow[], file: string, rejected: Rejection[]): ParsedPlayerMatch[] {
  const best = new Map<string, PlayerRow>();
  for (const candidate of rows) {
    const key = `${candidate.element}\u0000${candidate.row.matchExternalId}`;
    const seen = best.get(key);
    if (!seen) {
      best.set(key, candidate);
      continue;
    }
    const [keep, drop] = candidate.current && !seen.current ? [candidate, seen] : [seen, candidate];
    best.set(key, keep);
    rejected.push({
      file,
      line: drop.row.line,
      reason: `duplicate row for element ${drop.element} in fixture ${drop.row.matchExternalId}: line ${keep.row.line} kept (its kickoff_time matches fixtures.csv)`,
    });
  }
  return [...best.values()].map((b) => b.row).sort((a, b) => a.line - b.line);
}

/** Parses one FPL season from the four files' texts. */
export function parseFplSeason(texts: FplSeasonTexts, files: FplSeasonFiles, season = fplSeasonOf(files.mergedGw)): ParsedFile {
  if (!season) throw new UnprocessableError(`${files.mergedGw}: cannot tell the season: expected a folder named like 2019-20`);
  const teams = readTeams(texts.teams, files.teams);
  const players = readPlayers(texts.playersRaw, files.playersRaw);
  const fx = readCsvRecords(texts.fixtures);
  requireColumns(fx.header, ['id', 'kickoff_time', 'team_h', 'team_a', 'team_h_score', 'team_a_score', 'finished'], files.fixtures);
  const gw = readCsvRecords(texts.mergedGw);
  requireColumns(gw.header, ['name', 'element', 'fixture', 'minutes', 'was_home'], files.mergedGw);
  if (!gw.header.includes('team') && texts.playersRaw === null) {
    throw new UnprocessableError(`${files.mergedGw}: has no team/position columns and players_raw.csv is missing`);
  }

  const rejected: Rejection[] = [];
  const matches: ParsedMatch[] = [];
  const fixtures = new Map<string, Fixture>();
  const rejectedFixtures = new Map<string, number>();
  for (const r of fx.records) {
    const result = parseFixture(r, season, teams);
    if (typeof result === 'string') {
      rejected.push({ file: files.fixtures, line: r.line, reason: result });
      rejectedFixtures.set(cell(r, 'id'), r.line);
      continue;
    }
    if (fixtures.has(cell(r, 'id'))) {
      rejected.push({ file: files.fixtures, line: r.line, reason: `duplicate fixture id ${cell(r, 'id')}` });
      continue;
    }
    matches.push(result);
    fixtures.set(cell(r, 'id'), { externalId: result.externalId!, home: result.home, away: result.away, kickoff: cell(r, 'kickoff_time') });
  }

  const ctx: RowCtx = { season, fixtures, rejectedFixtures, players, fixturesFile: files.fixtures };
  const rows: PlayerRow[] = [];
  for (const r of gw.records) {
    const result = parsePlayerRow(r, ctx);
    if (typeof result === 'string') rejected.push({ file: files.mergedGw, line: r.line, reason: result });
    else {
      const current = cell(r, 'kickoff_time') === fixtures.get(cell(r, 'fixture'))?.kickoff;
      rows.push({ row: result, element: cell(r, 'element'), current });
    }
  }
  const playerLines = dropStaleDuplicates(rows, files.mergedGw, rejected);
  return { source: FPL_SOURCE, matches, players: playerLines, rejected: sortRejections(rejected), warnings: [] };
}
