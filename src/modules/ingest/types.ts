// The contract between file parsers and the writer. A parser turns one file's text into
// ParsedFile (pure, no database); the writer resolves names, upserts everything in one
// transaction per file and counts what changed. Line numbers are 1-based physical lines
// of the source file (the header is line 1 in a CSV).
import type { MatchStatus, OddsMarket, OddsPhase, PeriodScore } from '../../db/schema/index.js';

export const IMPORT_FORMATS = ['football-data', 'openfootball', 'fpl', 'nba-games', 'nfl-games'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type SportCode = 'soccer' | 'basketball' | 'american_football' | 'baseball' | 'ice_hockey';

/** Enough about a competition to create it on first sight. */
export interface CompetitionRef {
  code: string; // england-premier-league, nba, nfl
  name: string;
  sport: SportCode;
  country: string | null;
  timezone: string; // IANA zone of the source's local dates/times
}

export interface ParsedOdds {
  bookmaker: string; // bookmaker code: bet365, pinnacle, market_avg, market_max, ...
  market: OddsMarket;
  selection: string; // home draw away | over under | yes no
  line: number | null;
  price: number; // decimal odds > 1
  phase: OddsPhase;
  /** When the provider last changed this price (live feeds; kept in odds_history). */
  providerUpdatedAt?: Date | null;
}

export interface ParsedMatch {
  line: number;
  competition: CompetitionRef;
  season: string; // "2015-16" or "2019"
  /** Local calendar date YYYY-MM-DD (part of the match's identity). */
  date: string;
  /** Kick-off instant if the source gives a time. */
  kickoffAt: Date | null;
  home: string; // team name as the source spells it
  away: string;
  status: MatchStatus;
  homeScore: number | null;
  awayScore: number | null;
  homeScoreHt?: number | null;
  awayScoreHt?: number | null;
  periodScores?: PeriodScore[] | null;
  round?: string | null;
  isPlayoff?: boolean;
  neutral?: boolean;
  venue?: string | null;
  referee?: string | null;
  attendance?: number | null;
  teamStats?: { home: Record<string, number>; away: Record<string, number> } | null;
  odds: ParsedOdds[];
  /** A provider's id for the match (e.g. FPL fixture id), stored in external_ids. */
  externalId?: string | null;
}

/** A player's line for one match (FPL merged_gw rows). */
export interface ParsedPlayerMatch {
  line: number;
  /** Stable id of the player within `source` (e.g. "2019-20:376" for FPL). */
  externalId: string;
  name: string;
  position: string | null; // GK DEF MID FWD
  team: string; // team name as the source spells it
  /** Which match: the provider's match id (a ParsedMatch.externalId in the same import). */
  matchExternalId: string;
  minutes: number;
  started?: boolean | null;
  goals?: number | null;
  assists?: number | null;
  shots?: number | null;
  shotsOnTarget?: number | null;
  yellowCards?: number | null;
  redCards?: number | null;
  ownGoals?: number | null;
  saves?: number | null;
  points?: number | null;
  rebounds?: number | null;
  extra?: Record<string, number | string | boolean | null>;
}

export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

export interface ParsedFile {
  /** Source name recorded with matches and odds, and used for source-specific aliases. */
  source: string;
  matches: ParsedMatch[];
  players: ParsedPlayerMatch[];
  rejected: Rejection[];
  /** Rows imported with one part left out (an odds cell that is not a price, a bad time). */
  warnings?: Rejection[];
  /** Names for bookmaker codes the writer may not know (e.g. closing_line). */
  bookmakers?: { code: string; name: string; kind: 'bookmaker' | 'aggregate' | 'exchange' }[];
  /** Other names the source gives a team it emits as `team` (relocated franchises' old names). */
  teamAliases?: { alias: string; team: string }[];
}

export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ReviewItem {
  file: string;
  name: string;
  created_team_id: number;
  resembles: { team_id: number; name: string; similarity_pct: number };
}

/** The `--json` summary: one JSON line. */
export interface ImportSummary {
  format: ImportFormat;
  files: { file: string; status: 'imported' | 'unchanged' | 'failed'; matches: Counts; odds: Counts; players: Counts; rejected: number; error?: string }[];
  matches: Counts;
  odds: Counts;
  players: Counts;
  player_stats: Counts;
  teams_created: number;
  rejected: Rejection[];
  review: ReviewItem[];
  /** Rows imported with one part left out (see ParsedFile.warnings). */
  warnings?: Rejection[];
  duration_ms: number;
}
