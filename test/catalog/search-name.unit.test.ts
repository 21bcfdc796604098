import { describe, expect, it } from 'vitest';
import { escapeLike, toSearchName } from '../../src/modules/catalog/search-name.js';

describe('toSearchName', () => {
  it.each([
    ['Mesut Özil', 'mesut ozil'],
    ['Kevin De Bruyne', 'kevin de bruyne'],
    ["N'Golo Kanté", 'ngolo kante'],
    ['Trent Alexander-Arnold', 'trent alexander arnold'],
    ['Martin Ødegaard', 'martin odegaard'],
    ['Łukasz Fabiański', 'lukasz fabianski'],
    ['  Çağlar   Söyüncü ', 'caglar soyuncu'],
    ['Thomas Müller', 'thomas muller'],
    ['Ryan Fraser Jr.', 'ryan fraser jr'],
  ])('%s → %s', (name, expected) => {
    expect(toSearchName(name)).toBe(expected);
  });

  it('is idempotent, so stored names and queries normalise alike', () => {
    for (const name of ['Mesut Özil', "N'Golo Kanté", 'Ødegaard']) expect(toSearchName(toSearchName(name))).toBe(toSearchName(name));
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });
});
