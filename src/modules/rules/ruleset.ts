// The business-rules file (seed 004's YAML): its schema, and parsing that names the line
// and the field of the first thing wrong. A ruleset that parses is valid as a whole; a file
// that does not is refused and the previous ruleset stays in force.
import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LineCounter, parseDocument, isNode, type Node } from 'yaml';
import { canonicalSportCode } from '../catalog/sports.js';

export const RULE_TYPES = [
  'expected_value_min',
  'risk_score_max',
  'ml_confidence_min',
  'kelly_fraction_max',
  'odds_min',
  'odds_max',
  'forbidden_combo',
  'allowed_stat_types',
  'allowed_sports',
  'max_bets_per_match',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

const Instant = Type.String({ minLength: 1, maxLength: 40 });
const Token = Type.String({ minLength: 1, maxLength: 100 });

export const RuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    applies_to: Type.Optional(Type.Union([Type.Object({ sport: Token }, { additionalProperties: false }), Type.Null()])),
    type: Type.Union(RULE_TYPES.map((t) => Type.Literal(t))),
    value: Type.Optional(Type.Union([Type.Number(), Type.Array(Token, { maxItems: 200 })])),
    combo: Type.Optional(Type.Array(Token, { minItems: 1, maxItems: 20 })),
    time_window: Type.Optional(Type.Union([Type.Object({ start: Instant, end: Instant }, { additionalProperties: false }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type Rule = Static<typeof RuleSchema>;

const Combos = Type.Array(Type.Array(Token, { minItems: 1, maxItems: 20 }), { maxItems: 200 });

export const RulesetSchema = Type.Object(
  {
    ruleset_version: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    rules_last_updated: Type.Optional(Instant),
    rules: Type.Array(RuleSchema, { maxItems: 1000 }),
    forbidden_combos: Type.Optional(Combos),
    allowed_stat_types: Type.Optional(Type.Array(Token, { maxItems: 200 })),
    user_overrides: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 100 }),
        Type.Object(
          {
            forbidden_combos: Type.Optional(Combos),
            allowed_stat_types: Type.Optional(Type.Array(Token, { maxItems: 200 })),
            rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 1000 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type Ruleset = Static<typeof RulesetSchema>;

export class RulesetError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'RulesetError';
  }
}

export const MAX_RULESET_BYTES = 1_048_576;

/** Content version of a ruleset: its declared ruleset_version, else a hash of its canonical JSON. */
export function rulesetVersion(r: Ruleset): string {
  return r.ruleset_version ?? `sha256:${createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 16)}`;
}

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && (node as Node).range) return counter.linePos((node as Node).range![0]).line;
  }
  return null;
}

function checkInstant(v: string, field: string, doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: (string | number)[]) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new RulesetError(`${field}: "${v}" is not an ISO-8601 date-time with a time zone (e.g. 2025-07-27T00:00:00Z)`, field, lineOf(doc, counter, path));
  }
}

/** Parses and validates YAML text; throws RulesetError naming the line and field. */
export function parseRuleset(text: string): Ruleset {
  if (Buffer.byteLength(text, 'utf8') > MAX_RULESET_BYTES) throw new RulesetError(`the ruleset is larger than ${MAX_RULESET_BYTES} bytes`, null, null);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new RulesetError(`YAML syntax error: ${e.message.split("\n")[0]}`, null, e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new RulesetError('the ruleset must be a mapping with a "rules" list', null, 1);
  return validateRuleset(data, (path) => lineOf(doc, counter, path), (v, field, path) => checkInstant(v, field, doc, counter, path));
}

/** Validates an already parsed ruleset (JSON from the API, or YAML's data). */
export function validateRuleset(
  data: unknown,
  lineAt: (path: (string | number)[]) => number | null = () => null,
  instant: (v: string, field: string, path: (string | number)[]) => void = (v, field) => {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
      throw new RulesetError(`${field}: "${v}" is not an ISO-8601 date-time with a time zone`, field, null);
    }
  },
): Ruleset {
  const first = Value.Errors(RulesetSchema, data).First();
  if (first) {
    const path = first.path.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
    const field = path.join('.') || '(root)';
    throw new RulesetError(`${field}: ${first.message}`, field, lineAt(path));
  }
  const r = data as Ruleset;
  const seen = new Set<string>();
  const lists: [(string | number)[], Rule[]][] = [[['rules'], r.rules]];
  for (const [u, o] of Object.entries(r.user_overrides ?? {})) if (o.rules) lists.push([['user_overrides', u, 'rules'], o.rules]);
  for (const [base, rules] of lists) {
    rules.forEach((rule, i) => {
      const path = [...base, i];
      const field = path.join('.');
      const key = `${base.join('.')}|${rule.id}`;
      if (seen.has(key) || (base.length > 1 && r.rules.some((g) => g.id === rule.id))) throw new RulesetError(`${field}.id: rule id "${rule.id}" is used twice`, `${field}.id`, lineAt([...path, 'id']));
      seen.add(key);
      const sport = rule.applies_to?.sport;
      if (sport !== undefined && sport.toLowerCase() !== 'all' && !canonicalSportCode(sport)) {
        throw new RulesetError(`${field}.applies_to.sport: unknown sport "${sport}"`, `${field}.applies_to.sport`, lineAt([...path, 'applies_to', 'sport']));
      }
      const numeric = !['forbidden_combo', 'allowed_stat_types', 'allowed_sports'].includes(rule.type);
      if (rule.type === 'forbidden_combo') {
        if (!rule.combo) throw new RulesetError(`${field}.combo: a forbidden_combo rule needs a combo list`, `${field}.combo`, lineAt(path));
      } else if (numeric) {
        if (typeof rule.value !== 'number' || !Number.isFinite(rule.value)) throw new RulesetError(`${field}.value: a ${rule.type} rule needs a numeric value`, `${field}.value`, lineAt([...path, 'value']));
        if (rule.type === 'max_bets_per_match' && !(Number.isInteger(rule.value) && rule.value >= 1)) throw new RulesetError(`${field}.value: max_bets_per_match must be a whole number ≥ 1`, `${field}.value`, lineAt([...path, 'value']));
      } else if (!Array.isArray(rule.value)) {
        throw new RulesetError(`${field}.value: a ${rule.type} rule needs a list of values`, `${field}.value`, lineAt([...path, 'value']));
      }
      if (rule.time_window) {
        instant(rule.time_window.start, `${field}.time_window.start`, [...path, 'time_window', 'start']);
        instant(rule.time_window.end, `${field}.time_window.end`, [...path, 'time_window', 'end']);
        if (Date.parse(rule.time_window.end) <= Date.parse(rule.time_window.start)) {
          throw new RulesetError(`${field}.time_window: end must be after start`, `${field}.time_window`, lineAt([...path, 'time_window']));
        }
      }
    });
  }
  if (r.rules_last_updated !== undefined) instant(r.rules_last_updated, 'rules_last_updated', ['rules_last_updated']);
  return r;
}

/** The rules that apply to one user: their override's rules instead of the global ones, if they have an override. */
export function rulesFor(r: Ruleset, userId: string | null): { rules: Rule[]; forbiddenCombos: string[][]; allowedStatTypes: string[] | null; source: 'user' | 'global' } {
  const o = userId !== null ? r.user_overrides?.[userId] : undefined;
  if (o) return { rules: o.rules ?? [], forbiddenCombos: o.forbidden_combos ?? [], allowedStatTypes: o.allowed_stat_types ?? null, source: 'user' };
  return { rules: r.rules, forbiddenCombos: r.forbidden_combos ?? [], allowedStatTypes: r.allowed_stat_types ?? null, source: 'global' };
}
