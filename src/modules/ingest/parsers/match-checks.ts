// Checks every parser of this folder applies to its matches before handing them on.
import type { ParsedMatch, Rejection } from '../types.js';

/**
 * Keeps the first of matches that share an identity (date, home, away as the source
 * spells them) and reports the others: a repeated row in one file is a copy, and
 * counting it twice would make the writer's counts lie.
 */
export function dropDuplicateMatches(matches: ParsedMatch[], file: string, rejected: Rejection[]): ParsedMatch[] {
  const firstLine = new Map<string, number>();
  const kept: ParsedMatch[] = [];
  for (const m of matches) {
    const key = `${m.date}\u0000${m.home}\u0000${m.away}`;
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      rejected.push({ file, line: m.line, reason: `duplicate of line ${seen}: ${m.home} v ${m.away} on ${m.date}` });
      continue;
    }
    firstLine.set(key, m.line);
    kept.push(m);
  }
  return kept;
}

/** Orders rejections by file then line so reports read top to bottom. */
export function sortRejections(rejected: Rejection[]): Rejection[] {
  return rejected.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
