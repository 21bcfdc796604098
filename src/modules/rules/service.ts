// The business-rules service: the active ruleset (in PostgreSQL, so every instance and
// worker agrees), reloads from the configured file and replacements through the API — each
// validated first, written with its audit entries in one transaction, refused ones audited
// too — and the analysis engine's view of the rules. An instance keeps the active ruleset in
// memory and drops it when any instance announces a change on the pub/sub channel.
import { readFile } from 'node:fs/promises';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { UnprocessableError, ValidationError } from '../../platform/errors.js';
import type { PubSub } from '../../platform/pubsub.js';
import { diffRulesets, verifyChain, type AuditEntry, type AuditFields, type ChainVerdict } from './audit.js';
import { checkBets, type RuleSubject, type Violation } from './evaluate.js';
import { activeRuleset, allEntries, appendEntries, insertRuleset, lockChain, type StoredRuleset } from './repository.js';
import { parseRuleset, rulesetVersion, RulesetError, validateRuleset, type Ruleset } from './ruleset.js';

export const RULES_CHANNEL = 'sharpline:rules:changed';

export interface Actor {
  userId: string;
  ip: string | null;
  reason?: string | null;
}

export interface ActiveRules {
  ruleset: Ruleset;
  ruleset_version: string;
  rules_last_updated: Date;
  source: string;
}

export interface ChangeOutcome {
  ruleset_version: string;
  rules_last_updated: Date;
  changes: number;
  entries: AuditEntry[];
}

export interface RulesService {
  active(): Promise<ActiveRules>;
  reloadFromFile(actor: Actor): Promise<ChangeOutcome>;
  replace(actor: Actor, input: { yaml?: string; ruleset?: unknown }): Promise<ChangeOutcome>;
  check(userId: string | null, subjects: RuleSubject[], now: Date): Promise<Map<string, Violation[]>>;
  verify(): Promise<ChainVerdict>;
  /** Forget the in-memory ruleset (another instance changed it). */
  invalidate(): void;
}

export interface RulesDeps {
  db: Db;
  clock: Clock;
  file: string;
  pubsub?: PubSub;
}

function toActive(s: StoredRuleset): ActiveRules {
  const declared = s.ruleset.rules_last_updated;
  return { ruleset: s.ruleset, ruleset_version: s.version, rules_last_updated: declared ? new Date(declared) : s.createdAt, source: s.source };
}

function refusal(err: unknown): ValidationError | UnprocessableError {
  if (err instanceof RulesetError) {
    const where = err.line !== null ? ` (line ${err.line})` : '';
    return new ValidationError(`Business rules refused${where}: ${err.message}`, err.field ?? 'ruleset', undefined, { line: err.line, field: err.field });
  }
  return new UnprocessableError(`Business rules refused: ${err instanceof Error ? err.message : String(err)}`);
}

export function createRulesService(deps: RulesDeps): RulesService {
  const { db, clock } = deps;
  let cached: Promise<ActiveRules> | null = null;

  /** Stores a ruleset and its audit entries in one transaction; with no ruleset yet, it is the init. */
  async function commit(actor: Actor, next: Ruleset, source: string, kind: 'reload' | 'update'): Promise<ChangeOutcome> {
    const now = clock.now();
    const out = await db.transaction(async (tx) => {
      await lockChain(tx);
      const current = await activeRuleset(tx);
      const version = rulesetVersion(next);
      const diffs = diffRulesets(current?.ruleset ?? null, next);
      const base = { timestamp: now.toISOString(), user_id: actor.userId, reason: actor.reason ?? null, request_ip: actor.ip };
      const fields: AuditFields[] = diffs.map((d) => ({ ...base, action: current ? d.action : 'init', rule_id: d.rule_id, before: d.before, after: d.after }));
      if (kind === 'reload') fields.push({ ...base, action: current ? 'reload' : 'init', rule_id: null, before: current ? { ruleset_version: current.version } : null, after: { ruleset_version: version, source } });
      await insertRuleset(tx, { version, ruleset: next, source, createdBy: actor.userId, createdAt: now });
      const entries = await appendEntries(tx, fields);
      return { ruleset_version: version, rules_last_updated: next.rules_last_updated ? new Date(next.rules_last_updated) : now, changes: diffs.length, entries };
    });
    cached = null;
    await deps.pubsub?.publish(RULES_CHANNEL, out.ruleset_version).catch(() => undefined);
    return out;
  }

  async function audited<T>(actor: Actor, work: () => Promise<T>, what: string): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const refused = refusal(err);
      // The refusal is an audit entry of its own; nothing else was written.
      await db.transaction(async (tx) => {
        await lockChain(tx);
        await appendEntries(tx, [
          { timestamp: clock.now().toISOString(), user_id: actor.userId, action: 'reload_refused', rule_id: null, before: null, after: { attempted: what }, reason: refused.message, request_ip: actor.ip },
        ]);
      });
      throw refused;
    }
  }

  const service: RulesService = {
    active() {
      cached ??= (async () => {
        const stored = await activeRuleset(db);
        if (stored) return toActive(stored);
        // First use: the configured file becomes the initial ruleset.
        const text = await readFile(deps.file, 'utf8');
        await commit({ userId: 'system', ip: null, reason: 'initial ruleset' }, parseRuleset(text), `file:${deps.file}`, 'reload');
        return toActive((await activeRuleset(db))!);
      })();
      cached.catch(() => (cached = null));
      return cached;
    },

    async reloadFromFile(actor) {
      return audited(
        actor,
        async () => {
          const text = await readFile(deps.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
            throw new RulesetError(`cannot read ${deps.file}: ${err.code ?? err.message}`, null, null);
          });
          return commit(actor, parseRuleset(text), `file:${deps.file}`, 'reload');
        },
        `file:${deps.file}`,
      );
    },

    async replace(actor, input) {
      return audited(
        actor,
        async () => {
          if ((input.yaml === undefined) === (input.ruleset === undefined)) throw new RulesetError('send exactly one of "yaml" (the file text) or "ruleset" (its JSON)', 'body', null);
          const next = input.yaml !== undefined ? parseRuleset(input.yaml) : validateRuleset(input.ruleset);
          return commit(actor, next, 'api', 'update');
        },
        'api',
      );
    },

    async check(userId, subjects, now) {
      const a = await service.active();
      return checkBets(a.ruleset, userId, subjects, now);
    },

    async verify() {
      const entries: AuditEntry[] = [];
      for await (const batch of allEntries(db)) entries.push(...batch);
      return verifyChain(entries);
    },

    invalidate() {
      cached = null;
    },
  };
  return service;
}
