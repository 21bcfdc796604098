// Injury / suspension / transfer flags about a linked player: a small rule set over the
// clause and sentence around each player mention (no model). The rules, in order:
//  1. A sentence is cut into clauses at ';', ' – ', and contrast words (but, while, whereas,
//     although, however), so "Saka is fit but Ødegaard has a knee injury" flags only Ødegaard.
//  2. A clause's cue words give its flags; a recovery phrase ("returns from injury", "after
//     serving his ban", "passed a fitness test") cancels the injury / suspension flag of that
//     clause; an absence word ("ruled out", "will miss") is an injury only when no suspension
//     cue is present ("ruled out through suspension" is a suspension).
//  3. A clause with cues but no player gives them to the players of the nearest clause of
//     the same sentence (the one before it, else the one after it).
//  4. A player named only as someone else's relation ("Bowen's former team-mate", "Saka's
//     replacement") gets no flags: the news is about the other person.
//  5. A sentence with cues and no player that starts with a pronoun or a role noun ("He",
//     "The midfielder", "The 24-year-old") gives them to the player of the previous sentence,
//     when that sentence named exactly one player.
// Measured on the hand-labelled set in test/fixtures/news-sentences/ (docs/documents.md).

export const NEWS_FLAGS = ['injury', 'suspension', 'transfer'] as const;
export type NewsFlag = (typeof NEWS_FLAGS)[number];

const INJURY =
  /\b(injur(y|ies|ed)|hamstring|groin|calf|thigh|ankle|knee|foot injury|achilles|acl|ligaments?|concussion|fractured?|broken (leg|foot|arm|ankle|toe|wrist|bone)|torn|tear|strain(ed)?|sprain(ed)?|knock|muscle (problem|injury|issue)|limped off|forced off|stretchered off|surgery|operation|illness|fitness (doubt|test|concern)|injury doubt|(a )?doubt for|doubtful for|weeks out|months out|out for (the season|the rest of|\w+ (weeks|months))|on crutches|in a (protective )?boot)\b/i;
/** Absence words: an injury unless the clause says why otherwise (a suspension). */
const ABSENCE = /\b(ruled out|sidelined|will miss|set to miss|misses|expected to miss|unavailable|out of (the|this|saturday|sunday)'?s?)\b/i;
const SUSPENSION = /\b(suspen(ded|sion|sions)|(\w+-)?(match|game) ban|bann?ed|ban|red card|sent off|dismissal|yellow cards?|serves? (a|his|her) ban|disciplinary)\b/i;
const TRANSFER =
  /\b(transfer(s|red)?|on loan|loan (move|deal|spell)|loaned|bid (for|of)|fee|(agreed|completed?|completes|seal(ed|s)?|finali[sz]ed?) (a |his |her |the )?(move|deal|switch|transfer)|move to|switch to|personal terms|(undergo(es|ne|ing)?|passed|completed?|had) a medical|release clause|free agent|linked with|swoop|snapped up|sold to|(sign(s|ed|ing)?|join(s|ed|ing)?) (for|from|on)|new signing|poached|leave the club|leaving the club|departure)\b|[£€$]\d+(\.\d+)?\s?(m|million|bn)\b/i;
/** Phrases that say an injury or a ban is over. */
const RECOVERY =
  /\b(returns? (from|after)|returned (from|after)|back from|recovered|fit again|available again|shaken off|shrugged off|passed a (late )?fitness test|cleared to (play|return|face)|back in (full )?training|over (his|her|the) (injury|knock)|after serving|served (his|her|a) ban|ban (is )?over|suspension (is )?over|no longer (injured|suspended))\b/i;
const CLAUSE_BREAK = /;|\s[–—-]\s|,?\s+(?:but|while|whereas|although|though|however)\s+/gi;
const PROXY = /^['’]s\s+(former |old |new |likely |long-term )?(team-?mates?|replacement|successor|understudy|deputy|brother|father|agent|partner|stand-in|cover)\b/i;
const ANAPHOR = /^\s*["'“‘(]?(he|she|his|her|the (\d+-year-old|player|midfielder|forward|defender|striker|winger|goalkeeper|keeper|full-back|centre-back|center-back|captain|playmaker|youngster|veteran|international|star))\b/i;

/** Flags a clause raises on its own (rules 2). */
export function clauseFlags(clause: string): NewsFlag[] {
  const recovered = RECOVERY.test(clause);
  const suspension = SUSPENSION.test(clause) && !recovered;
  const injury = !recovered && (INJURY.test(clause) || (ABSENCE.test(clause) && !SUSPENSION.test(clause)));
  const transfer = TRANSFER.test(clause);
  const out: NewsFlag[] = [];
  if (injury) out.push('injury');
  if (suspension) out.push('suspension');
  if (transfer) out.push('transfer');
  return out;
}

/** Clause spans [start, end) of a sentence span. */
export function clauses(text: string, span: { start: number; end: number }): { start: number; end: number }[] {
  const s = text.slice(span.start, span.end);
  const out: { start: number; end: number }[] = [];
  let from = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(s); m; m = CLAUSE_BREAK.exec(s)) {
    if (m.index > from) out.push({ start: span.start + from, end: span.start + m.index });
    from = m.index + m[0].length;
  }
  if (from < s.length) out.push({ start: span.start + from, end: span.end });
  return out.length ? out : [span];
}

export interface FlaggableMention {
  entityType: 'team' | 'player';
  start: number;
  end: number;
  /** Index into the sentence spans. */
  sentence: number;
  playerId: number | null;
}

/** Flags of each mention (same order); team mentions get none. */
export function mentionFlags(text: string, spans: { start: number; end: number }[], mentions: FlaggableMention[]): NewsFlag[][] {
  const out: Set<NewsFlag>[] = mentions.map(() => new Set<NewsFlag>());
  const players = mentions.map((m, i) => ({ m, i })).filter(({ m }) => m.entityType === 'player');
  let previousPlayers: number[] = [];
  spans.forEach((span, s) => {
    const inSentence = players.filter(({ m }) => m.sentence === s);
    const cs = clauses(text, span).map((c) => ({ ...c, flags: clauseFlags(text.slice(c.start, c.end)), who: inSentence.filter(({ m }) => m.start >= c.start && m.start < c.end).map(({ i }) => i) }));
    if (inSentence.length === 0) {
      const flags = cs.flatMap((c) => c.flags);
      const sentence = text.slice(span.start, span.end);
      if (flags.length > 0 && ANAPHOR.test(sentence) && new Set(previousPlayers.map((i) => mentions[i]!.playerId)).size === 1) {
        for (const i of previousPlayers) for (const f of flags) out[i]!.add(f);
      }
      previousPlayers = [];
      return;
    }
    cs.forEach((c, k) => {
      let who = c.who;
      if (who.length === 0) {
        const before = cs.slice(0, k).reverse().find((x) => x.who.length > 0);
        const after = cs.slice(k + 1).find((x) => x.who.length > 0);
        who = (before ?? after)?.who ?? [];
      }
      for (const i of who) if (!PROXY.test(text.slice(mentions[i]!.end, mentions[i]!.end + 40))) for (const f of c.flags) out[i]!.add(f);
    });
    previousPlayers = inSentence.map(({ i }) => i);
  });
  return out.map((s) => NEWS_FLAGS.filter((f) => s.has(f)));
}
