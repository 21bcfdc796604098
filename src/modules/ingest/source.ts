// Reading import inputs the way real users hand them over: local files, folders of files,
// and http(s) URLs (a football-data.co.uk season link). The bytes are hashed (sha256) so the
// same content is recognised on a second run, then decoded: UTF-8 when the bytes are valid
// UTF-8 (BOM stripped), otherwise Windows-1252, the single-byte "Latin-1" that spreadsheet
// exports from Windows actually use (it agrees with ISO-8859-1 on every letter, ñ = 0xF1, and
// also maps 0x80-0x9F to the curly quotes and dashes those exports contain).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import iconv from 'iconv-lite';
import { ValidationError } from '../../platform/errors.js';

export interface SourceBytes {
  /** What the user named: an absolute path or the URL. */
  name: string;
  bytes: Buffer;
  sha256: string;
}

export interface SourceText {
  name: string;
  text: string;
  encoding: 'utf-8' | 'windows-1252';
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes → text with one kind of line ending ("\n"): CRLF (Windows) and CR (old Mac) become LF. */
export function decodeText(bytes: Buffer): { text: string; encoding: SourceText['encoding'] } {
  let text: string;
  let encoding: SourceText['encoding'] = 'utf-8';
  try {
    // The fatal decoder throws on the first byte sequence that is not UTF-8.
    text = utf8.decode(bytes);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    text = iconv.decode(bytes, 'windows-1252');
    encoding = 'windows-1252';
  }
  return { text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), encoding };
}

/** Fetching is injectable so tests can serve URLs without a network. */
export type Fetcher = (url: string) => Promise<Buffer>;

export const httpFetcher: Fetcher = async (url) => {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
};

export async function readSource(input: string, fetcher: Fetcher = httpFetcher): Promise<SourceBytes> {
  const bytes = isUrl(input) ? await fetcher(input) : await readFile(input);
  return { name: input, bytes, sha256: sha256(bytes) };
}

/** A path or URL next to `main` (FPL's players_raw.csv beside merged_gw.csv). */
export function siblingOf(main: string, name: string): string {
  if (isUrl(main)) return new URL(name, main).toString();
  return join(main.slice(0, main.lastIndexOf(sep) + 1) || '.', name);
}

/**
 * Expands the user's inputs into the files to import, in a stable order: a URL or a file is
 * itself; a folder is every file below it that the format accepts, sorted by relative path
 * (so SSSS.csv seasons import oldest first). Missing paths are a usage error naming the input.
 */
export async function expandInputs(inputs: string[], accepts: (relativePath: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const [i, input] of inputs.entries()) {
    if (isUrl(input)) {
      out.push(input);
      continue;
    }
    const path = resolve(input);
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw err;
    });
    if (!info) throw new ValidationError(`input ${input} does not exist`, `inputs.${i}`, input);
    if (!info.isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((f) => accepts(relative(path, f).split(sep).join('/')))
      .sort();
    out.push(...files);
  }
  return [...new Set(out)];
}
