// Sentiment (AFINN-165 lexicon via the offline `sentiment` package) per text and per
// sentence (the flags about players are in flags.ts).
import Sentiment from 'sentiment';

const analyzer = new Sentiment();

/** Sports words the general lexicon misses or misreads (AFINN scale -5..5). */
const SPORTS_LEXICON: Record<string, number> = {
  injury: -2,
  injured: -2,
  injuries: -2,
  sidelined: -2,
  surgery: -2,
  limped: -2,
  available: 1,
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
