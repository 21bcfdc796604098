// A season replayed through the product as an operator would do it (issue #16, docs/replay.md):
// every command is the real CLI, every forecast is read back through the real API.
//
//   1. import the history seasons, and the replayed season with its results blanked (fixtures
//      with their opening prices);
//   2. cut-off by cut-off (evaluate's, read from --forecasts, else every Friday): import the
//      results played since the last one, then `sharpline train --as-of <evening before>
//      --cutoff <day>` (the full backtest every --full-every trainings, --quick otherwise) and
//      `sharpline predict --as-of <evening before> --days 7 --no-settle`;
//   3. import the last week's results, start `sharpline serve` and read every match's
//      prediction from GET /api/v1/predictions/match/{id};
//   4. score them (RPS) against the de-margined opening prices of the same file, and, given
//      `--forecasts` from `sharpline evaluate`, report how far the API's Elo and Dixon-Coles
//      probabilities are from evaluate's.
//
// DATABASE_URL=postgres://... npx tsx bench/replay-season.ts --dir ../shared/data/soccer/football-data-co-uk/E0 \
//   --history 0405,0506,0607,0708 --season 0809 --bookmaker BbAv [--forecasts evaluate.csv] [--full-every 4]
// Without DATABASE_URL it runs on an embedded database in a temporary SHARPLINE_HOME.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { removeMargin } from '../src/models/market.js';
import { parseDayMonthYear } from '../src/modules/ingest/parsers/football-data.js';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string' },
    history: { type: 'string' },
    season: { type: 'string' },
    bookmaker: { type: 'string', default: 'BbAv' },
    competition: { type: 'string', default: 'england-premier-league' },
    forecasts: { type: 'string' },
    'full-every': { type: 'string', default: '4' },
    port: { type: 'string', default: '18123' },
  },
});
if (!args.dir || !args.history || !args.season) {
  process.stderr.write('usage: bench/replay-season.ts --dir <folder of SSSS.csv> --history 0405,0506 --season 0809 [--bookmaker BbAv] [--forecasts evaluate.csv]\n');
  process.exit(2);
}
const dir = resolve(args.dir);
const work = mkdtempSync(join(tmpdir(), 'sharpline-replay-season-'));
const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'warn', SEED_DEMO_ON_EMPTY: 'false', SHARPLINE_HOME: process.env.SHARPLINE_HOME ?? join(work, 'home'), RATE_LIMIT_ENABLED: 'false' };
const fullEvery = Number(args['full-every']);
// football-data.co.uk's column prefix → the bookmaker code the importer stores.
const bookmakerCode = ({ BbAv: 'betbrain_avg', BbMx: 'betbrain_max', B365: 'bet365', PS: 'pinnacle', Avg: 'market_avg', Max: 'market_max' } as Record<string, string>)[args.bookmaker!] ?? args.bookmaker!;

function cli(cmd: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/index.ts', ...cmd], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`sharpline ${cmd.join(' ')} exited ${code}: ${err}`))));
  });
}

// The replayed season's file, row by row (football-data.co.uk cells hold no commas).
const lines = readFileSync(join(dir, `${args.season}.csv`), 'utf8').split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
const header = lines[0]!.split(',');
const col = (name: string) => header.indexOf(name);
const rows = lines.slice(1).map((l) => l.split(',')).filter((c) => c[col('HomeTeam')]);
const dateOf = (c: string[]) => parseDayMonthYear(c[col('Date')]!)!;
// Results and match statistics are blanked in the fixtures; prices stay.
const resultCols = ['FTHG', 'FTAG', 'FTR', 'HTHG', 'HTAG', 'HTR', 'Attendance', 'Referee', 'HS', 'AS', 'HST', 'AST', 'HHW', 'AHW', 'HC', 'AC', 'HF', 'AF', 'HO', 'AO', 'HY', 'AY', 'HR', 'AR', 'HBP', 'ABP'].map(col).filter((i) => i >= 0);
const toCsv = (list: string[][], blank: boolean) => `${header.join(',')}\n${list.map((c) => c.map((v, i) => (blank && resultCols.includes(i) ? '' : v)).join(',')).join('\n')}\n`;

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const dates = [...new Set(rows.map(dateOf))].sort();
const seasonName = `${2000 + Number(args.season.slice(0, 2))}-${args.season.slice(2)}`;
// The data cut-offs: evaluate's own (from its --forecasts export) so both fit on exactly the
// same results, else every Friday from the one on or before the first matchday.
let cutoffs: string[];
if (args.forecasts) {
  const [h, ...ls] = readFileSync(args.forecasts, 'utf8').trim().split('\n');
  const cols = h!.split(',');
  cutoffs = [...new Set(ls.map((l) => l.split(',')).filter((c) => c[cols.indexOf('season')] === seasonName).map((c) => c[cols.indexOf('cutoff')]!))].sort();
  if (cutoffs.length === 0) throw new Error(`${args.forecasts} has no ${seasonName} rows`);
} else {
  const back = (new Date(`${dates[0]!}T00:00:00Z`).getUTCDay() + 2) % 7;
  cutoffs = [];
  for (let c = addDays(dates[0]!, -back); c <= dates[dates.length - 1]!; c = addDays(c, 7)) cutoffs.push(c);
}

const started = performance.now();
const log = (s: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${s}\n`);
let server: ChildProcess | null = null;
try {
  const fixtures = join(work, 'fixtures.csv');
  writeFileSync(fixtures, toCsv(rows, true));
  await cli(['import', 'football-data', ...args.history.split(',').map((s) => join(dir, `${s.trim()}.csv`)), fixtures, '--json']);
  log(`imported history ${args.history} and ${rows.length} fixtures of ${args.season}; ${cutoffs.length} cut-offs to replay`);
  let trainings = 0;
  let predicted = 0;
  for (const [i, cutoff] of cutoffs.entries()) {
    const played = rows.filter((c) => (i === 0 || dateOf(c) >= cutoffs[i - 1]!) && dateOf(c) < cutoff);
    // "Today" is the evening before the cut-off day: every earlier result is in, and a match on
    // the cut-off day without a kick-off time (midnight UTC) is still to come.
    const asOf = `${addDays(cutoff, -1)}T23:00:00Z`;
    if (played.length > 0) {
      const file = join(work, `results-${cutoff}.csv`);
      writeFileSync(file, toCsv(played, false));
      await cli(['import', 'football-data', file, '--json', '--as-of', asOf]);
    }
    const full = trainings % fullEvery === 0;
    await cli(['train', '--competition', args.competition!, ...(full ? [] : ['--quick']), '--as-of', asOf, '--cutoff', cutoff, '--json']);
    trainings++;
    const p = JSON.parse(await cli(['predict', '--as-of', asOf, '--days', '7', '--no-settle', '--json']));
    predicted += p.generated.matches;
    log(`cut-off ${cutoff}: imported ${played.length} results, trained (${full ? 'full' : 'quick'}), ${p.generated.matches} matches predicted`);
  }
  const last = rows.filter((c) => dateOf(c) >= cutoffs[cutoffs.length - 1]!);
  if (last.length > 0) {
    const file = join(work, 'results-last.csv');
    writeFileSync(file, toCsv(last, false));
    await cli(['import', 'football-data', file, '--json']);
  }

  // Read everything back through the API.
  const port = Number(args.port);
  server = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/index.ts', 'serve'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1', WORKER_IN_PROCESS: 'false' }, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let t = 0; ; t++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      if (t > 120) throw new Error('serve did not start');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  type Match = { id: number; match_date: string; home_team: { name: string }; away_team: { name: string }; home_score: number | null; away_score: number | null };
  const matches: Match[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${base}/api/v1/matches?competition=${args.competition}&season=${seasonName}&page=${page}&page_size=100`);
    const body = (await res.json()) as { items: Match[]; pages?: number };
    matches.push(...body.items);
    if (body.items.length < 100) break;
  }
  type Probabilities = { home: number; draw: number; away: number };
  type Read = { match: Match; main: string; models: Record<string, Probabilities>; asOf: string; prices: number[] | null };
  const read: Read[] = [];
  let missing = 0;
  for (const m of matches) {
    const res = await fetch(`${base}/api/v1/predictions/match/${m.id}`);
    if (res.status !== 200) {
      missing++;
      continue;
    }
    const b = (await res.json()) as { model: string; as_of: string; models: { model: string; win_probability: Probabilities }[] };
    // The opening prices the product stored for the match, read through the API too.
    const o = (await (await fetch(`${base}/api/v1/matches/${m.id}/odds?market=1x2&phase=opening&bookmaker=${bookmakerCode}`)).json()) as { markets: { market: string; prices: { selection: string; price: number }[] }[] };
    const prices = o.markets.find((x) => x.market === '1x2')?.prices ?? [];
    const price = (sel: string) => prices.find((x) => x.selection === sel)?.price;
    const trio = [price('home'), price('draw'), price('away')];
    read.push({ match: m, main: b.model, asOf: b.as_of, models: Object.fromEntries(b.models.map((x) => [x.model, x.win_probability])), prices: trio.every((x) => x !== undefined && x > 1) ? (trio as number[]) : null });
  }

  // Scores against the de-margined opening prices.
  const key = (date: string, home: string, away: string) => `${date}|${home}|${away}`;
  const rps = (p: Probabilities, hs: number, as: number) => {
    const o = hs > as ? [1, 1] : hs === as ? [0, 1] : [0, 0];
    return ((p.home - o[0]!) ** 2 + (p.home + p.draw - o[1]!) ** 2) / 2;
  };
  const sums: Record<string, { s: number; n: number }> = {};
  const add = (name: string, v: number) => ((sums[name] ??= { s: 0, n: 0 }).s += v, sums[name]!.n++);
  let scored = 0;
  for (const r of read) {
    const { home_score: hs, away_score: as } = r.match;
    if (hs === null || as === null || !r.prices) continue;
    scored++;
    for (const [kind, p] of Object.entries(r.models)) add(kind, rps(p, hs, as));
    add(`primary (${r.main})`, rps(r.models[r.main]!, hs, as));
    for (const method of ['shin', 'multiplicative'] as const) {
      const q = removeMargin(r.prices, method).probabilities;
      add(`market-opening (${method})`, rps({ home: q[0]!, draw: q[1]!, away: q[2]! }, hs, as));
    }
  }

  // Against evaluate's export, when given (matched by date and team names).
  let agreement = '';
  if (args.forecasts) {
    const [h, ...ls] = readFileSync(args.forecasts, 'utf8').trim().split('\n');
    const cols = h!.split(',');
    const byKey = new Map(ls.map((l) => l.split(',')).map((c) => [key(c[cols.indexOf('date')]!, c[cols.indexOf('home_team')]!, c[cols.indexOf('away_team')]!), c]));
    // Evaluate's Elo also takes in results played inside a block (up to each match's day); the
    // product predicts the whole block from the cut-off. They must agree where no result of the
    // block precedes the match: on the block's first day.
    for (const [kind, firstDayOnly] of [['elo', true], ['elo', false], ['dixon-coles', false]] as const) {
      let max = 0;
      let n = 0;
      for (const r of read) {
        const c = byKey.get(key(r.match.match_date, r.match.home_team.name, r.match.away_team.name));
        const p = r.models[kind];
        if (!c || !p) continue;
        if (firstDayOnly && c[cols.indexOf('cutoff')] !== r.match.match_date) continue;
        n++;
        for (const side of ['home', 'draw', 'away'] as const) max = Math.max(max, Math.abs(p[side] - Number(c[cols.indexOf(`${kind}_${side}`)])));
      }
      agreement += `| ${kind} vs evaluate --forecasts${firstDayOnly ? ", block's first day" : ''} | ${n} matches | max |Δp| ${max.toExponential(2)} |\n`;
    }
  }

  const out: string[] = [];
  out.push(`Replay of ${args.competition} ${seasonName} (history ${args.history}): ${cutoffs.length} cut-offs, ${trainings} trainings (full backtest every ${fullEvery}), ${predicted} predictions generated, ${read.length} read through the API (${missing} without one), ${scored} scored against ${args.bookmaker} opening prices; ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  out.push('');
  out.push('| forecaster | n | RPS | vs market-opening (shin) |');
  out.push('|---|---:|---:|---:|');
  const ref = sums['market-opening (shin)']!.s / sums['market-opening (shin)']!.n;
  for (const [name, { s, n }] of Object.entries(sums).sort()) out.push(`| ${name} | ${n} | ${(s / n).toFixed(4)} | ${(((s / n - ref) / ref) * 100).toFixed(2)}% |`);
  if (agreement) out.push('', '| check | n | |', '|---|---|---|', agreement.trimEnd());
  const asOfs = new Set(read.map((r) => r.asOf.slice(0, 10)));
  out.push('', `Distinct as_of days on the read predictions: ${asOfs.size} (each match predicted the evening before its block's cut-off).`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
