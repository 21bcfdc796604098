// Business rules (seed 004): every ruleset that was put in force, newest = active, and the
// append-only audit log of rule changes, chained by SHA-256 (src/modules/rules/audit.ts).
// UPDATE, DELETE and TRUNCATE on the log are refused by triggers (src/db/sql/010-rules-audit.sql).
import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const businessRulesets = pgTable('business_rulesets', {
  id: serial('id').primaryKey(),
  version: text('version').notNull(),
  ruleset: jsonb('ruleset').$type<Record<string, unknown>>().notNull(),
  /** file:<path> or api */
  source: text('source').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const rulesAuditLog = pgTable(
  'rules_audit_log',
  {
    seq: integer('seq').primaryKey(),
    timestamp: timestamp('timestamp', { withTimezone: true, precision: 3 }).notNull(),
    userId: text('user_id').notNull(),
    action: text('action').notNull(),
    ruleId: text('rule_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    requestIp: text('request_ip'),
    prevHash: text('prev_hash').notNull().unique(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [index('rules_audit_log_time_idx').on(t.timestamp), index('rules_audit_log_rule_idx').on(t.ruleId)],
);
