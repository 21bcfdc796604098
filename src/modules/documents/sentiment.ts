// Sentiment (AFINN-165 lexicon via the offline `sentiment` package) per text and per
// sentence, and a small rule set flagging injury / suspension / transfer news.
import Sentiment from 'sentiment';

const analyzer = new Sentiment();

/** Sports words the general lexicon misses or misreads (AFINN scale -5..5). */
const SPORTS_LEXICON: Record<string, number> = {
  injury: -2,
  injured: -2,
  injuries: -2,
  sidelined: -2,
  setback: -2,
  hamstring: -1,
  ruled: -1,
  suspended: -2,
  ban: -2,
  banned: -2,
  relegation: -2,
  relegated: -3,
  sacked: -3,
  thrashed: -3,
  thrashing: -3,
  humiliated: -3,
  defeat: -2,
  defeats: -2,
  lost: -2,
  loses: -2,
  slump: -2,
  crisis: -3,
  boost: 2,
  boosted: 2,
  fit: 2,
  returns: 1,
  unbeaten: 3,
  victory: 3,
  win: 3,
  wins: 3,
  won: 3,
  stunning: 3,
  superb: 3,
  brilliant: 3,
  clinical: 2,
  title: 0,
  hit: 0,
  miss: -1,
  misses: -1,
  doubt: -1,
  doubtful: -1,
};

/** AFINN comparative score: summed word scores divided by the number of words. */
export function sentimentScore(text: string): number {
  const r = analyzer.analyze(text, { extras: SPORTS_LEXICON });
  return Math.round(r.comparative * 1000) / 1000;
}

/** -1, 0 or 1 with a dead band: what the labelled set is compared against. */
export function polarity(score: number, band = 0.05): -1 | 0 | 1 {
  return score > band ? 1 : score < -band ? -1 : 0;
}

export const NEWS_FLAGS = ['injury', 'suspension', 'transfer'] as const;
export type NewsFlag = (typeof NEWS_FLAGS)[number];

const RULES: Record<NewsFlag, RegExp> = {
  injury: /\b(injur(y|ies|ed)|hamstring|groin|calf|ankle|knee|acl|concussion|fracture[ds]?|broken (leg|foot|arm)|strain(ed)?|sprain(ed)?|ruled out|sidelined|fitness (doubt|test)|limped off|out for (the season|\w+ weeks)|surgery)\b/i,
  suspension: /\b(suspen(ded|sion)|(\w+-match |\w+ match )?ban(ned)?|red card|sent off|accumulat(ed|ion) of yellow|serves? a ban|disciplinary)\b/i,
  transfer: /\b(transfer(red|s)?|sign(s|ed|ing)? (for|with)|signing|joins?|joined|loan(ed)?|move[sd]? to|bid for|fee of|undisclosed fee|contract extension|release clause|deal (to|with) (join|sign))\b/i,
};

/** Flags a sentence raises. */
export function newsFlags(sentence: string): NewsFlag[] {
  return NEWS_FLAGS.filter((f) => RULES[f].test(sentence));
}
