// The Odds API v4 (`/v4/sports/{sport}/odds?regions&markets=h2h,spreads,totals&oddsFormat=decimal`)
// → the ingest contract. Each event becomes a scheduled match (the writer finds the match a
// fixtures source already created: same competition, local date and teams) carrying its
// prices twice: as `opening` only when no opening price is stored for that key yet (first
// seen), and as `closing`, overwritten on every sync until kick-off and never after
// (last before kick-off). Events that have started are skipped.
import { localDate } from '../ingest/parsers/zoned-time.js';
import { ENGLAND_PREMIER_LEAGUE, FRANCE_LIGUE_1, GERMANY_BUNDESLIGA, ITALY_SERIE_A, SPAIN_LALIGA } from '../ingest/parsers/soccer-competitions.js';
import type { CompetitionRef, ParsedOdds, Rejection } from '../ingest/types.js';
import type { OddsMarket } from '../../db/schema/index.js';
import { seasonLabel } from './football-data.js';
import type { ProviderMatch } from './sync.js';

export const ODDS_API_SOURCE = 'the-odds-api';

export const ODDS_API_SPORTS: Record<string, CompetitionRef> = {
  soccer_epl: ENGLAND_PREMIER_LEAGUE,
  soccer_germany_bundesliga: GERMANY_BUNDESLIGA,
  soccer_spain_la_liga: SPAIN_LALIGA,
  soccer_italy_serie_a: ITALY_SERIE_A,
  soccer_france_ligue_one: FRANCE_LIGUE_1,
};

interface Outcome {
  name: string;
  price: number;
  point?: number;
}
interface OddsEvent {
  id: string;
  sport_key: string;
  commence_time: string;
  home_team: string;
  away_team: string;
  bookmakers?: { key: string; title: string; last_update?: string; markets?: { key: string; outcomes?: Outcome[] }[] }[];
}

/** Stored-opening keys: `${eventId}|${bookmaker}|${market}|${selection}|${line}`. */
export type OpeningKeys = Set<string>;

export function oddsKey(eventId: string, o: Pick<ParsedOdds, 'bookmaker' | 'market' | 'selection' | 'line'>): string {
  return `${eventId}|${o.bookmaker}|${o.market}|${o.selection}|${o.line ?? ''}`;
}

function prices(ev: OddsEvent): Omit<ParsedOdds, 'phase'>[] {
  const out: Omit<ParsedOdds, 'phase'>[] = [];
  for (const b of ev.bookmakers ?? []) {
    for (const m of b.markets ?? []) {
      for (const o of m.outcomes ?? []) {
        if (!(typeof o.price === 'number' && o.price > 1)) continue;
        let market: OddsMarket;
        let selection: string;
        let line: number | null = null;
        if (m.key === 'h2h') {
          market = '1x2';
          selection = o.name === ev.home_team ? 'home' : o.name === ev.away_team ? 'away' : o.name === 'Draw' ? 'draw' : '';
        } else if (m.key === 'spreads') {
          market = 'asian_handicap';
          selection = o.name === ev.home_team ? 'home' : o.name === ev.away_team ? 'away' : '';
          // One line per market row: the home side's handicap, as the CSV importers store it.
          line = typeof o.point === 'number' ? (selection === 'home' ? o.point : -o.point) : null;
        } else if (m.key === 'totals') {
          market = 'over_under';
          selection = o.name.toLowerCase();
          line = typeof o.point === 'number' ? o.point : null;
        } else continue;
        if (!selection || (m.key !== 'h2h' && line === null)) continue;
        const updated = b.last_update ? new Date(b.last_update) : null;
        out.push({ bookmaker: b.key, market, selection, line, price: o.price, providerUpdatedAt: updated && !Number.isNaN(updated.getTime()) ? updated : null });
      }
    }
  }
  return out;
}

export function parseOddsApiEvents(body: unknown, sport: string, file: string, now: Date, openings: OpeningKeys): { matches: ProviderMatch[]; rejected: Rejection[]; bookmakers: { code: string; name: string; kind: 'bookmaker' }[] } {
  const competition = ODDS_API_SPORTS[sport];
  const rejected: Rejection[] = [];
  const bookmakers = new Map<string, string>();
  if (!competition) return { matches: [], rejected: [{ file, line: 0, reason: `unknown odds sport ${sport}` }], bookmakers: [] };
  if (!Array.isArray(body)) return { matches: [], rejected: [{ file, line: 0, reason: 'response is not an array of events' }], bookmakers: [] };
  const matches: ProviderMatch[] = [];
  body.forEach((ev: OddsEvent, i) => {
    const line = i + 1;
    const kickoff = new Date(ev?.commence_time);
    if (!ev?.id || !ev.home_team || !ev.away_team || Number.isNaN(kickoff.getTime())) {
      rejected.push({ file, line, reason: `event ${ev?.id ?? '?'}: missing id, teams or commence_time` });
      return;
    }
    if (kickoff.getTime() <= now.getTime()) return; // started: the closing prices are final
    for (const b of ev.bookmakers ?? []) bookmakers.set(b.key, b.title);
    const odds: ParsedOdds[] = [];
    for (const p of prices(ev)) {
      odds.push({ ...p, phase: 'closing' });
      if (!openings.has(oddsKey(ev.id, p))) odds.push({ ...p, phase: 'opening' });
    }
    matches.push({
      parsed: {
        line,
        competition,
        season: seasonLabel(undefined, undefined, kickoff),
        date: localDate(kickoff, competition.timezone),
        kickoffAt: kickoff,
        home: ev.home_team,
        away: ev.away_team,
        status: 'scheduled',
        homeScore: null,
        awayScore: null,
        odds,
        externalId: ev.id,
      },
      homeExternalId: null,
      awayExternalId: null,
    });
  });
  return { matches, rejected, bookmakers: [...bookmakers].map(([code, name]) => ({ code, name, kind: 'bookmaker' as const })) };
}

/** The Odds API's soccer player markets Sharpline prices, in the props' terms (prop, and the line a Yes/No means). */
export const PLAYER_MARKETS: Record<string, { prop: string; yesNoLine?: number }> = {
  player_goal_scorer_anytime: { prop: 'goals', yesNoLine: 0.5 },
  player_assists: { prop: 'assists' },
  player_to_receive_card: { prop: 'cards', yesNoLine: 0.5 },
  player_shots_on_target: { prop: 'shots_on_target' },
  player_shots: { prop: 'shots' },
};

export interface PlayerPrice {
  /** The player as the bookmaker names him (the outcome's `description`). */
  player: string;
  bookmaker: string;
  prop: string;
  selection: 'over' | 'under';
  line: number;
  price: number;
}

/**
 * One event's `/events/{id}/odds?markets=player_…` body → player prices. Yes/No markets
 * become over/under their line (an anytime scorer's Yes = goals over 0.5); Over/Under ones
 * keep their `point`. Markets outside PLAYER_MARKETS are ignored.
 */
export function parseOddsApiPlayerProps(body: unknown): { prices: PlayerPrice[]; bookmakers: { code: string; name: string; kind: 'bookmaker' }[] } | null {
  const ev = body as OddsEvent | null;
  if (!ev || typeof ev !== 'object' || Array.isArray(ev) || !ev.id) return null;
  const prices: PlayerPrice[] = [];
  const bookmakers = new Map<string, string>();
  for (const b of ev.bookmakers ?? []) {
    for (const m of b.markets ?? []) {
      const spec = PLAYER_MARKETS[m.key];
      if (!spec) continue;
      bookmakers.set(b.key, b.title);
      for (const o of (m.outcomes ?? []) as (Outcome & { description?: string })[]) {
        if (!o.description || !(typeof o.price === 'number' && o.price > 1)) continue;
        const name = o.name.toLowerCase();
        const selection = name === 'yes' || name === 'over' ? 'over' : name === 'no' || name === 'under' ? 'under' : null;
        const line = spec.yesNoLine ?? (typeof o.point === 'number' ? o.point : null);
        if (!selection || line === null) continue;
        prices.push({ player: o.description, bookmaker: b.key, prop: spec.prop, selection, line, price: o.price });
      }
    }
  }
  return { prices, bookmakers: [...bookmakers].map(([code, name]) => ({ code, name, kind: 'bookmaker' as const })) };
}
