// Document ingestion: inputs (URL, file, folder, pushed text) → drafts → linked, scored
// documents stored in one transaction per input. The same URL with the same content hash is
// a no-op; the same URL with new content is a new version (the old one kept, no longer
// current). A refused input stores nothing and is recorded against its source's health.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { documentMentions, documents, documentSources, players, teamAliases, teams, type DocumentSourceKind } from '../../db/schema/index.js';
import type { Clock } from '../../platform/clock.js';
import {
  contentHash,
  decodeText,
  detectKind,
  DocumentInputError,
  htmlFragmentText,
  MAX_INPUT_BYTES,
  parseFeedText,
  parseHtmlPage,
  parseTextFile,
  type DocumentDraft,
} from './extract.js';
import { createLinker, sentences, type Linker } from './linking.js';
import { mentionFlags } from './flags.js';
import { indexDocuments } from './semantic.js';
import { sentimentScore } from './sentiment.js';

export interface SourceRef {
  locator: string;
  kind: DocumentSourceKind;
  name: string;
}

export interface IngestResult {
  source: string;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  document_ids: number[];
  error: string | null;
}

export async function loadLinker(db: Executor): Promise<Linker> {
  const ts = await db.select({ id: teams.id, name: teams.name, shortName: teams.shortName, abbreviation: teams.abbreviation }).from(teams).where(isNull(teams.ownerUserId));
  const as = await db.select({ teamId: teamAliases.teamId, alias: teamAliases.alias }).from(teamAliases);
  const byTeam = new Map<number, string[]>();
  for (const a of as) byTeam.set(a.teamId, [...(byTeam.get(a.teamId) ?? []), a.alias]);
  const ps = await db.select({ id: players.id, name: players.name, lastName: players.lastName, teamId: players.currentTeamId }).from(players).where(isNull(players.ownerUserId));
  return createLinker(
    ts.map((t) => ({ ...t, aliases: byTeam.get(t.id) ?? [] })),
    ps,
  );
}

export interface Analysed {
  draft: DocumentDraft;
  hash: string;
  sentiment: number;
  flags: string[];
  mentions: { entityType: 'team' | 'player'; teamId: number | null; playerId: number | null; start: number; end: number; surface: string; confidence: number; sentiment: number; flags: string[] }[];
}

/** Links, sentiment and flags of one draft (pure, no database). */
export function analyse(draft: DocumentDraft, linker: Linker): Analysed {
  const text = draft.body;
  const spans = sentences(text);
  const found = linker.link(text);
  const docFlags = new Set<string>();
  const flagsOf = mentionFlags(text, spans, found);
  const mentions = found.map((m, i) => {
    const span = spans[m.sentence] ?? { start: 0, end: text.length };
    const sentence = text.slice(span.start, span.end);
    const flags = flagsOf[i]!;
    for (const f of flags) docFlags.add(f);
    return { entityType: m.entityType, teamId: m.teamId, playerId: m.playerId, start: m.start, end: m.end, surface: m.surface, confidence: m.confidence, sentiment: sentimentScore(sentence), flags };
  });
  return { draft, hash: contentHash(draft), sentiment: sentimentScore(`${draft.title}. ${text}`), flags: [...docFlags].sort(), mentions };
}

async function upsertSource(db: Executor, ref: SourceRef): Promise<number> {
  const [row] = await db
    .insert(documentSources)
    .values({ locator: ref.locator, kind: ref.kind, name: ref.name })
    .onConflictDoUpdate({ target: documentSources.locator, set: { name: ref.name } })
    .returning({ id: documentSources.id });
  return row!.id;
}

export async function recordSourceHealth(db: Executor, ref: SourceRef, at: Date, outcome: { ok: true; items: number } | { ok: false; error: string }): Promise<void> {
  await upsertSource(db, ref);
  if (outcome.ok) {
    await db.update(documentSources).set({ lastFetchedAt: at, lastSuccessAt: at, lastError: null, consecutiveFailures: 0, lastItems: outcome.items }).where(eq(documentSources.locator, ref.locator));
  } else {
    await db
      .update(documentSources)
      .set({ lastFetchedAt: at, lastError: outcome.error.slice(0, 1000), consecutiveFailures: sql`${documentSources.consecutiveFailures} + 1` })
      .where(eq(documentSources.locator, ref.locator));
  }
}

/** Store analysed drafts of one source in one transaction. */
export async function storeDocuments(db: Db, ref: SourceRef, analysed: Analysed[], clock: Clock): Promise<Omit<IngestResult, 'source' | 'skipped' | 'error'>> {
  const out = { inserted: 0, updated: 0, unchanged: 0, document_ids: [] as number[] };
  await db.transaction(async (tx) => {
    const sourceId = await upsertSource(tx, ref);
    for (const a of analysed) {
      const d = a.draft;
      const versions = await tx.select({ id: documents.id, version: documents.version, hash: documents.contentHash }).from(documents).where(eq(documents.url, d.url)).orderBy(desc(documents.version));
      const same = versions.find((v) => v.hash === a.hash);
      if (same) {
        out.unchanged += 1;
        out.document_ids.push(same.id);
        continue;
      }
      const version = (versions[0]?.version ?? 0) + 1;
      if (versions.length > 0) await tx.update(documents).set({ isCurrent: false }).where(eq(documents.url, d.url));
      const [row] = await tx
        .insert(documents)
        .values({ sourceId, url: d.url, version, isCurrent: true, contentHash: a.hash, title: d.title, author: d.author, publishedAt: d.publishedAt, language: d.language, body: d.body, sentiment: a.sentiment, flags: a.flags, ingestedAt: clock.now() })
        .returning({ id: documents.id });
      const id = row!.id;
      if (a.mentions.length > 0) {
        await tx.insert(documentMentions).values(
          a.mentions.map((m) => ({ documentId: id, entityType: m.entityType, teamId: m.teamId, playerId: m.playerId, startOffset: m.start, endOffset: m.end, surface: m.surface, confidence: m.confidence, sentiment: m.sentiment, flags: m.flags })),
        );
      }
      if (versions.length > 0) out.updated += 1;
      else out.inserted += 1;
      out.document_ids.push(id);
    }
  });
  return out;
}

export interface DocumentsService {
  /** Ingest one text input (feed, page, text or Markdown) already in memory. */
  ingestText(ref: SourceRef, text: string, hint: { name?: string; contentType?: string; url: string; publishedAt?: Date }): Promise<IngestResult>;
  /** A URL (fetched), a file, or every file of a folder. */
  ingestTarget(target: string): Promise<IngestResult[]>;
  /** Text pushed through the API. */
  ingestPushed(client: string, doc: { url?: string; title: string; body: string; author?: string | null; published_at?: string; language?: string }): Promise<IngestResult>;
}

const INGESTABLE = new Set(['.xml', '.rss', '.atom', '.html', '.htm', '.txt', '.md', '.markdown']);
/** A folder's own notes (README, provenance, licence, hidden files) are not news; name such a file directly to ingest it. */
const SKIPPED_IN_FOLDERS = /^(\.|(readme|provenance|licen[cs]e|changelog|sources)(\.[a-z]+)?$)/i;

export function createDocumentsService(deps: { db: Db; clock: Clock; fetchTimeoutMs?: number }): DocumentsService {
  const { db, clock } = deps;

  async function run(ref: SourceRef, build: () => Promise<{ drafts: DocumentDraft[]; skipped: number }>): Promise<IngestResult> {
    const base = { source: ref.locator, inserted: 0, updated: 0, unchanged: 0, skipped: 0, document_ids: [] as number[] };
    let result: IngestResult;
    try {
      const { drafts, skipped } = await build();
      const linker = await loadLinker(db);
      const stored = await storeDocuments(db, ref, drafts.map((d) => analyse(d, linker)), clock);
      await recordSourceHealth(db, ref, clock.now(), { ok: true, items: drafts.length });
      result = { ...base, ...stored, skipped, error: null };
    } catch (err) {
      const message = err instanceof DocumentInputError ? `${err.reason}: ${err.message}` : `error: ${(err as Error).message}`;
      await recordSourceHealth(db, ref, clock.now(), { ok: false, error: message }).catch(() => undefined);
      if (err instanceof DocumentInputError) return { ...base, error: message };
      throw err;
    }
    // The semantic index is derived from the stored documents, after they and the source's
    // health are committed: if it fails, the error propagates, and the documents it missed
    // get their vectors at the next fit.
    if (result.inserted + result.updated > 0) await indexDocuments(db, result.document_ids);
    return result;
  }

  function draftsOf(text: string, hint: { name?: string; contentType?: string; url: string; publishedAt?: Date }): { drafts: DocumentDraft[]; skipped: number; kind: DocumentSourceKind } {
    const kind = detectKind(text, hint);
    const now = clock.now();
    if (kind === 'feed') {
      const f = parseFeedText(text, hint.url, now);
      return { drafts: f.drafts, skipped: f.skipped, kind: 'feed' };
    }
    if (kind === 'html') return { drafts: [parseHtmlPage(text, hint.url, now)], skipped: 0, kind: 'html' };
    return { drafts: [parseTextFile(text, hint.url, kind, hint.publishedAt ?? now)], skipped: 0, kind: 'text' };
  }

  const service: DocumentsService = {
    async ingestText(ref, text, hint) {
      return run(ref, async () => draftsOf(text, hint));
    },

    async ingestTarget(target) {
      if (/^https?:\/\//i.test(target)) {
        const ref: SourceRef = { locator: target, kind: 'feed', name: target };
        let kind: DocumentSourceKind = 'feed';
        const result = await run(ref, async () => {
          const res = await fetch(target, { signal: AbortSignal.timeout(deps.fetchTimeoutMs ?? 20_000), headers: { accept: 'application/rss+xml, application/atom+xml, text/html;q=0.9, text/plain;q=0.8' } }).catch((err: Error) => {
            throw new DocumentInputError('fetch_failed', `Fetching ${target} failed: ${err.message}`);
          });
          if (!res.ok) throw new DocumentInputError('fetch_failed', `Fetching ${target} failed: HTTP ${res.status}`);
          const declared = Number(res.headers.get('content-length') ?? '0');
          if (declared > MAX_INPUT_BYTES) throw new DocumentInputError('too_large', `${target} is ${declared} bytes; the limit is ${MAX_INPUT_BYTES}`);
          const bytes = await readLimited(res, target);
          const d = draftsOf(decodeText(bytes), { url: res.url || target, contentType: res.headers.get('content-type') ?? '' });
          kind = d.kind;
          return d;
        });
        if (kind !== 'feed') await db.update(documentSources).set({ kind }).where(eq(documentSources.locator, target));
        return [result];
      }
      const path = resolve(target);
      const st = await stat(path).catch(() => null);
      if (!st) throw new DocumentInputError('invalid', `No such file, folder or URL: ${target}`);
      const files = st.isDirectory() ? await listFiles(path) : [path];
      const results: IngestResult[] = [];
      for (const file of files) {
        const url = `file://${file}`;
        let kind: DocumentSourceKind = 'text';
        const ref = (): SourceRef => ({ locator: url, kind, name: basename(file) });
        const fst = await stat(file);
        results.push(
          await run(ref(), async () => {
            if (fst.size > MAX_INPUT_BYTES) throw new DocumentInputError('too_large', `${file} is ${fst.size} bytes; the limit is ${MAX_INPUT_BYTES}`);
            const d = draftsOf(decodeText(await readFile(file)), { url, name: file, publishedAt: fst.mtime });
            kind = d.kind;
            return d;
          }),
        );
        await db.update(documentSources).set({ kind }).where(and(eq(documentSources.locator, url)));
      }
      return results;
    },

    async ingestPushed(client, doc) {
      const ref: SourceRef = { locator: `push:${client}`, kind: 'push', name: client };
      return run(ref, async () => {
        const publishedAt = doc.published_at ? new Date(doc.published_at) : clock.now();
        if (!Number.isFinite(publishedAt.getTime())) throw new DocumentInputError('invalid', 'published_at is not a valid date-time');
        const looksHtml = /<\/?(p|div|br|span|html|body)\b/i.test(doc.body);
        const body = looksHtml ? htmlFragmentText(doc.body) : doc.body;
        const draft: DocumentDraft = {
          url: doc.url ?? `push:${client}:${contentHash({ title: doc.title, body })}`,
          title: doc.title,
          author: doc.author ?? null,
          publishedAt,
          language: doc.language ?? 'en',
          body,
        };
        return { drafts: [parseTextFile(`${draft.body}`, draft.url, 'text', publishedAt)].map((d) => ({ ...d, title: draft.title.trim() || d.title, author: draft.author, language: draft.language })), skipped: 0 };
      });
    },
  };
  return service;
}

async function readLimited(res: Response, target: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > MAX_INPUT_BYTES) throw new DocumentInputError('too_large', `${target} is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (INGESTABLE.has(extname(e.name).toLowerCase()) && !SKIPPED_IN_FOLDERS.test(e.name)) out.push(p);
  }
  return out;
}
