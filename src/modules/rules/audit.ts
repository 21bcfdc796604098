// The rules audit log's chain (pure): entries derived rule by rule from two rulesets, the
// canonical serialisation each hash covers, and verification of a whole chain.
//
// Canonical form (docs/business-rules.md): JSON of the object
//   {seq, timestamp, user_id, action, rule_id, before, after, reason, request_ip, prev_hash}
// with object keys sorted at every depth, no whitespace, strings as JSON.stringify writes
// them, `timestamp` as ISO-8601 UTC with milliseconds (2025-07-27T18:00:00.000Z), and null
// for every absent value. hash = lowercase hex SHA-256 of its UTF-8 bytes. The first
// entry's prev_hash is 64 zeros; every later entry's prev_hash is the previous entry's hash.
import { createHash } from 'node:crypto';
import { rulesFor, type Rule, type Ruleset } from './ruleset.js';

export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_ACTIONS = ['init', 'add', 'update', 'delete', 'reload', 'reload_refused'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditFields {
  timestamp: string;
  user_id: string;
  action: AuditAction;
  rule_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_ip: string | null;
}

export interface AuditEntry extends AuditFields {
  seq: number;
  prev_hash: string;
  hash: string;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v === undefined ? null : v;
}

export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

export function canonicalEntry(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: e.seq,
    timestamp: new Date(e.timestamp).toISOString(),
    user_id: e.user_id,
    action: e.action,
    rule_id: e.rule_id ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason ?? null,
    request_ip: e.request_ip ?? null,
    prev_hash: e.prev_hash,
  });
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(e), 'utf8').digest('hex');
}

/** Every rule-level difference between two rulesets, keyed "rules:<id>" or "user:<u>:<id>" (and the user sections' lists). */
export function diffRulesets(before: Ruleset | null, after: Ruleset): { action: 'add' | 'update' | 'delete'; rule_id: string; before: unknown; after: unknown }[] {
  const flat = (r: Ruleset | null) => {
    const m = new Map<string, unknown>();
    if (!r) return m;
    const put = (prefix: string, rules: Rule[]) => rules.forEach((x) => m.set(`${prefix}${x.id}`, x));
    put('', r.rules);
    if (r.forbidden_combos) m.set('forbidden_combos', r.forbidden_combos);
    if (r.allowed_stat_types) m.set('allowed_stat_types', r.allowed_stat_types);
    for (const u of Object.keys(r.user_overrides ?? {}).sort()) {
      const s = rulesFor(r, u);
      put(`user:${u}:`, s.rules);
      if (r.user_overrides![u]!.forbidden_combos) m.set(`user:${u}:forbidden_combos`, s.forbiddenCombos);
      if (r.user_overrides![u]!.allowed_stat_types) m.set(`user:${u}:allowed_stat_types`, s.allowedStatTypes);
    }
    return m;
  };
  const a = flat(before);
  const b = flat(after);
  const out: { action: 'add' | 'update' | 'delete'; rule_id: string; before: unknown; after: unknown }[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === undefined) out.push({ action: 'add', rule_id: key, before: null, after: y });
    else if (y === undefined) out.push({ action: 'delete', rule_id: key, before: x, after: null });
    else if (canonicalJson(x) !== canonicalJson(y)) out.push({ action: 'update', rule_id: key, before: x, after: y });
  }
  return out;
}

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  /** The first entry that does not verify, and why. */
  first_broken_seq: number | null;
  problem: string | null;
  head_hash: string | null;
}

/** Recomputes the chain in seq order; names the first entry whose seq, link or hash is wrong. */
export function verifyChain(entries: readonly AuditEntry[]): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const bad = (problem: string): ChainVerdict => ({ ok: false, entries: entries.length, first_broken_seq: e.seq, problem, head_hash: null });
    if (e.seq !== i + 1) return bad(`expected seq ${i + 1} here, found ${e.seq} (an entry was deleted or reordered)`);
    if (e.prev_hash !== prev) return bad(`prev_hash does not match the hash of entry ${i} (an entry before it was changed, deleted or reordered)`);
    const h = entryHash(e);
    if (h !== e.hash) return bad('hash does not match the entry\'s content (the entry was changed)');
    prev = e.hash;
  }
  return { ok: true, entries: entries.length, first_broken_seq: null, problem: null, head_hash: entries.length > 0 ? prev : null };
}
