// openfootball JSON (github.com/openfootball/football.json): one file per league and
// season, SEASON/{en.1,de.1,...}.json = {name, matches[{round, date, time, team1, team2,
// score{ft, ht}}]}. Dates and times are local to the league. A match without score.ft is
// a scheduled fixture. The older layout (team objects, score1/score2) is read too.
import { basename, dirname } from 'node:path';
import { UnprocessableError } from '../../../platform/errors.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, Rejection } from '../types.js';
import { arrayElementLines } from './json-lines.js';
import { dropDuplicateMatches, sortRejections } from './match-checks.js';
import {
  ENGLAND_PREMIER_LEAGUE,
  FRANCE_LIGUE_1,
  GERMANY_BUNDESLIGA,
  ITALY_SERIE_A,
  SPAIN_LALIGA,
} from './soccer-competitions.js';
import { isCalendarDate } from './values.js';
import { zonedToUtc } from './zoned-time.js';

export const OPENFOOTBALL_SOURCE = 'openfootball';

/** openfootball's file names (country code . division) → our competitions. */
export const OPENFOOTBALL_COMPETITIONS: Readonly<Record<string, CompetitionRef>> = {
  'en.1': ENGLAND_PREMIER_LEAGUE,
  'de.1': GERMANY_BUNDESLIGA,
  'es.1': SPAIN_LALIGA,
  'it.1': ITALY_SERIE_A,
  'fr.1': FRANCE_LIGUE_1,
};

/** "English Premier League 2019/20" → "2019-20"; "... 2019" → "2019"; else the folder name. */
export function openfootballSeason(name: unknown, file: string): string | null {
  const text = typeof name === 'string' ? name : '';
  const split = /\b(\d{4})\/(\d{2}|\d{4})\b/.exec(text);
  if (split) return `${split[1]}-${split[2]!.slice(-2)}`;
  const folder = /^(\d{4})-(\d{2}|\d{4})$/.exec(basename(dirname(file)));
  if (folder) return `${folder[1]}-${folder[2]!.slice(-2)}`;
  const year = /\b(\d{4})\b/.exec(text);
  return year ? year[1]! : null;
}

function competitionOf(file: string): CompetitionRef {
  const key = basename(file).replace(/\.json$/i, '');
  const ref = OPENFOOTBALL_COMPETITIONS[key];
  if (!ref) {
    throw new UnprocessableError(
      `${file}: cannot tell the competition: openfootball files are named ${Object.keys(OPENFOOTBALL_COMPETITIONS)
        .map((k) => `${k}.json`)
        .join(', ')}`,
    );
  }
  return ref;
}

function teamName(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
    return (value as { name: string }).name.trim() || null;
  }
  return null;
}

type Pair = [number, number];
/** A score pair: undefined when absent, null when present but not two whole numbers. */
function scorePair(value: unknown): Pair | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    return value as Pair;
  }
  return null;
}

function legacyPair(a: unknown, b: unknown): Pair | null | undefined {
  if (a === undefined && b === undefined) return undefined;
  return scorePair([a, b]);
}

const TIME = /^(\d{1,2}):(\d{2})(?:\s*UTC([+-]\d{1,2}))?$/;

/** Kick-off from a local time, or one with an explicit "UTC+2" offset as later files have. */
function kickoff(date: string, time: unknown, timezone: string): Date | null | 'invalid' {
  if (time === undefined || time === null || time === '') return null;
  const m = typeof time === 'string' ? TIME.exec(time.trim()) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return 'invalid';
  const hhmm = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  if (m[3] === undefined) return zonedToUtc(date, hhmm, timezone);
  const asUtc = new Date(`${date}T${hhmm}:00Z`);
  return new Date(asUtc.getTime() - Number(m[3]) * 3_600_000);
}

interface MatchCtx {
  file: string;
  competition: CompetitionRef;
  season: string;
  /** First day of the season's first round, for split seasons ("2019-20"); else null. */
  seasonStart: string | null;
  warnings: Rejection[];
}

/**
 * The earliest date of the file's first round (the round of its first match). Only split
 * seasons get one: a calendar-year season has no "wrong year" to detect.
 */
function firstRoundStart(rawMatches: unknown[], season: string): string | null {
  if (!season.includes('-')) return null;
  const round = (rawMatches[0] as { round?: unknown } | undefined)?.round;
  if (round === undefined) return null;
  const dates = rawMatches
    .filter((m) => (m as { round?: unknown }).round === round)
    .map((m) => (m as { date?: unknown }).date)
    .filter((d): d is string => typeof d === 'string' && isCalendarDate(d));
  return dates.length > 0 ? dates.reduce((a, b) => (a < b ? a : b)) : null;
}

/**
 * openfootball's 2019-20 en.1.json dates the 66 matches played in July 2020 (after the
 * Covid pause) as July 2019, before the season began. A date before the first round that
 * lands inside the season one year later is read that way and reported as a warning;
 * anything else before the first round is rejected.
 */
function seasonDate(date: string, ctx: MatchCtx, line: number): string | { reject: string } {
  if (!ctx.seasonStart || date >= ctx.seasonStart) return date;
  const shifted = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
  const seasonEnd = `${Number(ctx.seasonStart.slice(0, 4)) + 1}${ctx.seasonStart.slice(4)}`;
  if (isCalendarDate(shifted) && shifted < seasonEnd) {
    ctx.warnings.push({
      file: ctx.file,
      line,
      reason: `date ${date} is before the season's first round (${ctx.seasonStart}): read as ${shifted}, the source's year is wrong`,
    });
    return shifted;
  }
  return { reject: `date ${date} is before the season's first round (${ctx.seasonStart})` };
}

function parseMatch(raw: unknown, line: number, ctx: MatchCtx): ParsedMatch | string {
  if (!raw || typeof raw !== 'object') return 'match is not an object';
  const m = raw as Record<string, unknown>;
  const written = typeof m.date === 'string' ? m.date.trim() : '';
  if (!isCalendarDate(written)) return `invalid date ${JSON.stringify(m.date ?? null)} (expected YYYY-MM-DD)`;
  const home = teamName(m.team1);
  const away = teamName(m.team2);
  if (!home || !away) return 'missing team1 or team2';
  if (home === away) return `${home} cannot play itself`;
  const score = (m.score && typeof m.score === 'object' ? m.score : {}) as Record<string, unknown>;
  const ft = score.ft !== undefined ? scorePair(score.ft) : legacyPair(m.score1, m.score2);
  if (ft === null) return `non-numeric full-time score ${JSON.stringify(score.ft ?? [m.score1, m.score2])}`;
  const ht = score.ht !== undefined ? scorePair(score.ht) : legacyPair(m.score1i, m.score2i);
  if (ht === null) return `non-numeric half-time score ${JSON.stringify(score.ht ?? [m.score1i, m.score2i])}`;
  const date = seasonDate(written, ctx, line);
  if (typeof date !== 'string') return date.reject;
  let kickoffAt = kickoff(date, m.time, ctx.competition.timezone);
  if (kickoffAt === 'invalid') {
    ctx.warnings.push({ file: ctx.file, line, reason: `time ${JSON.stringify(m.time)} ignored: expected HH:MM` });
    kickoffAt = null;
  }
  return {
    line,
    competition: ctx.competition,
    season: ctx.season,
    date,
    kickoffAt,
    home,
    away,
    status: ft ? 'final' : 'scheduled',
    homeScore: ft ? ft[0] : null,
    awayScore: ft ? ft[1] : null,
    homeScoreHt: ft && ht ? ht[0] : null,
    awayScoreHt: ft && ht ? ht[1] : null,
    round: typeof m.round === 'string' && m.round.trim() ? m.round.trim() : null,
    odds: [],
  };
}

/** Parses one openfootball league-season file. `file` names the competition (en.1.json). */
export function parseOpenfootball(text: string, file: string): ParsedFile {
  const competition = competitionOf(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UnprocessableError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const rawMatches = doc && typeof doc === 'object' ? (doc as { matches?: unknown }).matches : undefined;
  const lines = arrayElementLines(text, 'matches');
  if (!Array.isArray(rawMatches) || !lines || lines.length !== rawMatches.length) {
    throw new UnprocessableError(`${file}: expected an object with a "matches" array (openfootball's layout)`);
  }
  const season = openfootballSeason((doc as { name?: unknown }).name, file);
  if (!season) throw new UnprocessableError(`${file}: cannot tell the season from its "name" or its folder`);

  const rejected: Rejection[] = [];
  const warnings: Rejection[] = [];
  const parsed: ParsedMatch[] = [];
  const ctx: MatchCtx = { file, competition, season, seasonStart: firstRoundStart(rawMatches, season), warnings };
  rawMatches.forEach((raw, i) => {
    const line = lines[i]!;
    const result = parseMatch(raw, line, ctx);
    if (typeof result === 'string') rejected.push({ file, line, reason: result });
    else parsed.push(result);
  });
  const matches = dropDuplicateMatches(parsed, file, rejected);
  return { source: OPENFOOTBALL_SOURCE, matches, players: [], rejected: sortRejections(rejected), warnings };
}
