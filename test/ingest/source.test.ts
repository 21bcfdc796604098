import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/modules/ingest/csv.js';
import { decodeText, expandInputs, readSource, sha256, siblingOf } from '../../src/modules/ingest/source.js';
import { ValidationError } from '../../src/platform/errors.js';

describe('decodeText', () => {
  it('reads UTF-8 and strips a byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Team\nDeportivo La Coruña\n', 'utf8')]);
    expect(decodeText(bytes)).toEqual({ text: 'Team\nDeportivo La Coruña\n', encoding: 'utf-8' });
  });

  it('falls back to Latin-1 (Windows-1252) when the bytes are not UTF-8', () => {
    // "Coruña" with ñ as the single byte 0xF1, as Excel on Windows writes it.
    const bytes = Buffer.from([0x43, 0x6f, 0x72, 0x75, 0xf1, 0x61, 0x0a]);
    expect(decodeText(bytes)).toEqual({ text: 'Coruña\n', encoding: 'windows-1252' });
  });

  it('turns CRLF and bare CR line endings into LF', () => {
    expect(decodeText(Buffer.from('a,b\r\n1,2\r3,4\r')).text).toBe('a,b\n1,2\n3,4\n');
  });
});

describe('parseCsv', () => {
  it('gives every row the physical line it starts on, skipping blank and comma-only rows', () => {
    const t = parseCsv('a,b,c\n1,2,3\n\n"x\ny",5,6\n,,\n7,8\n\n,,,\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows.map((r) => [r.line, r.cells])).toEqual([
      [2, ['1', '2', '3']],
      [4, ['x\ny', '5', '6']],
      [7, ['7', '8']],
    ]);
  });

  it('trims cells including non-breaking spaces and ignores empty header names', () => {
    const t = parseCsv('Div,Referee,,\nE0,\u00a0U Rennie,,\n');
    expect(t.rows[0]!.cells[1]).toBe('U Rennie');
    expect([...t.index.keys()]).toEqual(['Div', 'Referee']);
  });
});

describe('inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sharpline-src-'));
    await mkdir(join(dir, 'E0'));
    await writeFile(join(dir, 'E0', '1011.csv'), 'x');
    await writeFile(join(dir, 'E0', '0910.csv'), 'x');
    await writeFile(join(dir, 'E0', 'notes.txt'), 'x');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('expands folders into the accepted files, sorted, and keeps URLs as given', async () => {
    const files = await expandInputs([dir, 'https://www.football-data.co.uk/mmz4281/1516/E0.csv'], (rel) => rel.endsWith('.csv'));
    expect(files).toEqual([join(dir, 'E0', '0910.csv'), join(dir, 'E0', '1011.csv'), 'https://www.football-data.co.uk/mmz4281/1516/E0.csv']);
  });

  it('names the missing input in a validation error', async () => {
    const err = await expandInputs([dir, join(dir, 'nope.csv')], () => true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ extra: { field: 'inputs.1' } });
  });

  it('reads URLs through the fetcher and hashes the bytes', async () => {
    const fetched: string[] = [];
    const src = await readSource('https://example.test/1516/E0.csv', async (url) => {
      fetched.push(url);
      return Buffer.from('Div,Date\n');
    });
    expect(fetched).toEqual(['https://example.test/1516/E0.csv']);
    expect(src.sha256).toBe(sha256(Buffer.from('Div,Date\n')));
    expect(siblingOf('https://example.test/fpl/2019-20/merged_gw.csv', 'teams.csv')).toBe('https://example.test/fpl/2019-20/teams.csv');
  });
});
