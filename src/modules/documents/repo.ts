// Reading documents: list with filters, one with its mentions, full-text search (tsvector,
// ts_rank, ts_headline) and the per-source health list. Parameterised SQL only; runs the
// same on PGlite and on a PostgreSQL server.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.js';

export interface DocumentFilters {
  team_id?: number;
  player_id?: number;
  source_id?: number;
  since?: string;
  until?: string;
  flag?: string;
  include_old_versions?: boolean;
}

export interface DocumentRow {
  id: number;
  url: string;
  version: number;
  is_current: boolean;
  source_id: number;
  source: string;
  title: string;
  author: string | null;
  published_at: string;
  language: string;
  content_hash: string;
  sentiment: number;
  flags: string[];
  ingested_at: string;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

export function toRow(r: Record<string, unknown>): DocumentRow {
  return {
    id: Number(r.id),
    url: String(r.url),
    version: Number(r.version),
    is_current: Boolean(r.is_current),
    source_id: Number(r.source_id),
    source: String(r.source),
    title: String(r.title),
    author: (r.author as string | null) ?? null,
    published_at: iso(r.published_at),
    language: String(r.language),
    content_hash: String(r.content_hash),
    sentiment: Number(r.sentiment),
    flags: (typeof r.flags === 'string' ? JSON.parse(r.flags) : r.flags) as string[],
    ingested_at: iso(r.ingested_at),
  };
}

export const COLUMNS = sql`d.id, d.url, d.version, d.is_current, d.source_id, s.name as source, d.title, d.author, d.published_at, d.language, d.content_hash, d.sentiment, d.flags, d.ingested_at`;

export function where(f: DocumentFilters): SQL {
  const parts: SQL[] = [];
  if (!f.include_old_versions) parts.push(sql`d.is_current`);
  // With a team or player, `flag` is about that player (or one of that team's players), not
  // any player of the document.
  const flag = f.flag ? sql` and m.entity_type = 'player' and m.flags @> ${JSON.stringify([f.flag])}::jsonb` : sql``;
  if (f.team_id !== undefined) parts.push(sql`exists (select 1 from document_mentions m where m.document_id = d.id and m.team_id = ${f.team_id}${flag})`);
  if (f.player_id !== undefined) parts.push(sql`exists (select 1 from document_mentions m where m.document_id = d.id and m.player_id = ${f.player_id}${flag})`);
  if (f.source_id !== undefined) parts.push(sql`d.source_id = ${f.source_id}`);
  if (f.since) parts.push(sql`d.published_at >= ${f.since}::timestamptz`);
  if (f.until) parts.push(sql`d.published_at < ${f.until}::timestamptz`);
  if (f.flag && f.team_id === undefined && f.player_id === undefined) parts.push(sql`d.flags @> ${JSON.stringify([f.flag])}::jsonb`);
  return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}

export async function listDocuments(db: Executor, f: DocumentFilters, page: number, pageSize: number): Promise<{ items: DocumentRow[]; total: number }> {
  const w = where(f);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select ${COLUMNS} from documents d join document_sources s on s.id = d.source_id ${w} order by d.published_at desc, d.id desc limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const [count] = await queryRows<{ n: number | string }>(db, sql`select count(*)::int as n from documents d ${w}`);
  return { items: rows.map(toRow), total: Number(count?.n ?? 0) };
}

export interface MentionRow {
  entity_type: 'team' | 'player';
  team_id: number | null;
  player_id: number | null;
  name: string;
  start: number;
  end: number;
  surface: string;
  confidence: number;
  sentiment: number;
  flags: string[];
}

export async function getDocument(db: Executor, id: number): Promise<(DocumentRow & { body: string; mentions: MentionRow[]; versions: { id: number; version: number; ingested_at: string }[] }) | null> {
  const [r] = await queryRows<Record<string, unknown>>(db, sql`select ${COLUMNS}, d.body from documents d join document_sources s on s.id = d.source_id where d.id = ${id}`);
  if (!r) return null;
  const ms = await queryRows<Record<string, unknown>>(
    db,
    sql`select m.entity_type, m.team_id, m.player_id, coalesce(p.name, t.name) as name, m.start_offset, m.end_offset, m.surface, m.confidence, m.sentiment, m.flags
        from document_mentions m left join players p on p.id = m.player_id left join teams t on t.id = m.team_id
        where m.document_id = ${id} order by m.start_offset`,
  );
  const vs = await queryRows<Record<string, unknown>>(db, sql`select id, version, ingested_at from documents where url = ${String(r.url)} order by version`);
  return {
    ...toRow(r),
    body: String(r.body),
    mentions: ms.map((m) => ({
      entity_type: m.entity_type as 'team' | 'player',
      team_id: m.team_id === null ? null : Number(m.team_id),
      player_id: m.player_id === null ? null : Number(m.player_id),
      name: String(m.name),
      start: Number(m.start_offset),
      end: Number(m.end_offset),
      surface: String(m.surface),
      confidence: Number(m.confidence),
      sentiment: Number(m.sentiment),
      flags: (typeof m.flags === 'string' ? JSON.parse(m.flags) : m.flags) as string[],
    })),
    versions: vs.map((v) => ({ id: Number(v.id), version: Number(v.version), ingested_at: iso(v.ingested_at) })),
  };
}

/**
 * Full-text search: websearch syntax ("quoted phrases", -exclusions, or), ranked, with a
 * highlighted snippet. One scan ranks and counts the matches (count(*) over ()), and only the
 * page's ids and scores go through the sort; the count query runs only for a page past the end.
 */
export async function searchDocuments(db: Executor, q: string, f: DocumentFilters, page: number, pageSize: number): Promise<{ items: (DocumentRow & { score: number; snippet: string })[]; total: number }> {
  const w = where(f);
  const query = sql`websearch_to_tsquery('english'::regconfig, ${q})`;
  const match = w.queryChunks.length ? sql`${w} and d.tsv @@ ${query}` : sql`where d.tsv @@ ${query}`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with hits as (
          select d.id, ts_rank(d.tsv, ${query}) as score, d.published_at, count(*) over () as total from documents d ${match}
          order by score desc, d.published_at desc, d.id desc limit ${pageSize} offset ${(page - 1) * pageSize}
        )
        select ${COLUMNS}, h.score, h.total,
               ts_headline('english'::regconfig, d.body, ${query}, 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2') as snippet
        from hits h join documents d on d.id = h.id join document_sources s on s.id = d.source_id
        order by h.score desc, h.published_at desc, h.id desc`,
  );
  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && page > 1) {
    const [count] = await queryRows<{ n: number | string }>(db, sql`select count(*)::int as n from documents d ${match}`);
    total = Number(count?.n ?? 0);
  }
  return { items: rows.map((r) => ({ ...toRow(r), score: Math.round(Number(r.score) * 1e6) / 1e6, snippet: String(r.snippet) })), total };
}

export interface SourceHealthRow {
  id: number;
  locator: string;
  kind: string;
  name: string;
  status: 'ok' | 'failing' | 'never_fetched';
  last_fetched_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  last_items: number;
  documents: number;
}

export async function listSources(db: Executor): Promise<SourceHealthRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select s.*, (select count(*)::int from documents d where d.source_id = s.id and d.is_current) as documents from document_sources s order by s.consecutive_failures desc, s.locator`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    locator: String(r.locator),
    kind: String(r.kind),
    name: String(r.name),
    status: Number(r.consecutive_failures) > 0 ? 'failing' : r.last_fetched_at ? 'ok' : 'never_fetched',
    last_fetched_at: r.last_fetched_at ? iso(r.last_fetched_at) : null,
    last_success_at: r.last_success_at ? iso(r.last_success_at) : null,
    last_error: (r.last_error as string | null) ?? null,
    consecutive_failures: Number(r.consecutive_failures),
    last_items: Number(r.last_items),
    documents: Number(r.documents),
  }));
}
