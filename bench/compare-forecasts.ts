// Compares `sharpline evaluate --forecasts` exports cell by cell (competition × season): each
// forecaster's RPS minus the opening market's, with a paired-bootstrap 95% interval, for one or
// more exports side by side (e.g. before and after a model change). Used for the per-league
// before/after table in docs/model-quality.md (issue 17).
//
//   npx tsx bench/compare-forecasts.ts --forecaster ensemble --from 2015-16 before.csv after.csv
//   npx tsx bench/compare-forecasts.ts --forecaster dixon-coles --market market-closing --by competition --from 2015-16 a.csv
// (--by competition pools each competition's seasons into one row.)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { pairedBootstrap } from '../src/models/metrics.js';

const { values: args, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { forecaster: { type: 'string', default: 'ensemble' }, market: { type: 'string', default: 'market-opening' }, from: { type: 'string' }, by: { type: 'string', default: 'season' } },
});
if (files.length === 0) {
  process.stderr.write('usage: bench/compare-forecasts.ts [--forecaster ensemble] [--market market-opening] [--from 2015-16] a.csv [b.csv ...]\n');
  process.exit(2);
}

type Cell = { a: number[]; b: number[] };
const rps = (h: number, d: number, hs: number, as: number) => {
  const o = hs > as ? [1, 1] : hs === as ? [0, 1] : [0, 0];
  return ((h - o[0]!) ** 2 + (h + d - o[1]!) ** 2) / 2;
};
function cells(file: string): Map<string, Cell> {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${file} has no column ${name}`);
    return i;
  };
  const [comp, season, hs, as] = [at('competition'), at('season'), at('home_score'), at('away_score')];
  const [fh, fd, mh, md] = [at(`${args.forecaster}_home`), at(`${args.forecaster}_draw`), at(`${args.market}_home`), at(`${args.market}_draw`)];
  const out = new Map<string, Cell>();
  for (const line of lines) {
    // Team names are quoted when they hold a comma; the numeric columns come after them.
    const c = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ''));
    if (args.from && c[season]! < args.from) continue;
    if (c[fh] === '' || c[mh] === '') continue;
    const key = args.by === 'competition' ? c[comp]! : `${c[comp]} ${c[season]}`;
    const cell = out.get(key) ?? { a: [], b: [] };
    cell.a.push(rps(Number(c[fh]), Number(c[fd]), Number(c[hs]), Number(c[as])));
    cell.b.push(rps(Number(c[mh]), Number(c[md]), Number(c[hs]), Number(c[as])));
    out.set(key, cell);
  }
  return out;
}

const all = files.map(cells);
const keys = [...new Set(all.flatMap((m) => [...m.keys()]))].sort();
const f = (v: number) => v.toFixed(4);
process.stdout.write(`${args.forecaster} − ${args.market} (RPS, paired bootstrap 95%; ▲ = whole interval above zero)\n\n`);
process.stdout.write(`| competition${args.by === 'competition' ? '' : ' season'} | n | ${files.map((x) => basename(x)).join(' | ')} |\n|---|---:|${files.map(() => '---').join('|')}|\n`);
const above = files.map(() => 0);
for (const key of keys) {
  const row = all.map((m, i) => {
    const cell = m.get(key);
    if (!cell || cell.a.length === 0) return '–';
    const ci = pairedBootstrap(cell.a, cell.b, { resamples: 2000, seed: 20240601 });
    if (ci.lower > 0) above[i]!++;
    return `${f(ci.meanDifference)} [${f(ci.lower)}, ${f(ci.upper)}]${ci.lower > 0 ? ' ▲' : ''}`;
  });
  process.stdout.write(`| ${key} | ${all[0]!.get(key)?.a.length ?? '–'} | ${row.join(' | ')} |\n`);
}
process.stdout.write(`| cells above beyond noise | | ${above.join(' | ')} |\n`);
