// Turning raw bytes into document drafts: RSS 2.0 / Atom feeds (@rowanmanning/feed-parser),
// HTML pages (Mozilla Readability over linkedom, boilerplate dropped), plain text and
// Markdown. Everything is checked before anything is stored: too large, binary, broken
// UTF-8, not a feed, or no text at all is refused with a reason (DocumentInputError).
import { createHash } from 'node:crypto';
import { Readability } from '@mozilla/readability';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseHTML } from 'linkedom';

/** Largest input accepted (a page, feed or file), in bytes. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** Shortest clean text a document may have. */
export const MIN_TEXT_CHARS = 20;

export type InputKind = 'feed' | 'html' | 'text' | 'markdown';

export interface DocumentDraft {
  url: string;
  title: string;
  author: string | null;
  publishedAt: Date;
  language: string;
  body: string;
}

export class DocumentInputError extends Error {
  constructor(
    readonly reason: 'too_large' | 'binary' | 'encoding' | 'not_a_feed' | 'no_text' | 'unsupported' | 'fetch_failed' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'DocumentInputError';
  }
}

/** SHA-256 of what a reader sees: the title and the clean text. */
export function contentHash(d: Pick<DocumentDraft, 'title' | 'body'>): string {
  return createHash('sha256').update(d.title).update('\u0000').update(d.body).digest('hex');
}

/** Decode bytes as UTF-8, refusing binaries, oversized inputs and broken encodings. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_INPUT_BYTES) throw new DocumentInputError('too_large', `Input is ${bytes.byteLength} bytes; the limit is ${MAX_INPUT_BYTES}`);
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new DocumentInputError('binary', 'Input looks binary (NUL bytes), not text');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DocumentInputError('encoding', 'Input is not valid UTF-8');
  }
}

/** Whitespace collapsed within lines, blank-line paragraphs kept. */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/[ \t\f\v\u00a0\n]+/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join('\n\n');
}

/** Text of an HTML fragment (feed item content), block elements kept as paragraphs. */
export function htmlFragmentText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const el of document.querySelectorAll('script,style,noscript')) el.remove();
  for (const el of document.querySelectorAll('p,div,br,li,h1,h2,h3,h4,h5,h6,blockquote')) el.after(document.createTextNode('\n\n'));
  return cleanText(document.body.textContent ?? '');
}

/** Guess what the text is from its content, then its name / content type. */
export function detectKind(text: string, hint: { name?: string; contentType?: string } = {}): InputKind {
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 2000).toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(rss|feed|rdf:rdf)[\s>]/.test(start)) return 'feed';
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || /html/.test(hint.contentType ?? '')) return 'html';
  const name = (hint.name ?? '').toLowerCase();
  if (/\.(rss|atom|xml)$/.test(name) || /(rss|atom)\+xml/.test(hint.contentType ?? '')) return 'feed';
  if (/\.html?$/.test(name)) return 'html';
  if (/\.(md|markdown)$/.test(name) || /markdown/.test(hint.contentType ?? '')) return 'markdown';
  if (start.startsWith('<?xml')) return 'feed';
  return 'text';
}

function validDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && Number.isFinite(d.getTime());
}

function finish(d: DocumentDraft, where: string): DocumentDraft {
  const body = cleanText(d.body);
  if (body.length < MIN_TEXT_CHARS) throw new DocumentInputError('no_text', `${where} has no text (${body.length} characters after extraction)`);
  return { ...d, title: cleanText(d.title).replace(/\n+/g, ' ').slice(0, 500) || body.slice(0, 80), body };
}

/** Every item of an RSS 2.0 / Atom feed; items without text or link are skipped and counted. */
export function parseFeedText(xml: string, feedUrl: string, now: Date): { drafts: DocumentDraft[]; skipped: number; title: string | null } {
  let feed;
  try {
    feed = parseFeed(xml);
  } catch (err) {
    throw new DocumentInputError('not_a_feed', `Not an RSS or Atom feed: ${(err as Error).message}`);
  }
  const language = (feed.language ?? 'en').slice(0, 2).toLowerCase();
  const drafts: DocumentDraft[] = [];
  let skipped = 0;
  for (const item of feed.items) {
    const url = item.url ?? (item.id ? `${feedUrl}#${item.id}` : null);
    const html = item.content ?? item.description ?? '';
    const body = htmlFragmentText(html);
    if (!url || body.length < MIN_TEXT_CHARS) {
      skipped += 1;
      continue;
    }
    const published = validDate(item.published) ? item.published : validDate(item.updated) ? item.updated : now;
    drafts.push(finish({ url, title: item.title ?? '', author: item.authors[0]?.name ?? null, publishedAt: published, language, body }, `Feed item ${url}`));
  }
  if (drafts.length === 0 && feed.items.length > 0) throw new DocumentInputError('no_text', `Feed has ${feed.items.length} items and none with text and a link`);
  return { drafts, skipped, title: feed.title };
}

/** The main text of an HTML page (Readability); navigation and boilerplate are dropped. */
export function parseHtmlPage(html: string, url: string, now: Date): DocumentDraft {
  const { document } = parseHTML(html);
  const lang = document.documentElement?.getAttribute('lang') ?? 'en';
  const metaTime =
    document.querySelector('meta[property="article:published_time"]')?.getAttribute('content') ??
    document.querySelector('time[datetime]')?.getAttribute('datetime') ??
    null;
  const metaAuthor = document.querySelector('meta[name="author"]')?.getAttribute('content') ?? null;
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100 }).parse();
  const text = article?.content ? htmlFragmentText(article.content) : '';
  const published = metaTime ? new Date(metaTime) : (article?.publishedTime ? new Date(article.publishedTime) : null);
  return finish(
    {
      url,
      title: article?.title ?? document.querySelector('title')?.textContent ?? '',
      author: article?.byline ?? metaAuthor,
      publishedAt: validDate(published) ? published : now,
      language: lang.slice(0, 2).toLowerCase(),
      body: text,
    },
    `Page ${url}`,
  );
}

/** A plain text or Markdown file: the first line (or `# heading`) is the title. */
export function parseTextFile(text: string, url: string, kind: 'text' | 'markdown', publishedAt: Date): DocumentDraft {
  let body = text.replace(/^\uFEFF/, '');
  let title = '';
  if (kind === 'markdown') {
    const fm = /^---\n([\s\S]*?)\n---\n/.exec(body);
    let published: Date | null = null;
    if (fm) {
      const t = /^title:\s*"?(.*?)"?\s*$/m.exec(fm[1]!);
      const d = /^date:\s*"?(.*?)"?\s*$/m.exec(fm[1]!);
      if (t) title = t[1]!;
      if (d && validDate(new Date(d[1]!))) published = new Date(d[1]!);
      body = body.slice(fm[0].length);
    }
    const h = /^#\s+(.+)$/m.exec(body);
    if (!title && h) title = h[1]!;
    body = body
      .replace(/^#{1,6}\s+/gm, '')
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__|\*|_|`)/g, '')
      .replace(/^\s*[-*+]\s+/gm, '')
      .replace(/^>\s?/gm, '');
    if (published) publishedAt = published;
  }
  if (!title) title = body.trim().split('\n')[0] ?? '';
  return finish({ url, title, author: null, publishedAt, language: 'en', body }, `File ${url}`);
}
