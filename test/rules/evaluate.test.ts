// The business rules, pure: every rule type, seed 004's user precedence, time windows, and
// parsing that names the line and field of what is wrong.
import { describe, expect, it } from 'vitest';
import { checkBets, type RuleSubject } from '../../src/modules/rules/evaluate.js';
import { parseRuleset, RulesetError, type Ruleset } from '../../src/modules/rules/ruleset.js';

const bet = (over: Partial<RuleSubject> = {}): RuleSubject => ({
  bet_id: 'b1',
  sport: 'basketball',
  bet_type: 'game_line',
  market: 'spread',
  selection: 'home',
  stat_type: 'spread',
  player_name: null,
  team: 'Los Angeles Lakers',
  opponent: 'Boston Celtics',
  match_id: 1,
  odds: 1.95,
  expected_value: 0.05,
  risk_score: 0.4,
  ml_confidence: 70,
  kelly_fraction: 0.02,
  ...over,
});
const now = new Date('2025-07-28T12:00:00Z');
const reasons = (r: Ruleset, b: RuleSubject[], user: string | null = null, at = now) => Object.fromEntries([...checkBets(r, user, b, at)].map(([k, v]) => [k, v.map((x) => `${x.rule_id}: ${x.reason}`)]));

describe('checkBets', () => {
  it('applies each numeric rule type with its rule id and reason', () => {
    const r: Ruleset = {
      rules: [
        { id: 'ev', type: 'expected_value_min', value: 0.1 },
        { id: 'risk', type: 'risk_score_max', value: 0.3 },
        { id: 'conf', type: 'ml_confidence_min', value: 80 },
        { id: 'kelly', type: 'kelly_fraction_max', value: 0.01 },
        { id: 'omin', type: 'odds_min', value: 2 },
        { id: 'omax', type: 'odds_max', value: 1.5 },
      ],
    };
    const v = reasons(r, [bet()]).b1!;
    expect(v).toEqual([
      'ev: Expected value 0.05 below minimum 0.1',
      'risk: Risk score 0.4 above maximum 0.3',
      'conf: ML confidence 70 below minimum 80',
      'kelly: Kelly fraction 0.02 above maximum 0.01',
      'omin: Odds 1.95 below minimum 2',
      'omax: Odds 1.95 above maximum 1.5',
    ]);
    expect(reasons(r, [bet({ expected_value: 0.2, risk_score: 0.1, ml_confidence: 90, kelly_fraction: 0.005, odds: 1.5 })])).toEqual({ b1: ['omin: Odds 1.5 below minimum 2'] });
  });

  it('forbidden combos match tokens without case or accents, sport aliases included', () => {
    const r: Ruleset = { rules: [{ id: 'nba-lakers', type: 'forbidden_combo', combo: ['NBA', 'los angeles lakers', 'spread'] }], forbidden_combos: [['Luka Dončić', 'points', 'under']] };
    expect(reasons(r, [bet()])).toEqual({ b1: ["nba-lakers: Forbidden combo (dynamic): ['NBA', 'los angeles lakers', 'spread'] (rule nba-lakers)"] });
    const luka = bet({ bet_id: 'luka', bet_type: 'player_prop', market: 'points', stat_type: 'points', selection: 'under', player_name: 'Luka Doncic' });
    expect(reasons(r, [luka]).luka).toContain("forbidden_combos: Forbidden combo: ['Luka Dončić', 'points', 'under']");
    expect(reasons(r, [bet({ team: 'Boston Celtics' })])).toEqual({});
  });

  it('allowed stat types and sports, and max bets per match keeping the best by EV', () => {
    const r: Ruleset = {
      rules: [
        { id: 'stats', type: 'allowed_stat_types', value: ['moneyline', 'total'] },
        { id: 'sports', type: 'allowed_sports', value: ['soccer', 'nba'] },
        { id: 'two', type: 'max_bets_per_match', value: 1 },
      ],
    };
    const a = bet({ bet_id: 'a', stat_type: 'moneyline', expected_value: 0.2 });
    const b = bet({ bet_id: 'b', stat_type: 'total', expected_value: 0.1 });
    const c = bet({ bet_id: 'c', stat_type: 'spread', sport: 'american_football', match_id: 2 });
    expect(reasons(r, [b, a, c])).toEqual({
      b: ['two: More than 1 bets on match 1'],
      c: ["stats: Stat type 'spread' not allowed", "sports: Sport 'american_football' not allowed"],
    });
  });

  it('a rule applies only to its sport and inside its time window', () => {
    const r: Ruleset = {
      rules: [
        { id: 'soccer-only', applies_to: { sport: 'soccer' }, type: 'expected_value_min', value: 1 },
        { id: 'playoffs', applies_to: { sport: 'nba' }, type: 'expected_value_min', value: 1, time_window: { start: '2025-07-27T00:00:00Z', end: '2025-08-01T00:00:00Z' } },
      ],
    };
    expect(Object.keys(reasons(r, [bet()]))).toEqual(['b1']);
    expect(reasons(r, [bet()]).b1).toEqual(['playoffs: Expected value 0.05 below minimum 1']);
    expect(reasons(r, [bet()], null, new Date('2025-08-01T00:00:00Z'))).toEqual({});
    expect(reasons(r, [bet()], null, new Date('2025-07-26T23:59:59Z'))).toEqual({});
  });

  it("a user's overrides apply instead of the global rules; others fall back to global", () => {
    const r: Ruleset = {
      rules: [{ id: 'global-ev', type: 'expected_value_min', value: 1 }],
      user_overrides: { user_456: { rules: [{ id: 'user456-nba-ban', type: 'forbidden_combo', combo: ['nba', 'game_line'] }], allowed_stat_types: ['points'] } },
    };
    expect(reasons(r, [bet()], 'user_456')).toEqual({
      b1: ["user:user_456:allowed_stat_types: Stat type 'spread' not allowed", "user456-nba-ban: Forbidden combo (dynamic): ['nba', 'game_line'] (user rule user456-nba-ban)"],
    });
    expect(reasons(r, [bet()], 'someone')).toEqual({ b1: ['global-ev: Expected value 0.05 below minimum 1'] });
  });
});

describe('parseRuleset', () => {
  const refused = (text: string) => {
    try {
      parseRuleset(text);
    } catch (err) {
      if (err instanceof RulesetError) return { field: err.field, line: err.line, message: err.message };
      throw err;
    }
    throw new Error('accepted');
  };

  it('reads seed 004 YAML', () => {
    const r = parseRuleset(`rules:\n  - id: "nba-ev-boost"\n    description: "Boost"\n    applies_to:\n      sport: "nba"\n    type: "expected_value_min"\n    value: 0.10\n    time_window:\n      start: "2025-07-27T00:00:00Z"\n      end: "2025-08-01T00:00:00Z"\nuser_overrides:\n  user_123:\n    forbidden_combos:\n      - ["LeBron James", "points", "under"]\n`);
    expect(r.rules[0]!.value).toBe(0.1);
    expect(r.user_overrides!.user_123!.forbidden_combos).toEqual([['LeBron James', 'points', 'under']]);
  });

  it.each([
    ['rules:\n  - id: a\n    type: expected_value_min\n    value: "high"\n', 'rules.0.value', 4],
    ['rules:\n  - id: a\n    type: bogus\n    value: 1\n', 'rules.0.type', 3],
    ['rules:\n  - id: a\n    type: odds_min\n    value: 1\n  - id: a\n    type: odds_max\n    value: 5\n', 'rules.1.id', 5],
    ['rules:\n  - id: a\n    type: odds_min\n    value: 1\n    applies_to:\n      sport: quidditch\n', 'rules.0.applies_to.sport', 6],
    ['rules:\n  - id: a\n    type: odds_min\n    value: 1\n    time_window:\n      start: "2025-08-01T00:00:00Z"\n      end: "yesterday"\n', 'rules.0.time_window.end', 7],
    ['rules:\n  - id: a\n    type: forbidden_combo\n', 'rules.0.combo', 2],
    ['rules: [\n', null, 2],
    ['- just a list\n', null, 1],
  ])('refuses %j naming %s at line %s', (text, field, line) => {
    const r = refused(text);
    expect(r.field).toBe(field);
    expect(r.line).toBe(line);
  });

  it('the example file shipped with the repository is valid', async () => {
    const { readFile } = await import('node:fs/promises');
    const r = parseRuleset(await readFile(new URL('../../config/business-rules.example.yaml', import.meta.url), 'utf8'));
    expect(r.rules.length).toBeGreaterThan(0);
  });
});
