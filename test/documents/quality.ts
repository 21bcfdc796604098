// Scores the documents module's linking, sentiment and flags against the hand-labelled
// sentences of test/fixtures/news-sentences/ (dev.json: the rules were tuned on it;
// heldout.json: written after the tuning and scored as it came). Used by quality.test.ts and
// by `npx tsx bench/documents-quality.ts`, which prints the figures in docs/documents.md.
import { readFileSync } from 'node:fs';
import { mentionFlags, NEWS_FLAGS, type NewsFlag } from '../../src/modules/documents/flags.js';
import { createLinker, sentences } from '../../src/modules/documents/linking.js';
import { polarity, sentimentScore } from '../../src/modules/documents/sentiment.js';

const DIR = new URL('../fixtures/news-sentences/', import.meta.url).pathname;

export interface LabelledSentence {
  id: string;
  text: string;
  teams: string[];
  players: string[];
  sentiment: -1 | 0 | 1;
  flags: Record<string, NewsFlag[]>;
}

interface Catalog {
  teams: { name: string; aliases: string[] }[];
  players: { name: string; last_name: string; team: string }[];
}

export function loadSet(split: 'dev' | 'heldout'): LabelledSentence[] {
  return JSON.parse(readFileSync(`${DIR}${split}.json`, 'utf8')) as LabelledSentence[];
}

export interface PrecisionRecall {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface QualityReport {
  sentences: number;
  linking: PrecisionRecall;
  sentiment: { agree: number; total: number; agreement: number; confusion: Record<string, number> };
  flags: PrecisionRecall & { byFlag: Record<NewsFlag, PrecisionRecall> };
  errors: string[];
}

const pr = (tp: number, fp: number, fn: number): PrecisionRecall => ({
  tp,
  fp,
  fn,
  precision: tp + fp === 0 ? 1 : Math.round((tp / (tp + fp)) * 1000) / 1000,
  recall: tp + fn === 0 ? 1 : Math.round((tp / (tp + fn)) * 1000) / 1000,
});

export function evaluate(set: LabelledSentence[]): QualityReport {
  const catalog = JSON.parse(readFileSync(`${DIR}catalog.json`, 'utf8')) as Catalog;
  const teamId = new Map(catalog.teams.map((t, i) => [t.name, i + 1]));
  const playerId = new Map(catalog.players.map((p, i) => [p.name, i + 1]));
  const teamName = new Map([...teamId].map(([n, id]) => [id, n]));
  const playerName = new Map([...playerId].map(([n, id]) => [id, n]));
  const linker = createLinker(
    catalog.teams.map((t) => ({ id: teamId.get(t.name)!, name: t.name, aliases: t.aliases })),
    catalog.players.map((p) => ({ id: playerId.get(p.name)!, name: p.name, lastName: p.last_name, teamId: teamId.get(p.team) ?? null })),
  );
  let ltp = 0,
    lfp = 0,
    lfn = 0,
    agree = 0;
  const confusion: Record<string, number> = {};
  const flagCounts = Object.fromEntries(NEWS_FLAGS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<NewsFlag, { tp: number; fp: number; fn: number }>;
  const errors: string[] = [];
  for (const s of set) {
    for (const n of [...s.teams]) if (!teamId.has(n)) throw new Error(`${s.id}: unknown team ${n}`);
    for (const n of [...s.players, ...Object.keys(s.flags)]) if (!playerId.has(n)) throw new Error(`${s.id}: unknown player ${n}`);
    const mentions = linker.link(s.text);
    const got = new Set(mentions.map((m) => (m.entityType === 'team' ? `team:${teamName.get(m.teamId!)}` : `player:${playerName.get(m.playerId!)}`)));
    const want = new Set([...s.teams.map((n) => `team:${n}`), ...s.players.map((n) => `player:${n}`)]);
    for (const g of got) {
      if (want.has(g)) ltp += 1;
      else {
        lfp += 1;
        errors.push(`${s.id} link: extra ${g}`);
      }
    }
    for (const w of want) {
      if (!got.has(w)) {
        lfn += 1;
        errors.push(`${s.id} link: missed ${w}`);
      }
    }
    const p = polarity(sentimentScore(s.text));
    confusion[`${s.sentiment}→${p}`] = (confusion[`${s.sentiment}→${p}`] ?? 0) + 1;
    if (p === s.sentiment) agree += 1;
    else errors.push(`${s.id} sentiment: labelled ${s.sentiment}, scored ${p} (${sentimentScore(s.text)})`);
    // Flags are scored per (player, flag) over the players the linker found.
    const flagsOf = mentionFlags(s.text, sentences(s.text), mentions);
    const gotFlags = new Set<string>();
    mentions.forEach((m, i) => {
      if (m.entityType === 'player') for (const f of flagsOf[i]!) gotFlags.add(`${playerName.get(m.playerId!)}|${f}`);
    });
    const wantFlags = new Set(Object.entries(s.flags).flatMap(([n, fs]) => fs.map((f) => `${n}|${f}`)));
    for (const g of gotFlags) {
      const f = g.split('|')[1] as NewsFlag;
      if (wantFlags.has(g)) flagCounts[f].tp += 1;
      else {
        flagCounts[f].fp += 1;
        errors.push(`${s.id} flag: extra ${g}`);
      }
    }
    for (const w of wantFlags) {
      if (!gotFlags.has(w)) {
        flagCounts[w.split('|')[1] as NewsFlag].fn += 1;
        errors.push(`${s.id} flag: missed ${w}`);
      }
    }
  }
  const all = Object.values(flagCounts).reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    sentences: set.length,
    linking: pr(ltp, lfp, lfn),
    sentiment: { agree, total: set.length, agreement: Math.round((agree / set.length) * 1000) / 1000, confusion },
    flags: { ...pr(all.tp, all.fp, all.fn), byFlag: Object.fromEntries(NEWS_FLAGS.map((f) => [f, pr(flagCounts[f].tp, flagCounts[f].fp, flagCounts[f].fn)])) as Record<NewsFlag, PrecisionRecall> },
    errors,
  };
}
