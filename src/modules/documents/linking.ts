// Entity linking: finds the catalogue's teams and players in a text by their names and
// aliases, accent- and case-insensitively (toSearchName folding, offsets kept into the
// original text). Ambiguity is left unlinked rather than guessed:
//  - a name shared by two teams ("United") links nowhere;
//  - generic one-word club words (United, City, Real, ...) link only as part of a longer name;
//  - a surname shared by two players links only when exactly one of them plays for a team
//    named in the same sentence; a unique surname links with lower confidence.
import { toSearchName } from '../catalog/search-name.js';

export interface CatalogTeam {
  id: number;
  name: string;
  shortName?: string | null;
  abbreviation?: string | null;
  aliases: string[];
}
export interface CatalogPlayer {
  id: number;
  name: string;
  lastName?: string | null;
  teamId: number | null;
}

export interface Mention {
  entityType: 'team' | 'player';
  teamId: number | null;
  playerId: number | null;
  start: number;
  end: number;
  surface: string;
  confidence: number;
  /** Index into sentences(). */
  sentence: number;
}

/** Words that are part of many club names: never a link on their own. */
const GENERIC = new Set(['united', 'city', 'real', 'athletic', 'atletico', 'sporting', 'rovers', 'town', 'wanderers', 'county', 'albion', 'fc', 'club', 'inter', 'racing', 'olympic', 'dynamo']);

type Entry = { kind: 'team'; id: number; confidence: number } | { kind: 'player'; id: number; teamId: number | null; confidence: number; surname: boolean };

interface Token {
  key: string;
  start: number;
  end: number;
}

/** Words of the text, folded like toSearchName, with their offsets in the original. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // A possessive ("City's", "Bowen’s") is the name without its 's.
    const word = /^(.{2,})['’]s$/iu.exec(m[0])?.[1] ?? m[0];
    const key = toSearchName(word).replace(/ /g, '');
    if (key) out.push({ key, start: m.index, end: m.index + word.length });
  }
  return out;
}

/** Sentence spans [start, end) of a text. */
export function sentences(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[^.!?\n]+(?:[.!?]+["'”’)]*|\n|$)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    if (m[0].trim()) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface Linker {
  link(text: string): Mention[];
}

export function createLinker(teams: CatalogTeam[], players: CatalogPlayer[]): Linker {
  const dict = new Map<string, Entry[]>();
  let maxLen = 1;
  const add = (name: string | null | undefined, e: Entry) => {
    if (!name) return;
    const key = toSearchName(name);
    if (!key) return;
    const words = key.split(' ').length;
    if (words === 1 && GENERIC.has(key)) return;
    if (words === 1 && key.length < 3) return;
    maxLen = Math.max(maxLen, words);
    const list = dict.get(key) ?? [];
    if (!list.some((x) => x.kind === e.kind && x.id === e.id)) list.push(e);
    else {
      const i = list.findIndex((x) => x.kind === e.kind && x.id === e.id);
      if (list[i]!.confidence < e.confidence) list[i] = e;
    }
    dict.set(key, list);
  };
  for (const t of teams) {
    add(t.name, { kind: 'team', id: t.id, confidence: 0.95 });
    add(t.shortName, { kind: 'team', id: t.id, confidence: 0.9 });
    if (t.abbreviation && t.abbreviation.length >= 3) add(t.abbreviation, { kind: 'team', id: t.id, confidence: 0.75 });
    for (const a of t.aliases) add(a, { kind: 'team', id: t.id, confidence: 0.9 });
  }
  for (const p of players) {
    add(p.name, { kind: 'player', id: p.id, teamId: p.teamId, confidence: 0.95, surname: false });
    const last = p.lastName ?? (p.name.includes(' ') ? p.name.slice(p.name.lastIndexOf(' ') + 1) : null);
    if (last && toSearchName(last) !== toSearchName(p.name)) add(last, { kind: 'player', id: p.id, teamId: p.teamId, confidence: 0.7, surname: true });
  }

  return {
    link(text: string): Mention[] {
      const tokens = tokenize(text);
      const spans = sentences(text);
      const sentenceOf = (offset: number) => {
        const i = spans.findIndex((s) => offset >= s.start && offset < s.end);
        return i < 0 ? 0 : i;
      };
      // Longest match first at each position.
      const found: { start: number; end: number; entries: Entry[]; sentence: number }[] = [];
      for (let i = 0; i < tokens.length; ) {
        let matched = 0;
        for (let n = Math.min(maxLen, tokens.length - i); n >= 1; n -= 1) {
          const key = tokens
            .slice(i, i + n)
            .map((t) => t.key)
            .join(' ');
          const entries = dict.get(key);
          if (entries) {
            const start = tokens[i]!.start;
            found.push({ start, end: tokens[i + n - 1]!.end, entries, sentence: sentenceOf(start) });
            matched = n;
            break;
          }
        }
        i += matched || 1;
      }
      // Teams first: players' context is the teams named in their sentence.
      const teamsBySentence = new Map<number, Set<number>>();
      const mentions: Mention[] = [];
      for (const f of found) {
        const teamEntries = f.entries.filter((e) => e.kind === 'team');
        if (teamEntries.length === 1 && f.entries.length === 1) {
          const e = teamEntries[0]!;
          mentions.push({ entityType: 'team', teamId: e.id, playerId: null, start: f.start, end: f.end, surface: text.slice(f.start, f.end), confidence: e.confidence, sentence: f.sentence });
          const set = teamsBySentence.get(f.sentence) ?? new Set<number>();
          set.add(e.id);
          teamsBySentence.set(f.sentence, set);
        }
      }
      for (const f of found) {
        const ps = f.entries.filter((e): e is Extract<Entry, { kind: 'player' }> => e.kind === 'player');
        if (ps.length === 0 || ps.length !== f.entries.length) continue;
        const ctx = teamsBySentence.get(f.sentence) ?? new Set<number>();
        let pick: Extract<Entry, { kind: 'player' }> | null = null;
        let confidence = 0;
        if (ps.length === 1) {
          pick = ps[0]!;
          confidence = pick.confidence + (pick.teamId !== null && ctx.has(pick.teamId) ? 0.1 : 0);
        } else {
          const inContext = ps.filter((p) => p.teamId !== null && ctx.has(p.teamId));
          if (inContext.length === 1) {
            pick = inContext[0]!;
            confidence = 0.8;
          }
        }
        if (!pick) continue;
        mentions.push({ entityType: 'player', teamId: pick.teamId, playerId: pick.id, start: f.start, end: f.end, surface: text.slice(f.start, f.end), confidence: Math.min(0.99, Math.round(confidence * 100) / 100), sentence: f.sentence });
      }
      return mentions.sort((a, b) => a.start - b.start);
    },
  };
}
