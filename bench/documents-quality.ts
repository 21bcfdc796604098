// Linking precision / recall, sentiment agreement and flag precision / recall on the
// hand-labelled sentences (test/fixtures/news-sentences/): the development part the rules were
// tuned on, and the held-out part written afterwards. Figures go in docs/documents.md.
//   npx tsx bench/documents-quality.ts [--errors]
import { evaluate, loadSet } from '../test/documents/quality.js';

const showErrors = process.argv.includes('--errors');
for (const split of ['dev', 'heldout'] as const) {
  let set;
  try {
    set = loadSet(split);
  } catch {
    continue;
  }
  const r = evaluate(set);
  const f = (x: { precision: number; recall: number; tp: number; fp: number; fn: number }) => `P ${x.precision.toFixed(3)}  R ${x.recall.toFixed(3)}  (tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`;
  process.stdout.write(`\n${split}: ${r.sentences} sentences\n`);
  process.stdout.write(`  linking     ${f(r.linking)}\n`);
  process.stdout.write(`  sentiment   agreement ${r.sentiment.agreement.toFixed(3)} (${r.sentiment.agree}/${r.sentiment.total}); labelled→scored ${JSON.stringify(r.sentiment.confusion)}\n`);
  process.stdout.write(`  flags       ${f(r.flags)}\n`);
  for (const [k, v] of Object.entries(r.flags.byFlag)) process.stdout.write(`    ${k.padEnd(10)} ${f(v)}\n`);
  if (showErrors) for (const e of r.errors) process.stdout.write(`    - ${e}\n`);
}
