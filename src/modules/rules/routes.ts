// Admin routes for business rules (seed 004): reload from the file, read and replace the
// ruleset, the audit log with its filters, and the chain's verification. Admin only.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { securedRoute } from '../../platform/auth/identity.js';
import { PaginationQuery, versionField } from '../../platform/schemas.js';
import { AUDIT_ACTIONS } from './audit.js';
import { listEntries } from './repository.js';
import type { Actor, RulesService } from './service.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';

const E = { $ref: 'ErrorBody#' };
const errors = { 400: E, 401: E, 403: E, 422: E };
const tags = ['admin'];

const RulesMeta = { ruleset_version: Type.String(), rules_last_updated: Type.String({ format: 'date-time' }) };

const Reloaded = Type.Object(
  { status: Type.Literal('ok'), message: Type.String(), ...RulesMeta, changes: Type.Integer(), audit_entries: Type.Integer(), timestamp: Type.String({ format: 'date-time' }), ...versionField },
  { title: 'RulesReloaded' },
);

const ReplaceBody = Type.Object(
  {
    yaml: Type.Optional(Type.String({ minLength: 1, maxLength: 1_048_576, description: 'The ruleset as YAML text (seed 004 format)' })),
    ruleset: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'The ruleset as JSON' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Recorded in the audit log' })),
  },
  { additionalProperties: false },
);

const AuditEntrySchema = Type.Object(
  {
    seq: Type.Integer(),
    timestamp: Type.String(),
    user_id: Type.String(),
    action: Type.String(),
    rule_id: Type.Union([Type.String(), Type.Null()]),
    before: Type.Unknown(),
    after: Type.Unknown(),
    reason: Type.Union([Type.String(), Type.Null()]),
    request_ip: Type.Union([Type.String(), Type.Null()]),
    prev_hash: Type.String(),
    hash: Type.String(),
  },
  { title: 'RulesAuditEntry' },
);

const AuditQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))),
    rule_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  }),
]);

export async function rulesRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock; rules: RulesService }) {
  const { rules, clock } = opts;
  const actor = (req: { auth: { userId: number } | null; ip: string }, reason?: string): Actor => ({ userId: `user:${req.auth!.userId}`, ip: req.ip, reason: reason ?? null });

  app.post(
    '/admin/reload-business-rules',
    {
      onRequest: app.requireAdmin,
      schema: { ...securedRoute, operationId: 'reloadBusinessRules', tags, summary: 'Reload the business-rules file on every instance (validated; refused files change nothing)', response: { 200: Reloaded, ...errors } },
    },
    async (req) => {
      const r = await rules.reloadFromFile(actor(req));
      return { status: 'ok' as const, message: 'Business rules reloaded', ruleset_version: r.ruleset_version, rules_last_updated: r.rules_last_updated.toISOString(), changes: r.changes, audit_entries: r.entries.length, timestamp: clock.now().toISOString(), version: 'v1' as const };
    },
  );

  app.get(
    '/admin/business-rules',
    {
      onRequest: app.requireAdmin,
      schema: { ...securedRoute, operationId: 'getBusinessRules', tags, summary: 'The ruleset in force', response: { 200: Type.Object({ ruleset: Type.Object({}, { additionalProperties: true }), ...RulesMeta, source: Type.String(), ...versionField }), ...errors } },
    },
    async () => {
      const a = await rules.active();
      return { ruleset: a.ruleset as unknown as Record<string, unknown>, ruleset_version: a.ruleset_version, rules_last_updated: a.rules_last_updated.toISOString(), source: a.source, version: 'v1' as const };
    },
  );

  app.put(
    '/admin/business-rules',
    {
      onRequest: app.requireAdmin,
      schema: { ...securedRoute, operationId: 'replaceBusinessRules', tags, summary: 'Replace the ruleset (YAML text or JSON), audited rule by rule', body: ReplaceBody, response: { 200: Reloaded, ...errors } },
    },
    async (req) => {
      const body = (req.body ?? {}) as Static<typeof ReplaceBody>;
      const r = await rules.replace(actor(req, body.reason), { ...(body.yaml !== undefined ? { yaml: body.yaml } : {}), ...(body.ruleset !== undefined ? { ruleset: body.ruleset } : {}) });
      return { status: 'ok' as const, message: 'Business rules replaced', ruleset_version: r.ruleset_version, rules_last_updated: r.rules_last_updated.toISOString(), changes: r.changes, audit_entries: r.entries.length, timestamp: clock.now().toISOString(), version: 'v1' as const };
    },
  );

  app.get(
    '/admin/rules-audit-log',
    {
      onRequest: app.requireAdmin,
      schema: {
        ...securedRoute,
        operationId: 'rulesAuditLog',
        tags,
        summary: 'The append-only audit log of rule changes, oldest first',
        querystring: AuditQuery,
        response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer(), ...versionField }), ...errors },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof AuditQuery>;
      const { items, total } = await listEntries(opts.db, q, q.page, q.page_size);
      return { items, total, page: q.page, page_size: q.page_size, version: 'v1' as const };
    },
  );

  app.get(
    '/admin/rules-audit-log/verify',
    {
      onRequest: app.requireAdmin,
      schema: {
        ...securedRoute,
        operationId: 'verifyRulesAuditLog',
        tags,
        summary: 'Recompute the hash chain and name the first broken entry',
        response: {
          200: Type.Object({ ok: Type.Boolean(), entries: Type.Integer(), first_broken_seq: Type.Union([Type.Integer(), Type.Null()]), problem: Type.Union([Type.String(), Type.Null()]), head_hash: Type.Union([Type.String(), Type.Null()]), ...versionField }),
          ...errors,
        },
      },
    },
    async () => ({ ...(await rules.verify()), version: 'v1' as const }),
  );
}
