// Which bets the business rules allow, and why not (seed 004's `_is_bet_allowed` returning
// the list of reasons). Pure: the ruleset, the user and `now` come in.
//
// - A user with an entry in user_overrides gets that entry's rules, forbidden_combos and
//   allowed_stat_types INSTEAD of the global ones; everyone else gets the global ones.
// - A rule applies to its `applies_to.sport` (a sport code or alias: nba = basketball), or
//   to every sport when it is "all" or absent, and only while `now` is inside its
//   time_window (start inclusive, end exclusive, UTC); a null window is always active.
// - A forbidden combo matches a bet when every element of the combo is one of the bet's
//   tokens: its sport code and aliases, bet_type, market, selection, stat_type, player,
//   team and opponent — compared without case or accents.
import { canonicalSportCode } from '../catalog/sports.js';
import { rulesFor, type Rule, type Ruleset } from './ruleset.js';

export interface RuleSubject {
  bet_id: string;
  sport: string;
  bet_type: string;
  market: string;
  selection: string;
  stat_type: string | null;
  player_name: string | null;
  team: string | null;
  opponent: string | null;
  match_id: number;
  odds: number;
  expected_value: number;
  risk_score: number;
  ml_confidence: number;
  kelly_fraction: number;
}

export interface Violation {
  rule_id: string;
  reason: string;
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim();

const ALIASES: Record<string, string[]> = { basketball: ['nba'], american_football: ['nfl'], baseball: ['mlb'], ice_hockey: ['nhl'], mma: ['ufc'] };

function tokensOf(b: RuleSubject): Set<string> {
  const t = new Set<string>();
  for (const v of [b.sport, ...(ALIASES[b.sport] ?? []), b.bet_type, b.market, b.selection, b.stat_type, b.player_name, b.team, b.opponent]) if (v) t.add(fold(v));
  return t;
}

export function isActive(rule: Rule, now: Date): boolean {
  if (!rule.time_window) return true;
  const t = now.getTime();
  return t >= Date.parse(rule.time_window.start) && t < Date.parse(rule.time_window.end);
}

function appliesToSport(rule: Rule, sport: string): boolean {
  const s = rule.applies_to?.sport;
  if (s === undefined || fold(s) === 'all') return true;
  return canonicalSportCode(s) === sport;
}

const fmt = (x: number) => String(Math.round(x * 1e4) / 1e4);
const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** Violations per bet id (bets without any are absent from the map). */
export function checkBets(ruleset: Ruleset, userId: string | null, subjects: readonly RuleSubject[], now: Date): Map<string, Violation[]> {
  const scope = rulesFor(ruleset, userId);
  const tag = (id: string) => (scope.source === 'user' ? ` (user rule ${id})` : '');
  const out = new Map<string, Violation[]>();
  const add = (bet: string, v: Violation) => out.set(bet, [...(out.get(bet) ?? []), v]);
  const active = scope.rules.filter((r) => isActive(r, now));
  const sorted = [...subjects].sort((a, b) => b.expected_value - a.expected_value || (a.bet_id < b.bet_id ? -1 : 1));
  const perMatch = new Map<string, Map<number, number>>();
  for (const b of sorted) {
    const tokens = tokensOf(b);
    const stat = b.stat_type ? fold(b.stat_type) : null;
    for (const combo of scope.forbiddenCombos) {
      if (combo.every((c) => tokens.has(fold(c)))) add(b.bet_id, { rule_id: scope.source === 'user' ? `user:${userId}:forbidden_combos` : 'forbidden_combos', reason: `Forbidden combo: ${list(combo)}${scope.source === 'user' ? ` (user ${userId})` : ''}` });
    }
    if (scope.allowedStatTypes && stat !== null && !scope.allowedStatTypes.some((s) => fold(s) === stat)) {
      add(b.bet_id, { rule_id: scope.source === 'user' ? `user:${userId}:allowed_stat_types` : 'allowed_stat_types', reason: `Stat type '${b.stat_type}' not allowed` });
    }
    for (const r of active) {
      if (!appliesToSport(r, b.sport)) continue;
      const v = typeof r.value === 'number' ? r.value : NaN;
      const values = Array.isArray(r.value) ? r.value : [];
      switch (r.type) {
        case 'expected_value_min':
          if (b.expected_value < v) add(b.bet_id, { rule_id: r.id, reason: `Expected value ${fmt(b.expected_value)} below minimum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'risk_score_max':
          if (b.risk_score > v) add(b.bet_id, { rule_id: r.id, reason: `Risk score ${fmt(b.risk_score)} above maximum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'ml_confidence_min':
          if (b.ml_confidence < v) add(b.bet_id, { rule_id: r.id, reason: `ML confidence ${fmt(b.ml_confidence)} below minimum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'kelly_fraction_max':
          if (b.kelly_fraction > v) add(b.bet_id, { rule_id: r.id, reason: `Kelly fraction ${fmt(b.kelly_fraction)} above maximum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'odds_min':
          if (b.odds < v) add(b.bet_id, { rule_id: r.id, reason: `Odds ${fmt(b.odds)} below minimum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'odds_max':
          if (b.odds > v) add(b.bet_id, { rule_id: r.id, reason: `Odds ${fmt(b.odds)} above maximum ${fmt(v)}${tag(r.id)}` });
          break;
        case 'forbidden_combo':
          if (r.combo && r.combo.every((c) => tokens.has(fold(c)))) add(b.bet_id, { rule_id: r.id, reason: `Forbidden combo (dynamic): ${list(r.combo)} (${scope.source === 'user' ? 'user ' : ''}rule ${r.id})` });
          break;
        case 'allowed_stat_types':
          if (stat !== null && !values.some((s) => fold(s) === stat)) add(b.bet_id, { rule_id: r.id, reason: `Stat type '${b.stat_type}' not allowed${tag(r.id)}` });
          break;
        case 'allowed_sports':
          if (!values.some((s) => (canonicalSportCode(s) ?? fold(s)) === b.sport)) add(b.bet_id, { rule_id: r.id, reason: `Sport '${b.sport}' not allowed${tag(r.id)}` });
          break;
        case 'max_bets_per_match': {
          // The best bets by EV keep their places; later ones of the same match are over the limit.
          const counts = perMatch.get(r.id) ?? new Map<number, number>();
          perMatch.set(r.id, counts);
          const n = counts.get(b.match_id) ?? 0;
          if (n >= v) add(b.bet_id, { rule_id: r.id, reason: `More than ${v} bets on match ${b.match_id}${tag(r.id)}` });
          else counts.set(b.match_id, n + 1);
          break;
        }
      }
    }
  }
  return out;
}
