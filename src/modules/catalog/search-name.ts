// The one name normaliser behind player (and team) search. Writers store
// toSearchName(name) in players.search_name; the search endpoint normalises the query the
// same way, so "ozil" finds "Mesut Özil" and "de bruyne" finds "Kevin De Bruyne".
// Importers must use this function, not a copy: a divergence makes names unfindable.

/** Letters that Unicode decomposition (NFKD) does not reduce to an ASCII base letter. */
const FOLDS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const FOLD_RE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'g');

/**
 * Lower case, accents stripped, apostrophes dropped ("N'Golo" → "ngolo"), any other
 * punctuation (hyphens, dots) turned into a space, whitespace collapsed.
 * "Trent Alexander-Arnold" → "trent alexander arnold"; "Mesut Özil" → "mesut ozil".
 */
export function toSearchName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(FOLD_RE, (ch) => FOLDS[ch] ?? ch)
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Escape LIKE wildcards so user input matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
