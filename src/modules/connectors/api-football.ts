// API-Football v3 (api-sports.io) → the ingest contract. Pure: response bodies in, rows out.
// `/fixtures?league&season` gives matches (live statuses included, so one call per league
// keeps scores current), `/odds?league&season` prices keyed by fixture id, `/fixtures/lineups`
// the starting XI and bench of one fixture, `/injuries?league&season` who misses which
// fixture and why. Every body is the provider's envelope {get, parameters, errors, results,
// paging, response}; a non-empty `errors` is the provider refusing the call (HTTP 200).
import { localDate } from '../ingest/parsers/zoned-time.js';
import { ENGLAND_PREMIER_LEAGUE, FRANCE_LIGUE_1, GERMANY_BUNDESLIGA, ITALY_SERIE_A, SPAIN_LALIGA } from '../ingest/parsers/soccer-competitions.js';
import type { CompetitionRef, ParsedMatch, ParsedOdds, Rejection } from '../ingest/types.js';
import type { MatchStatus, OddsMarket } from '../../db/schema/index.js';
import { seasonLabel } from './football-data.js';
import { ProviderError, QuotaExhaustedError } from './http-client.js';
import { oddsKey, type OpeningKeys } from './odds-api.js';
import type { ProviderMatch } from './sync.js';

export const API_FOOTBALL_SOURCE = 'api-football';

/** API-Football league ids → Sharpline's competitions, with the football-data.org code each answers to. */
export const API_FOOTBALL_LEAGUES: Record<string, { code: string; competition: CompetitionRef }> = {
  '39': { code: 'PL', competition: ENGLAND_PREMIER_LEAGUE },
  '78': { code: 'BL1', competition: GERMANY_BUNDESLIGA },
  '140': { code: 'PD', competition: SPAIN_LALIGA },
  '135': { code: 'SA', competition: ITALY_SERIE_A },
  '61': { code: 'FL1', competition: FRANCE_LIGUE_1 },
};

/** A league id, or the competition code it answers to (PL → 39); null when unknown. */
export function apiFootballLeague(idOrCode: string): string | null {
  if (API_FOOTBALL_LEAGUES[idOrCode]) return idOrCode;
  const hit = Object.entries(API_FOOTBALL_LEAGUES).find(([, v]) => v.code === idOrCode.toUpperCase());
  return hit ? hit[0] : null;
}

const STATUS: Record<string, MatchStatus> = {
  TBD: 'scheduled',
  NS: 'scheduled',
  '1H': 'in_progress',
  HT: 'in_progress',
  '2H': 'in_progress',
  ET: 'in_progress',
  BT: 'in_progress',
  P: 'in_progress',
  INT: 'in_progress',
  LIVE: 'in_progress',
  FT: 'final',
  AET: 'final',
  PEN: 'final',
  AWD: 'final',
  WO: 'final',
  SUSP: 'postponed',
  PST: 'postponed',
  CANC: 'cancelled',
  ABD: 'cancelled',
};

interface Envelope {
  errors?: unknown;
  paging?: { current?: number; total?: number };
  response?: unknown;
}

/**
 * The envelope's `response` array and paging. Throws when the provider refused the call
 * (`errors` set: a spent day → QuotaExhaustedError) or the body is not the envelope.
 */
export function apiFootballResponse(body: unknown, page: string): { items: unknown[]; totalPages: number } {
  const env = body as Envelope | null;
  if (!env || typeof env !== 'object' || Array.isArray(env)) throw new ProviderError(API_FOOTBALL_SOURCE, `malformed body on ${page}: not an API-Football envelope`, 200);
  const errors = env.errors;
  const entries = Array.isArray(errors) ? errors.map((e, i) => [String(i), e] as const) : errors && typeof errors === 'object' ? Object.entries(errors) : [];
  if (entries.length > 0) {
    if (entries.some(([k]) => k === 'requests')) throw new QuotaExhaustedError(API_FOOTBALL_SOURCE, 0);
    throw new ProviderError(API_FOOTBALL_SOURCE, `refused ${page}: ${entries.map(([k, v]) => `${k}: ${String(v)}`).join('; ')}`, 200);
  }
  if (!Array.isArray(env.response)) throw new ProviderError(API_FOOTBALL_SOURCE, `malformed body on ${page}: no response array`, 200);
  return { items: env.response, totalPages: Math.max(1, Number(env.paging?.total) || 1) };
}

interface AfTeam {
  id?: number | null;
  name?: string | null;
}
interface AfFixture {
  fixture?: { id?: number; date?: string; referee?: string | null; venue?: { name?: string | null } | null; status?: { short?: string } };
  league?: { round?: string | null; season?: number };
  teams?: { home?: AfTeam; away?: AfTeam };
  goals?: { home: number | null; away: number | null };
  score?: { halftime?: { home: number | null; away: number | null } };
}

export function parseApiFootballFixtures(items: unknown[], league: string, file: string): { matches: ProviderMatch[]; rejected: Rejection[] } {
  const entry = API_FOOTBALL_LEAGUES[league];
  if (!entry) return { matches: [], rejected: [{ file, line: 0, reason: `unknown API-Football league ${league}` }] };
  const { competition } = entry;
  const rejected: Rejection[] = [];
  const matches: ProviderMatch[] = [];
  items.forEach((raw, i) => {
    const f = raw as AfFixture;
    const line = i + 1;
    const id = f?.fixture?.id;
    const kickoff = new Date(f?.fixture?.date ?? '');
    const status = STATUS[f?.fixture?.status?.short ?? ''];
    if (typeof id !== 'number' || Number.isNaN(kickoff.getTime()) || !status) {
      rejected.push({ file, line, reason: `fixture ${id ?? '?'}: missing id, date or known status (${f?.fixture?.status?.short})` });
      return;
    }
    const home = f.teams?.home;
    const away = f.teams?.away;
    if (!home?.id || !home.name || !away?.id || !away.name) {
      rejected.push({ file, line, reason: `fixture ${id}: teams not decided yet` });
      return;
    }
    const scored = status === 'final' || status === 'in_progress';
    const season = typeof f.league?.season === 'number' ? seasonLabel(`${f.league.season}-07-01`, `${f.league.season + 1}-06-30`, kickoff) : seasonLabel(undefined, undefined, kickoff);
    const round = f.league?.round?.match(/(\d+)\s*$/)?.[1] ?? f.league?.round ?? null;
    const parsed: ParsedMatch = {
      line,
      competition,
      season,
      date: localDate(kickoff, competition.timezone),
      kickoffAt: kickoff,
      home: home.name,
      away: away.name,
      status,
      homeScore: scored ? (f.goals?.home ?? 0) : null,
      awayScore: scored ? (f.goals?.away ?? 0) : null,
      homeScoreHt: scored ? (f.score?.halftime?.home ?? null) : null,
      awayScoreHt: scored ? (f.score?.halftime?.away ?? null) : null,
      round,
      // Referees come as "A. Taylor, England"; the name is what the other sources store.
      referee: f.fixture?.referee ? f.fixture.referee.split(',')[0]!.trim() : null,
      odds: [],
      externalId: String(id),
    };
    matches.push({ parsed, homeExternalId: String(home.id), awayExternalId: String(away.id) });
  });
  return { matches, rejected };
}

interface AfOddsItem {
  fixture?: { id?: number };
  bookmakers?: { id?: number; name?: string; bets?: { id?: number; name?: string; values?: { value?: string | number; odd?: string | number }[] }[] }[];
}

/** Bookmaker codes as the other sources spell them (bet365, pinnacle), else a slug of the name. */
export const bookmakerCode = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** One value of a bet → market, selection and line (home-side handicap for asian_handicap). */
function priceOf(bet: string, value: string): { market: OddsMarket; selection: string; line: number | null } | null {
  if (bet === 'Match Winner') {
    const selection = { Home: 'home', Draw: 'draw', Away: 'away' }[value];
    return selection ? { market: '1x2', selection, line: null } : null;
  }
  if (bet === 'Goals Over/Under') {
    const m = /^(Over|Under)\s+(\d+(?:\.\d+)?)$/.exec(value);
    return m ? { market: 'over_under', selection: m[1]!.toLowerCase(), line: Number(m[2]) } : null;
  }
  if (bet === 'Asian Handicap') {
    const m = /^(Home|Away)\s*([+-]?\d+(?:\.\d+)?)$/.exec(value);
    if (!m) return null;
    const side = m[1] === 'Home' ? 'home' : 'away';
    const line = Number(m[2]);
    return { market: 'asian_handicap', selection: side, line: side === 'home' ? line : -line };
  }
  if (bet === 'Both Teams Score') {
    const selection = { Yes: 'yes', No: 'no' }[value];
    return selection ? { market: 'btts', selection, line: null } : null;
  }
  return null;
}

/**
 * `/odds` items → prices per fixture id. Fixtures that have kicked off (by `kickoffOf`) are
 * skipped: their closing prices are final (decision 0026). An opening row is added for each
 * price whose key has no stored opening yet.
 */
export function parseApiFootballOdds(
  items: unknown[],
  file: string,
  now: Date,
  kickoffOf: (fixtureId: string) => Date | null | undefined,
  openings: OpeningKeys,
): { odds: Map<string, ParsedOdds[]>; rejected: Rejection[]; bookmakers: { code: string; name: string; kind: 'bookmaker' }[] } {
  const out = new Map<string, ParsedOdds[]>();
  const rejected: Rejection[] = [];
  const bookmakers = new Map<string, string>();
  items.forEach((raw, i) => {
    const it = raw as AfOddsItem;
    const id = it?.fixture?.id;
    if (typeof id !== 'number') {
      rejected.push({ file, line: i + 1, reason: 'odds item without a fixture id' });
      return;
    }
    const ext = String(id);
    const kickoff = kickoffOf(ext);
    if (kickoff === undefined) {
      rejected.push({ file, line: i + 1, reason: `odds for fixture ${ext}, which is not among this league's fixtures` });
      return;
    }
    if (kickoff !== null && kickoff.getTime() <= now.getTime()) return;
    const rows: ParsedOdds[] = [];
    for (const b of it.bookmakers ?? []) {
      if (!b?.name) continue;
      const code = bookmakerCode(b.name);
      bookmakers.set(code, b.name);
      for (const bet of b.bets ?? []) {
        for (const v of bet.values ?? []) {
          const price = Number(v.odd);
          const p = priceOf(bet.name ?? '', String(v.value ?? ''));
          if (!p || !(price > 1)) continue;
          const row = { bookmaker: code, ...p, price };
          rows.push({ ...row, phase: 'closing' });
          if (!openings.has(oddsKey(ext, row))) rows.push({ ...row, phase: 'opening' });
        }
      }
    }
    out.set(ext, [...(out.get(ext) ?? []), ...rows]);
  });
  return { odds: out, rejected, bookmakers: [...bookmakers].map(([code, name]) => ({ code, name, kind: 'bookmaker' as const })) };
}

/** A player as a squad source names him: provider id, name, position (GK DEF MID FWD) and team id. */
export interface ProviderPlayer {
  externalId: string;
  name: string;
  position: string | null;
  teamExternalId: string;
}

export interface LineupRow extends ProviderPlayer {
  role: 'starter' | 'bench';
  shirtNumber: number | null;
  grid: string | null;
}

const POSITIONS: Record<string, string> = { G: 'GK', D: 'DEF', M: 'MID', F: 'FWD' };

interface AfLineupPlayer {
  player?: { id?: number; name?: string; number?: number | null; pos?: string | null; grid?: string | null };
}
interface AfLineup {
  team?: { id?: number };
  startXI?: AfLineupPlayer[];
  substitutes?: AfLineupPlayer[];
}

export function parseApiFootballLineups(items: unknown[], file: string): { rows: LineupRow[]; rejected: Rejection[] } {
  const rows: LineupRow[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, i) => {
    const l = raw as AfLineup;
    const team = l?.team?.id;
    if (typeof team !== 'number') {
      rejected.push({ file, line: i + 1, reason: 'lineup without a team id' });
      return;
    }
    for (const [role, list] of [
      ['starter', l.startXI],
      ['bench', l.substitutes],
    ] as const) {
      for (const p of list ?? []) {
        if (typeof p?.player?.id !== 'number' || !p.player.name) {
          rejected.push({ file, line: i + 1, reason: `team ${team}: a ${role} without an id or name` });
          continue;
        }
        rows.push({
          externalId: String(p.player.id),
          name: p.player.name,
          position: POSITIONS[p.player.pos ?? ''] ?? null,
          teamExternalId: String(team),
          role,
          shirtNumber: typeof p.player.number === 'number' ? p.player.number : null,
          grid: p.player.grid ?? null,
        });
      }
    }
  });
  return { rows, rejected };
}

/** available | doubtful | injured | suspended | unavailable (players.injury_status). */
export type InjuryStatus = 'available' | 'doubtful' | 'injured' | 'suspended' | 'unavailable';
/** The statuses that rule a player out of a match: props leave him out and say why. */
export const RULED_OUT: readonly InjuryStatus[] = ['injured', 'suspended', 'unavailable'];

export interface InjuryRow extends ProviderPlayer {
  status: InjuryStatus;
  reason: string;
  fixtureExternalId: string;
  fixtureDate: Date;
}

/** "Missing Fixture" is out (suspended when the reason says so), "Questionable" doubtful. */
export function injuryStatusOf(type: string, reason: string): InjuryStatus {
  if (/questionable|doubtful/i.test(type)) return 'doubtful';
  if (/suspen|red card|yellow card/i.test(reason)) return 'suspended';
  if (/injur|knock|strain|sprain|fracture|surgery|illness|ill\b|virus|knee|ankle|hamstring|groin|calf|muscle|thigh|back|foot|shoulder|concussion|achilles|acl/i.test(reason)) return 'injured';
  return 'unavailable';
}

interface AfInjury {
  player?: { id?: number; name?: string; type?: string; reason?: string };
  team?: { id?: number };
  fixture?: { id?: number; date?: string };
}

export function parseApiFootballInjuries(items: unknown[], file: string): { rows: InjuryRow[]; rejected: Rejection[] } {
  const rows: InjuryRow[] = [];
  const rejected: Rejection[] = [];
  items.forEach((raw, i) => {
    const it = raw as AfInjury;
    const date = new Date(it?.fixture?.date ?? '');
    if (typeof it?.player?.id !== 'number' || !it.player.name || typeof it.team?.id !== 'number' || typeof it.fixture?.id !== 'number' || Number.isNaN(date.getTime())) {
      rejected.push({ file, line: i + 1, reason: 'injury without a player, team or fixture' });
      return;
    }
    const type = it.player.type ?? '';
    const reason = it.player.reason ?? type;
    rows.push({
      externalId: String(it.player.id),
      name: it.player.name,
      position: null,
      teamExternalId: String(it.team.id),
      status: injuryStatusOf(type, reason),
      reason,
      fixtureExternalId: String(it.fixture.id),
      fixtureDate: date,
    });
  });
  return { rows, rejected };
}

/**
 * Each player's status now: from his earliest listed fixture that is today or later (UTC
 * dates); entries for fixtures already played say nothing about the next one.
 */
export function currentInjuries(rows: InjuryRow[], now: Date): Map<string, InjuryRow> {
  const today = now.toISOString().slice(0, 10);
  const out = new Map<string, InjuryRow>();
  for (const r of rows) {
    if (r.fixtureDate.toISOString().slice(0, 10) < today) continue;
    const cur = out.get(r.externalId);
    if (!cur || r.fixtureDate < cur.fixtureDate) out.set(r.externalId, r);
  }
  return out;
}
