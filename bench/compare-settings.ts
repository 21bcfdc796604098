// Fixed settings against settings chosen by nested walk-forward (issue 17, "settings that
// travel"): two `sharpline evaluate --forecasts` exports of the same matches, one run with
// `--settings fixed` and one with `--settings nested`; per competition over the seasons from
// --from, and on the matches of promoted teams (a team in its first season of the export's
// competition, i.e. absent from that competition's previous season) and of a league's first
// seasons, prints nested − fixed RPS per model with a paired-bootstrap 95% interval, and each
// one's gap to the closing market.
//
//   npx tsx bench/compare-settings.ts --from 2015-16 fixed.csv nested.csv
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pairedBootstrap } from '../src/models/metrics.js';

const { values: args, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, models: { type: 'string', default: 'dixon-coles,elo,ensemble' }, market: { type: 'string', default: 'market-closing' } },
});
if (files.length !== 2) {
  process.stderr.write('usage: bench/compare-settings.ts [--from 2015-16] [--models dixon-coles,elo,ensemble] fixed.csv nested.csv\n');
  process.exit(2);
}
const models = args.models!.split(',');

interface Row {
  id: string;
  competition: string;
  season: string;
  home: string;
  away: string;
  hs: number;
  as: number;
  p: Record<string, [number, number] | undefined>;
}

const rps = (h: number, d: number, hs: number, as: number) => {
  const o = hs > as ? [1, 1] : hs === as ? [0, 1] : [0, 0];
  return ((h - o[0]!) ** 2 + (h + d - o[1]!) ** 2) / 2;
};

function read(file: string): Map<string, Row> {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const out = new Map<string, Row>();
  for (const line of lines) {
    const c = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ''));
    const p: Row['p'] = {};
    for (const m of [...models, args.market!]) {
      const h = at(`${m}_home`);
      if (h >= 0 && c[h] !== '') p[m] = [Number(c[h]), Number(c[at(`${m}_draw`)])];
    }
    out.set(c[at('match_id')]!, { id: c[at('match_id')]!, competition: c[at('competition')]!, season: c[at('season')]!, home: c[at('home_team')]!, away: c[at('away_team')]!, hs: Number(c[at('home_score')]), as: Number(c[at('away_score')]), p });
  }
  return out;
}

const fixed = read(files[0]!);
const nested = read(files[1]!);
// Promoted: a team absent from its competition's previous season in the export.
const teamsBySeason = new Map<string, Set<string>>();
for (const r of fixed.values()) {
  const k = `${r.competition} ${r.season}`;
  const s = teamsBySeason.get(k) ?? new Set<string>();
  s.add(r.home).add(r.away);
  teamsBySeason.set(k, s);
}
const seasonsOf = (comp: string) => [...teamsBySeason.keys()].filter((k) => k.startsWith(`${comp} `)).map((k) => k.slice(comp.length + 1)).sort();
const promoted = (r: Row) => {
  const seasons = seasonsOf(r.competition);
  const i = seasons.indexOf(r.season);
  if (i <= 0) return false;
  const prev = teamsBySeason.get(`${r.competition} ${seasons[i - 1]}`)!;
  return !prev.has(r.home) || !prev.has(r.away);
};

const rows = [...fixed.values()].filter((r) => (!args.from || r.season >= args.from) && nested.has(r.id));
const groups = new Map<string, Row[]>();
const add = (k: string, r: Row) => groups.set(k, [...(groups.get(k) ?? []), r]);
for (const r of rows) {
  add(r.competition, r);
  add('all', r);
  if (promoted(r)) add('all: matches with a promoted team', r);
}
const f = (v: number, d = 5) => v.toFixed(d);
process.stdout.write(`nested − fixed settings (RPS, paired bootstrap 95%; negative = nested better) and each one's gap to ${args.market}${args.from ? `, seasons from ${args.from}` : ''}\n\n`);
process.stdout.write(`| scope | n | ${models.map((m) => `${m}: nested − fixed | fixed − ${args.market} | nested − ${args.market}`).join(' | ')} |\n`);
process.stdout.write(`|---|---:|${models.map(() => '---|---:|---:').join('|')}|\n`);
for (const [k, g] of [...groups.entries()].sort((a, b) => (a[0] === 'all' ? 1 : b[0] === 'all' ? -1 : a[0] < b[0] ? -1 : 1))) {
  const cells = models.map((m) => {
    const both = g.filter((r) => r.p[m] && nested.get(r.id)!.p[m]);
    if (both.length === 0) return '– | – | –';
    const a = both.map((r) => rps(...nested.get(r.id)!.p[m]!, r.hs, r.as));
    const b = both.map((r) => rps(...r.p[m]!, r.hs, r.as));
    const withMarket = both.filter((r) => r.p[args.market!]);
    const c = withMarket.map((r) => rps(...r.p[args.market!]!, r.hs, r.as));
    const ci = pairedBootstrap(a, b, { resamples: 2000, seed: 20240601 });
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    // The gap to the market on the matches it priced (all of them, or "–" when it priced none).
    const priced = (x: number[]) => x.filter((_, i) => both[i]!.p[args.market!]);
    const rel = (x: number[]) => (c.length === 0 ? '–' : `${(((mean(priced(x)) - mean(c)) / mean(c)) * 100).toFixed(2)}%`);
    return `${f(ci.meanDifference)} [${f(ci.lower)}, ${f(ci.upper)}] | ${rel(b)} | ${rel(a)}`;
  });
  process.stdout.write(`| ${k} | ${g.length} | ${cells.join(' | ')} |\n`);
}
