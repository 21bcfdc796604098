// The documents API: push text (admin or API key), list/filter, one document with its
// mentions and versions, full-text search, a team's and a player's news, and the per-source
// health list.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import { securedRoute } from '../../platform/auth/identity.js';
import type { Clock } from '../../platform/clock.js';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.js';
import { parseAsOf } from '../../platform/clock.js';
import { IdParams, Page, pageOf, readErrors, versionField } from '../../platform/schemas.js';
import { queryRows, sql } from '../../db/client.js';
import { getDocument, listDocuments, listSources, searchDocuments } from './repo.js';
import { DocumentDetail, DocumentSummary, FeaturesQuery, IngestOutcome, ListQuery, NewsQuery, PushBody, SearchPage, SearchQuery, SourceHealth, TeamNewsFeaturesBody } from './schemas.js';
import { semanticSearch } from './semantic.js';
import { DEFAULT_NEWS_WINDOW_DAYS, teamNewsFeatures } from './features.js';
import { createDocumentsService } from './service.js';

const E = { $ref: 'ErrorBody#' };
const tags = ['documents'];

async function exists(db: Db, table: 'teams' | 'players', id: number): Promise<boolean> {
  const rows = await queryRows(db, table === 'teams' ? sql`select 1 from teams where id = ${id}` : sql`select 1 from players where id = ${id}`);
  return rows.length > 0;
}

export async function documentRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const { db } = opts;
  const service = createDocumentsService({ db, clock: opts.clock });

  const adminOrApiKey = async (req: FastifyRequest, reply: FastifyReply) => {
    await app.requireUser(req, reply);
    if (req.auth!.role !== 'admin' && req.auth!.kind !== 'api_key') throw new ForbiddenError('Pushing documents needs an admin session or an API key');
  };

  app.post(
    '/documents',
    {
      onRequest: adminOrApiKey,
      schema: {
        ...securedRoute,
        operationId: 'pushDocument',
        tags,
        summary: 'Push one document (admin or API key); the same URL and content again changes nothing, new content becomes a new version',
        body: PushBody,
        response: { 200: IngestOutcome, 201: IngestOutcome, 400: E, 401: E, 403: E, 422: E },
      },
    },
    async (req, reply) => {
      const b = req.body as Static<typeof PushBody>;
      const r = await service.ingestPushed(b.source ?? 'api', { title: b.title, body: b.text, ...(b.url ? { url: b.url } : {}), author: b.author ?? null, ...(b.published_at ? { published_at: b.published_at } : {}), ...(b.language ? { language: b.language } : {}) });
      if (r.error) throw new UnprocessableError(`Document refused: ${r.error}`, { reason: r.error.split(':')[0] });
      reply.code(r.inserted + r.updated > 0 ? 201 : 200);
      return { source: r.source, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, document_ids: r.document_ids, version: 'v1' as const };
    },
  );

  app.get(
    '/documents',
    { schema: { operationId: 'listDocuments', tags, summary: 'Documents, newest first, with filters (current versions unless include_old_versions)', querystring: ListQuery, response: { 200: Page(DocumentSummary, 'DocumentPage'), ...readErrors } } },
    async (req) => {
      const q = req.query as Static<typeof ListQuery>;
      const { items, total } = await listDocuments(db, q, q.page, q.page_size);
      return pageOf(items, total, q);
    },
  );

  app.get(
    '/documents/search',
    {
      schema: {
        operationId: 'searchDocuments',
        tags,
        summary: 'Full-text (ranked, highlighted snippets) or semantic (LSA, mode=semantic) search with team/player/source/date/flag filters',
        querystring: SearchQuery,
        response: { 200: SearchPage, ...readErrors },
      },
    },
    async (req) => {
      const { mode, q: text, page, page_size, ...filters } = req.query as Static<typeof SearchQuery>;
      const paging = { page, page_size };
      if (mode === 'semantic') {
        const r = await semanticSearch(db, text, filters, page, page_size);
        return { ...pageOf(r.items, r.total, paging), mode: r.mode };
      }
      const { items, total } = await searchDocuments(db, text, filters, page, page_size);
      return { ...pageOf(items, total, paging), mode: 'fulltext' as const };
    },
  );

  app.get(
    '/documents/sources',
    { schema: { operationId: 'documentSources', tags, summary: 'Every document source with its health: last fetch, last success, last error, consecutive failures', response: { 200: Type.Object({ items: Type.Array(SourceHealth), ...versionField }), ...readErrors } } },
    async () => ({ items: await listSources(db), version: 'v1' as const }),
  );

  app.get(
    '/documents/:id',
    { schema: { operationId: 'getDocument', tags, summary: 'One document: text, linked mentions (offsets, confidence, sentiment, flags) and its versions', params: IdParams, response: { 200: DocumentDetail, ...readErrors } } },
    async (req) => {
      const { id } = req.params as Static<typeof IdParams>;
      const d = await getDocument(db, id);
      if (!d) throw new NotFoundError('document', id);
      const { body, ...rest } = d;
      return { ...rest, text: body, version: 'v1' as const };
    },
  );

  app.get(
    '/teams/:id/news',
    { schema: { operationId: 'teamNews', tags: ['documents', 'teams'], summary: "Documents linked to a team, newest first", params: IdParams, querystring: NewsQuery, response: { 200: Page(DocumentSummary, 'TeamNewsPage'), ...readErrors } } },
    async (req) => {
      const { id } = req.params as Static<typeof IdParams>;
      if (!(await exists(db, 'teams', id))) throw new NotFoundError('team', id);
      const q = req.query as Static<typeof NewsQuery>;
      const { items, total } = await listDocuments(db, { ...q, team_id: id }, q.page, q.page_size);
      return pageOf(items, total, q);
    },
  );

  app.get(
    '/teams/:id/news/features',
    {
      schema: {
        operationId: 'teamNewsFeatures',
        tags: ['documents', 'teams'],
        summary: "A team's news features as of an instant (volume, rolling sentiment, injury/suspension/transfer mentions of its players), from documents published before it only",
        params: IdParams,
        querystring: FeaturesQuery,
        response: { 200: TeamNewsFeaturesBody, ...readErrors },
      },
    },
    async (req) => {
      const { id } = req.params as Static<typeof IdParams>;
      const q = req.query as Static<typeof FeaturesQuery>;
      const asOf = q.as_of === undefined ? opts.clock.now() : parseAsOf(q.as_of);
      if (!asOf) throw new ValidationError('as_of must be an ISO-8601 instant with a timezone (2024-03-15T12:00:00Z) or a date (2024-03-15)', 'as_of', q.as_of);
      if (!(await exists(db, 'teams', id))) throw new NotFoundError('team', id);
      return { ...(await teamNewsFeatures(db, id, asOf, q.window_days ?? DEFAULT_NEWS_WINDOW_DAYS)), version: 'v1' as const };
    },
  );

  app.get(
    '/players/:id/news',
    { schema: { operationId: 'playerNews', tags: ['documents', 'players'], summary: "Documents linked to a player, newest first", params: IdParams, querystring: NewsQuery, response: { 200: Page(DocumentSummary, 'PlayerNewsPage'), ...readErrors } } },
    async (req) => {
      const { id } = req.params as Static<typeof IdParams>;
      if (!(await exists(db, 'players', id))) throw new NotFoundError('player', id);
      const q = req.query as Static<typeof NewsQuery>;
      const { items, total } = await listDocuments(db, { ...q, player_id: id }, q.page, q.page_size);
      return pageOf(items, total, q);
    },
  );
}
