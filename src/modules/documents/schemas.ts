// TypeBox schemas of the documents API.
import { Type } from '@sinclair/typebox';
import { DbId, Page, PaginationQuery, versionField } from '../../platform/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const DocumentSummary = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String(),
    version: Type.Integer({ description: 'Version of this URL (1 = first seen); an updated article is a new version' }),
    is_current: Type.Boolean(),
    source_id: Type.Integer(),
    source: Type.String(),
    title: Type.String(),
    author: Nullable(Type.String()),
    published_at: Type.String({ format: 'date-time' }),
    language: Type.String(),
    content_hash: Type.String({ description: 'SHA-256 of title and clean text' }),
    sentiment: Type.Number({ description: 'AFINN comparative score of the whole text (about -1..1)' }),
    flags: Type.Array(Type.String(), { description: 'injury / suspension / transfer news about a linked player' }),
    ingested_at: Type.String({ format: 'date-time' }),
  },
  { title: 'DocumentSummary' },
);

export const Mention = Type.Object(
  {
    entity_type: Type.Union([Type.Literal('team'), Type.Literal('player')]),
    team_id: Type.Union([Type.Integer(), Type.Null()]),
    player_id: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String({ description: 'Catalogue name of the linked entity' }),
    start: Type.Integer({ description: 'UTF-16 offset into text (inclusive)' }),
    end: Type.Integer({ description: 'UTF-16 offset into text (exclusive)' }),
    surface: Type.String({ description: 'The words as written' }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    sentiment: Type.Number({ description: 'AFINN comparative score of the sentence around the mention' }),
    flags: Type.Array(Type.String()),
  },
  { title: 'DocumentMention' },
);

export const DocumentDetail = Type.Object(
  {
    ...DocumentSummary.properties,
    text: Type.String(),
    mentions: Type.Array(Mention),
    versions: Type.Array(Type.Object({ id: Type.Integer(), version: Type.Integer(), ingested_at: Type.String({ format: 'date-time' }) })),
    ...versionField,
  },
  { title: 'Document' },
);

export const SearchHit = Type.Object({ ...DocumentSummary.properties, score: Type.Number(), snippet: Type.String({ description: 'Highlighted fragments, matches in <mark>…</mark>' }) }, { title: 'DocumentSearchHit' });

const Filters = {
  team_id: Type.Optional(DbId({ description: 'Only documents linked to this team' })),
  player_id: Type.Optional(DbId({ description: 'Only documents linked to this player' })),
  source_id: Type.Optional(DbId({ description: 'Only documents from this source' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Published at or after' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Published before' })),
  flag: Type.Optional(
    Type.Union([Type.Literal('injury'), Type.Literal('suspension'), Type.Literal('transfer')], {
      description: "Only documents with this flag; with a team or player (or on a team's / player's news), the flag must be about that player or one of that team's players",
    }),
  ),
};

export const ListQuery = Type.Composite([PaginationQuery, Type.Object({ ...Filters, include_old_versions: Type.Optional(Type.Boolean({ default: false })) })]);
export const NewsQuery = Type.Composite([PaginationQuery, Type.Object({ since: Filters.since, until: Filters.until, flag: Filters.flag })]);
export const SearchQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    q: Type.String({ minLength: 1, maxLength: 500, description: 'Search text (web-search syntax: "phrase", -word, or)' }),
    mode: Type.Union([Type.Literal('fulltext'), Type.Literal('semantic')], {
      default: 'fulltext',
      description: 'fulltext: PostgreSQL tsvector, ranked. semantic: cosine similarity in a latent semantic analysis space fitted on the corpus (decision 0021); answered by full-text search while there is no model or when no query word is known to it (see `mode` in the response)',
    }),
    ...Filters,
  }),
]);

export const PushBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    text: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'Plain text (or an HTML fragment, reduced to text)' }),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Canonical URL; same URL + new content = new version' })),
    author: Type.Optional(Type.String({ maxLength: 200 })),
    published_at: Type.Optional(Type.String({ format: 'date-time', description: 'With a timezone offset; default now' })),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 8 })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$', description: 'Source name (default "api")' })),
  },
  { additionalProperties: false, title: 'DocumentPush' },
);

export const IngestOutcome = Type.Object(
  {
    source: Type.String(),
    inserted: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    skipped: Type.Integer(),
    document_ids: Type.Array(Type.Integer()),
    ...versionField,
  },
  { title: 'DocumentIngestResult' },
);

export const SourceHealth = Type.Object(
  {
    id: Type.Integer(),
    locator: Type.String({ description: 'Feed/page URL, file URL or push:<name>' }),
    kind: Type.String(),
    name: Type.String(),
    status: Type.Union([Type.Literal('ok'), Type.Literal('failing'), Type.Literal('never_fetched')]),
    last_fetched_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_success_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    consecutive_failures: Type.Integer(),
    last_items: Type.Integer(),
    documents: Type.Integer(),
  },
  { title: 'DocumentSourceHealth' },
);

export const FeaturesQuery = Type.Object(
  {
    as_of: Type.Optional(
      Type.String({ minLength: 10, maxLength: 40, description: 'ISO-8601 instant with a timezone (2024-03-15T12:00:00Z) or a date (midnight UTC); only documents published strictly before it count. Default: now' }),
    ),
    window_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 7, description: 'Length of the window ending at as_of, in days' })),
  },
  { additionalProperties: false },
);


export const TeamNewsFeaturesBody = Type.Object(
  {
    team_id: Type.Integer(),
    as_of: Type.String({ format: 'date-time' }),
    window_days: Type.Integer(),
    documents: Type.Integer({ description: 'Documents naming the team or one of its players, published in [as_of - window_days, as_of)' }),
    mentions: Type.Integer(),
    sentiment_mean: Type.Union([Type.Number(), Type.Null()], { description: 'Mean AFINN sentiment of the sentences around those mentions; null without news' }),
    sentiment_trend: Type.Union([Type.Number(), Type.Null()], { description: "Mean sentiment of the window's second half minus its first; null unless both halves have news" }),
    injury_mentions: Type.Integer({ description: "Mentions of the team's players flagged injury" }),
    suspension_mentions: Type.Integer(),
    transfer_mentions: Type.Integer(),
    injured_players: Type.Integer({ description: 'Distinct players with an injury mention' }),
    suspended_players: Type.Integer(),
    ...versionField,
  },
  { title: 'TeamNewsFeatures' },
);


export const SearchPage = Type.Object(
  {
    ...Page(SearchHit).properties,
    mode: Type.Union([Type.Literal('fulltext'), Type.Literal('semantic')], { description: 'What answered: a semantic request falls back to fulltext without a model or a known query word' }),
  },
  { title: 'DocumentSearchPage' },
);
