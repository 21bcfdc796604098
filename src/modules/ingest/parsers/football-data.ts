// football-data.co.uk CSV (football-data.co.uk/notes.txt), every column generation since
// 2000-01: Div,Date[,Time],HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR[,Attendance],Referee,
// team statistics, then bookmakers' odds (football-data-columns.ts). Dates are dd/mm/yy or
// dd/mm/yyyy (some seasons use '-'); the Time column (from 2019-20) is UK time. A file is
// one season of one or more divisions; the season is named from the division's first match
// (July or later starts a season), not per row, because seasons overrun: 2019-20 ended on
// 26 July 2020. The aggregated opening/closing odds file (Date,country,league,Season,...) is
// recognised from its header and read by odds-aggregate.ts.
import { UnprocessableError } from '../../../platform/errors.js';
import { cellOf, parseCsv, type CsvRow, type CsvTable } from '../csv.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, ParsedOdds, Rejection } from '../types.js';
import { oddsColumns, TEAM_STAT_COLUMNS, type OddsColumn } from './football-data-columns.js';
import { dropDuplicateMatches, sortRejections } from './match-checks.js';
import { isOddsAggregate, parseOddsAggregate } from './odds-aggregate.js';
import { competitionForDivision, seasonForDate } from './soccer-divisions.js';
import { parseDecimal, parseWholeNumber } from './values.js';
import { zonedToUtc } from './zoned-time.js';

export const FOOTBALL_DATA_SOURCE = 'football-data';

/** dd/mm/yy, dd/mm/yyyy (also with '-' or '.') → YYYY-MM-DD; null when not a real day. */
export function parseDayMonthYear(text: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text.trim());
  if (!m) return null;
  let year = Number(m[3]);
  // football-data.co.uk starts in 1993: two-digit years below 50 are this century.
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  const iso = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** A score pair: null when both cells are empty (not played yet), 'invalid' unless both are whole numbers. */
export function scorePair(home: string, away: string): [number, number] | null | 'invalid' {
  if (home === '' && away === '') return null;
  const h = parseWholeNumber(home);
  const a = parseWholeNumber(away);
  return h === null || a === null || h < 0 || a < 0 ? 'invalid' : [h, a];
}

export function parseFootballData(text: string, file: string): ParsedFile {
  const table = parseCsv(text);
  if (isOddsAggregate(table.header)) return parseOddsAggregate(table, file);
  for (const required of ['Div', 'Date', 'HomeTeam', 'AwayTeam']) {
    if (!table.index.has(required)) {
      throw new UnprocessableError(
        `${file}: not a football-data.co.uk CSV (no ${required} column); expected Div,Date,HomeTeam,AwayTeam,... or the aggregated odds header Date,country,league,Season,...`,
      );
    }
  }
  const odds = oddsColumns(table.header);
  const rejected: Rejection[] = [];
  const warnings: Rejection[] = [];
  const rows: { match: ParsedMatch; div: string }[] = [];
  for (const row of table.rows) {
    const res = parseRow(table, row, odds, file, warnings);
    if (typeof res === 'string') rejected.push({ file, line: row.line, reason: res });
    else rows.push(res);
  }
  // Each division's season is named from its first match (see the note at the top).
  const firstDate = new Map<string, string>();
  for (const { match, div } of rows) {
    const d = firstDate.get(div);
    if (d === undefined || match.date < d) firstDate.set(div, match.date);
  }
  const matches = rows.map(({ match, div }) => ({ ...match, season: seasonForDate(firstDate.get(div)!) }));
  return {
    source: FOOTBALL_DATA_SOURCE,
    matches: dropDuplicateMatches(matches, file, rejected),
    players: [],
    rejected: sortRejections(rejected),
    warnings: sortRejections(warnings),
  };
}

function parseRow(table: CsvTable, row: CsvRow, oddsCols: OddsColumn[], file: string, warnings: Rejection[]): { match: ParsedMatch; div: string } | string {
  const get = (column: string) => cellOf(table, row, column);
  const div = get('Div');
  const competition: CompetitionRef | null = competitionForDivision(div);
  if (!competition) return div === '' ? 'missing Div (division code)' : `unknown division code ${JSON.stringify(div)}`;
  const date = parseDayMonthYear(get('Date'));
  if (!date) return `unparseable date ${JSON.stringify(get('Date'))} (expected dd/mm/yy or dd/mm/yyyy)`;
  const home = get('HomeTeam');
  const away = get('AwayTeam');
  if (!home || !away) return 'missing HomeTeam or AwayTeam';
  if (home === away) return `${home} cannot play itself`;
  const ft = scorePair(get('FTHG'), get('FTAG'));
  if (ft === 'invalid') return `non-numeric score ${JSON.stringify(`${get('FTHG')}-${get('FTAG')}`)}`;
  let ht = ft ? scorePair(get('HTHG'), get('HTAG')) : null;
  const warn = (reason: string) => warnings.push({ file, line: row.line, reason });
  if (ht === 'invalid') {
    warn(`half-time score ${JSON.stringify(`${get('HTHG')}-${get('HTAG')}`)} ignored: not numeric`);
    ht = null;
  }
  let kickoffAt: Date | null = null;
  const time = get('Time');
  if (time) {
    const t = /^(\d{1,2}):(\d{2})$/.exec(time);
    if (t && Number(t[1]) < 24 && Number(t[2]) < 60) kickoffAt = zonedToUtc(date, `${t[1]!.padStart(2, '0')}:${t[2]}`, 'Europe/London');
    else warn(`time ${JSON.stringify(time)} ignored: expected HH:MM`);
  }
  let attendance: number | null = null;
  const att = get('Attendance').replace(/[,\s]/g, '');
  if (att) {
    attendance = parseWholeNumber(att);
    if (attendance === null || attendance < 0 || attendance > 1_000_000) {
      warn(`attendance ${JSON.stringify(get('Attendance'))} ignored: not a plausible head count`);
      attendance = null;
    }
  }
  const stats = { home: {} as Record<string, number>, away: {} as Record<string, number> };
  for (const [h, a, key] of TEAM_STAT_COLUMNS) {
    for (const [side, column] of [['home', h], ['away', a]] as const) {
      const text = get(column);
      if (text === '') continue;
      const n = parseWholeNumber(text);
      if (n === null || n < 0) warn(`${column} ${JSON.stringify(text)} ignored: not a count`);
      else stats[side][key] = n;
    }
  }
  const odds: ParsedOdds[] = [];
  for (const c of oddsCols) {
    const text = row.cells[c.column] ?? '';
    if (text === '') continue;
    const price = parseDecimal(text);
    if (price === null || price <= 1) {
      warn(`${c.name} ${JSON.stringify(text)} ignored: not a decimal price above 1`);
      continue;
    }
    let line: number | null = null;
    if (typeof c.line === 'number') line = c.line;
    else if (c.line) {
      line = parseDecimal(row.cells[c.line.column] ?? '');
      // A price whose handicap is missing says nothing usable.
      if (line === null) continue;
    }
    odds.push({ bookmaker: c.bookmaker, market: c.market, selection: c.selection, line, price, phase: c.phase });
  }
  const hasStats = Object.keys(stats.home).length > 0 || Object.keys(stats.away).length > 0;
  return {
    div,
    match: {
      line: row.line,
      competition,
      season: '',
      date,
      kickoffAt,
      home,
      away,
      status: ft ? 'final' : 'scheduled',
      homeScore: ft ? ft[0] : null,
      awayScore: ft ? ft[1] : null,
      homeScoreHt: ht ? ht[0] : null,
      awayScoreHt: ht ? ht[1] : null,
      referee: get('Referee') || null,
      attendance,
      teamStats: hasStats ? stats : null,
      odds,
    },
  };
}
