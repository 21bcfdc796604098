// News as documents (issue #14): where they come from (with each feed's health), every
// version of every article with its full-text vector, and the catalogue entities each one
// mentions with offsets, confidence, sentiment and injury/suspension/transfer flags.
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, real, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { players, teams } from './catalog.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Kinds of document sources. */
export const DOCUMENT_SOURCE_KINDS = ['feed', 'html', 'text', 'push'] as const;
export type DocumentSourceKind = (typeof DOCUMENT_SOURCE_KINDS)[number];

/** A feed, page, file or API client documents came from; failures are kept here (feed health). */
export const documentSources = pgTable(
  'document_sources',
  {
    id: serial('id').primaryKey(),
    /** The feed/page URL, the file path, or `push:<name>` for POSTed text. */
    locator: text('locator').notNull(),
    kind: text('kind').$type<DocumentSourceKind>().notNull(),
    name: text('name').notNull(),
    lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastItems: integer('last_items').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('document_sources_locator_uq').on(t.locator)],
);

/** One version of one article. Same URL + same content hash = the same version. */
export const documents = pgTable(
  'documents',
  {
    id: serial('id').primaryKey(),
    sourceId: integer('source_id').notNull().references(() => documentSources.id),
    url: text('url').notNull(),
    version: integer('version').notNull().default(1),
    /** The latest version of its URL. */
    isCurrent: boolean('is_current').notNull().default(true),
    contentHash: text('content_hash').notNull(),
    title: text('title').notNull(),
    author: text('author'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    language: text('language').notNull().default('en'),
    body: text('body').notNull(),
    /** AFINN comparative score of the whole text (sum / words). */
    sentiment: real('sentiment').notNull().default(0),
    flags: jsonb('flags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')`),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('documents_url_hash_uq').on(t.url, t.contentHash),
    uniqueIndex('documents_url_version_uq').on(t.url, t.version),
    index('documents_published_idx').on(t.publishedAt),
    index('documents_source_idx').on(t.sourceId),
    index('documents_tsv_idx').using('gin', t.tsv),
  ],
);

/** A team or player named in a document, with where, how sure, and what was said. */
export const documentMentions = pgTable(
  'document_mentions',
  {
    id: serial('id').primaryKey(),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').$type<'team' | 'player'>().notNull(),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    playerId: integer('player_id').references(() => players.id, { onDelete: 'cascade' }),
    /** UTF-16 offsets into documents.body, end exclusive. */
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    surface: text('surface').notNull(),
    confidence: real('confidence').notNull(),
    /** AFINN comparative score of the sentence around the mention. */
    sentiment: real('sentiment').notNull(),
    flags: jsonb('flags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    index('document_mentions_doc_idx').on(t.documentId),
    index('document_mentions_team_idx').on(t.teamId),
    index('document_mentions_player_idx').on(t.playerId),
  ],
);

// ---- Semantic search (issue #14, decision 0021): latent semantic analysis --------------
// A model is the vocabulary, idf weights and term→concept projection fitted on the corpus;
// each document's concept vector is stored against the model that made it. Vectors are
// float32 bytes (no pgvector on either engine here, see the decision), compared in process.
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** One fitted LSA model; the newest is the one in use. */
export const documentLsaModels = pgTable('document_lsa_models', {
  id: serial('id').primaryKey(),
  /** Documents it was fitted on. */
  documents: integer('documents').notNull(),
  dims: integer('dims').notNull(),
  /** Vocabulary (stemmed terms) in column order. */
  terms: jsonb('terms').$type<string[]>().notNull(),
  /** float32 idf per term. */
  idf: bytea('idf').notNull(),
  /** float32 terms × dims, row-major: a term's weights on each concept. */
  projection: bytea('projection').notNull(),
  fitMs: integer('fit_ms').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A document's unit-length concept vector under one model. */
export const documentVectors = pgTable(
  'document_vectors',
  {
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    modelId: integer('model_id')
      .notNull()
      .references(() => documentLsaModels.id, { onDelete: 'cascade' }),
    /** float32 × dims. */
    vector: bytea('vector').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.documentId] }), index('document_vectors_doc_idx').on(t.documentId)],
);
// ---- end of semantic search -------------------------------------------------------------
