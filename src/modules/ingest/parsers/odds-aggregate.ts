// The aggregated opening/closing odds CSV of ../shared/data/soccer/leagues: one row per match,
// Date,country,league,Season,HomeTeam,AwayTeam,FTHG,FTAG,HTHG,HTAG then average prices across
// major bookmakers at the opening and at the close: home/draw/away, over/under 2.5 and
// both-teams-to-score (bts_yes/bts_no, from 2012-13). Stored under bookmaker 'market_avg'.
// Its times are Central European (the Premier League's 15:00 UK kick-offs read 16:00), so the
// kick-off is read in Europe/Berlin and the match date is taken in the competition's zone.
import type { OddsMarket, OddsPhase } from '../../../db/schema/index.js';
import { cellOf, type CsvTable } from '../csv.js';
import type { ParsedFile, ParsedMatch, ParsedOdds, Rejection } from '../types.js';
import { parseDecimal } from './values.js';
import { dropDuplicateMatches, sortRejections } from './match-checks.js';
import { competitionForCountryLeague, seasonForDate } from './soccer-divisions.js';
import { localDate, zonedToUtc } from './zoned-time.js';

export const ODDS_AGGREGATE_SOURCE = 'odds-aggregate';
export const ODDS_AGGREGATE_BOOKMAKER = 'market_avg';
const FILE_ZONE = 'Europe/Berlin';

export function isOddsAggregate(header: string[]): boolean {
  return ['Date', 'country', 'league', 'HomeTeam', 'AwayTeam'].every((h) => header.includes(h)) && header.some((h) => /_(close|open)$/.test(h));
}

interface PriceColumn {
  column: number;
  name: string;
  market: OddsMarket;
  selection: string;
  line: number | null;
  phase: OddsPhase;
}

function priceColumns(header: string[]): PriceColumn[] {
  const out: PriceColumn[] = [];
  header.forEach((name, column) => {
    const m = /^(home|draw|away|over_(\d+(?:\.\d+)?)|under_(\d+(?:\.\d+)?)|bts_yes|bts_no)_(close|open)$/.exec(name);
    if (!m) return;
    const phase: OddsPhase = m[4] === 'close' ? 'closing' : 'opening';
    const what = m[1]!;
    if (what === 'home' || what === 'draw' || what === 'away') out.push({ column, name, market: '1x2', selection: what, line: null, phase });
    else if (m[2] !== undefined) out.push({ column, name, market: 'over_under', selection: 'over', line: Number(m[2]), phase });
    else if (m[3] !== undefined) out.push({ column, name, market: 'over_under', selection: 'under', line: Number(m[3]), phase });
    else out.push({ column, name, market: 'btts', selection: what === 'bts_yes' ? 'yes' : 'no', line: null, phase });
  });
  return out;
}

/** "2009-2010" or "2009/10" → "2009-10"; a single year stays as it is. */
export function seasonName(text: string): string | null {
  const split = /^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/.exec(text.trim());
  if (split) return `${split[1]}-${split[2]!.slice(-2)}`;
  return /^\d{4}$/.test(text.trim()) ? text.trim() : null;
}

function score(text: string): number | null | 'invalid' {
  if (text === '') return null;
  return /^\d+$/.test(text) ? Number(text) : 'invalid';
}

export function parseOddsAggregate(table: CsvTable, file: string): ParsedFile {
  const prices = priceColumns(table.header);
  const rejected: Rejection[] = [];
  const warnings: Rejection[] = [];
  const matches: ParsedMatch[] = [];
  for (const row of table.rows) {
    const get = (c: string) => cellOf(table, row, c);
    const reject = (reason: string) => rejected.push({ file, line: row.line, reason });
    const competition = competitionForCountryLeague(get('country'), get('league'));
    if (!competition) {
      reject(`unknown competition ${JSON.stringify(`${get('country')}/${get('league')}`)}`);
      continue;
    }
    const dt = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?$/.exec(get('Date'));
    const day = dt ? new Date(`${dt[1]}T00:00:00Z`) : null;
    if (!dt || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== dt[1] || Number(dt[2] ?? 0) > 23 || Number(dt[3] ?? 0) > 59) {
      reject(`unparseable date ${JSON.stringify(get('Date'))} (expected YYYY-MM-DD HH:MM:SS)`);
      continue;
    }
    const kickoffAt = dt[2] !== undefined ? zonedToUtc(dt[1]!, `${dt[2]}:${dt[3]}`, FILE_ZONE) : null;
    const date = kickoffAt ? localDate(kickoffAt, competition.timezone) : dt[1]!;
    const home = get('HomeTeam');
    const away = get('AwayTeam');
    if (!home || !away) {
      reject('missing HomeTeam or AwayTeam');
      continue;
    }
    if (home === away) {
      reject(`${home} cannot play itself`);
      continue;
    }
    const hs = score(get('FTHG'));
    const as = score(get('FTAG'));
    if (hs === 'invalid' || as === 'invalid' || (hs === null) !== (as === null)) {
      reject(`non-numeric score ${JSON.stringify(`${get('FTHG')}-${get('FTAG')}`)}`);
      continue;
    }
    const final = hs !== null && as !== null;
    let hh = final ? score(get('HTHG')) : null;
    let ha = final ? score(get('HTAG')) : null;
    if (hh === 'invalid' || ha === 'invalid') {
      warnings.push({ file, line: row.line, reason: `half-time score ${JSON.stringify(`${get('HTHG')}-${get('HTAG')}`)} ignored: not numeric` });
      hh = ha = null;
    }
    const season = seasonName(get('Season')) ?? seasonForDate(date);
    const odds: ParsedOdds[] = [];
    for (const p of prices) {
      const text = row.cells[p.column] ?? '';
      if (text === '') continue;
      const price = parseDecimal(text);
      if (price === null || price <= 1) {
        warnings.push({ file, line: row.line, reason: `${p.name} ${JSON.stringify(text)} ignored: not a decimal price above 1` });
        continue;
      }
      odds.push({ bookmaker: ODDS_AGGREGATE_BOOKMAKER, market: p.market, selection: p.selection, line: p.line, price, phase: p.phase });
    }
    matches.push({
      line: row.line,
      competition,
      season,
      date,
      kickoffAt,
      home,
      away,
      status: final ? 'final' : 'scheduled',
      homeScore: final ? hs : null,
      awayScore: final ? as : null,
      homeScoreHt: hh ?? null,
      awayScoreHt: ha ?? null,
      odds,
    });
  }
  return {
    source: ODDS_AGGREGATE_SOURCE,
    matches: dropDuplicateMatches(matches, file, rejected),
    players: [],
    rejected: sortRejections(rejected),
    warnings: sortRejections(warnings),
  };
}
