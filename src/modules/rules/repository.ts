// Business rules' SQL: the active ruleset (newest row), and the audit chain, appended under
// a transaction-scoped advisory lock so concurrent appends from any number of instances
// queue up behind each other and never fork the chain (UNIQUE seq / prev_hash back it up).
import { and, asc, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { businessRulesets, rulesAuditLog } from '../../db/schema/index.js';
import { GENESIS_HASH, entryHash, type AuditEntry, type AuditFields } from './audit.js';
import type { Ruleset } from './ruleset.js';

const CHAIN_LOCK = 724_012;

export interface StoredRuleset {
  id: number;
  version: string;
  ruleset: Ruleset;
  source: string;
  createdBy: string;
  createdAt: Date;
}

export async function activeRuleset(db: Db | Tx): Promise<StoredRuleset | null> {
  const [row] = await db.select().from(businessRulesets).orderBy(desc(businessRulesets.id)).limit(1);
  return row ? { ...row, ruleset: row.ruleset as unknown as Ruleset } : null;
}

/** Serialises rule changes across instances for the rest of the transaction. */
export async function lockChain(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
}

export async function insertRuleset(tx: Tx, values: Omit<StoredRuleset, 'id'>): Promise<void> {
  await tx.insert(businessRulesets).values({ ...values, ruleset: values.ruleset as unknown as Record<string, unknown> });
}

function toEntry(r: typeof rulesAuditLog.$inferSelect): AuditEntry {
  return {
    seq: r.seq,
    timestamp: r.timestamp.toISOString(),
    user_id: r.userId,
    action: r.action as AuditEntry['action'],
    rule_id: r.ruleId,
    before: r.before ?? null,
    after: r.after ?? null,
    reason: r.reason,
    request_ip: r.requestIp,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

/** Appends entries after the chain's head (call inside a transaction holding lockChain). */
export async function appendEntries(tx: Tx, fields: AuditFields[]): Promise<AuditEntry[]> {
  const [head] = await tx.select({ seq: rulesAuditLog.seq, hash: rulesAuditLog.hash }).from(rulesAuditLog).orderBy(desc(rulesAuditLog.seq)).limit(1);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const out: AuditEntry[] = [];
  for (const f of fields) {
    seq++;
    const body = { ...f, timestamp: new Date(f.timestamp).toISOString(), seq, prev_hash: prev };
    const hash = entryHash(body);
    await tx.insert(rulesAuditLog).values({
      seq,
      timestamp: new Date(body.timestamp),
      userId: f.user_id,
      action: f.action,
      ruleId: f.rule_id,
      before: f.before ?? null,
      after: f.after ?? null,
      reason: f.reason,
      requestIp: f.request_ip,
      prevHash: prev,
      hash,
    });
    out.push({ ...body, hash });
    prev = hash;
  }
  return out;
}

export interface AuditFilter {
  user_id?: string;
  action?: string;
  rule_id?: string;
  since?: string;
  until?: string;
}

function filterOf(f: AuditFilter): SQL | undefined {
  const w: SQL[] = [];
  if (f.user_id) w.push(eq(rulesAuditLog.userId, f.user_id));
  if (f.action) w.push(eq(rulesAuditLog.action, f.action));
  if (f.rule_id) w.push(eq(rulesAuditLog.ruleId, f.rule_id));
  if (f.since) w.push(gte(rulesAuditLog.timestamp, new Date(f.since)));
  if (f.until) w.push(lte(rulesAuditLog.timestamp, new Date(f.until)));
  return w.length > 0 ? and(...w) : undefined;
}

export async function listEntries(db: Db, f: AuditFilter, page: number, pageSize: number): Promise<{ items: AuditEntry[]; total: number }> {
  const where = filterOf(f);
  const rows = await db.select().from(rulesAuditLog).where(where).orderBy(asc(rulesAuditLog.seq)).limit(pageSize).offset((page - 1) * pageSize);
  const [c] = await db.select({ n: count() }).from(rulesAuditLog).where(where);
  return { items: rows.map(toEntry), total: Number(c?.n ?? 0) };
}

/** The whole chain in seq order, in pages (verification and export). */
export async function* allEntries(db: Db, batch = 5000): AsyncGenerator<AuditEntry[]> {
  let after = 0;
  for (;;) {
    const rows = await db.select().from(rulesAuditLog).where(sql`${rulesAuditLog.seq} > ${after}`).orderBy(asc(rulesAuditLog.seq)).limit(batch);
    if (rows.length === 0) return;
    yield rows.map(toEntry);
    after = rows[rows.length - 1]!.seq;
  }
}
