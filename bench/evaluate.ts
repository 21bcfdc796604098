// The model-quality evaluations recorded in docs/model-quality.md, on a database loaded with
// ../shared/data (see that document for the import commands):
//   EVAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sl_eval npx tsx bench/evaluate.ts
// runs big-5 soccer 2012-13..2021-22 (timed against the 5-minute target), NBA 2012..2021 and
// NFL 2005..2019, printing the Markdown tables and writing bench/results/evaluate-*.json.
//   ... npx tsx bench/evaluate.ts --tune
// prints the tuning grids, scored on tuning seasons only (soccer 2012-13..2014-15, NBA
// 2008-09..2013-14, NFL 1985..2004): how the settings in src/modules/predictions/engine/params.ts were chosen.
//   ... npx tsx bench/evaluate.ts --tune nba-schedule   (or nfl-schedule)
// only the schedule-feature and Elo-pool variants of the margin model, on the same tuning seasons.
//   ... npx tsx bench/evaluate.ts --tune nba-lines   (or nfl-lines)
// the weight and decay of earlier games' closing lines as market rows (same tuning seasons).
import { mkdirSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../src/db/client.js';
import { sportSettings, type MarginParams, type SportSettings } from '../src/modules/predictions/engine/params.js';
import { scoreSet } from '../src/modules/predictions/engine/scoring.js';
import { evaluate, type EvaluateOptions } from '../src/modules/predictions/evaluation/evaluate.js';
import { runCompetition, type EvalRecord } from '../src/modules/predictions/evaluation/records.js';
import { reportMarkdown } from '../src/modules/predictions/evaluation/report.js';
import { findCompetitions, loadHistory, loadQuotes } from '../src/modules/predictions/repository-data.js';
import { machine } from './lib.js';

const url = process.env.EVAL_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('set EVAL_DATABASE_URL to a PostgreSQL database loaded with ../shared/data (see docs/model-quality.md)\n');
  process.exit(2);
}
const BIG5 = ['england-premier-league', 'spain-laliga', 'italy-serie-a', 'germany-bundesliga', 'france-ligue-1'];
const TARGET_MS = 5 * 60_000;
const database = await openDatabase({ url, poolMax: 4 });
const db = database.db;

const RUNS: { name: string; opts: EvaluateOptions }[] = [
  { name: 'soccer-big5', opts: { competitions: BIG5, seasons: { from: '2012-13', to: '2021-22' }, models: ['elo', 'dixon-coles', 'bivariate-poisson', 'ensemble'] } },
  { name: 'nba', opts: { competitions: ['nba'], seasons: { from: '2012', to: '2021' }, models: ['elo', 'margin'] } },
  { name: 'nfl', opts: { competitions: ['nfl'], seasons: { from: '2005', to: '2019' }, models: ['elo', 'margin'] } },
];

async function report(): Promise<void> {
  mkdirSync('bench/results', { recursive: true });
  for (const run of RUNS) {
    const r = await evaluate(db, { ...run.opts, onProgress: (m) => process.stderr.write(`${m}\n`) });
    writeFileSync(`bench/results/evaluate-${run.name}.json`, JSON.stringify({ machine: machine(), date: new Date().toISOString(), ...r }, null, 2));
    process.stdout.write(`\n## ${run.name}\n\n${reportMarkdown(r)}`);
    if (run.name === 'soccer-big5') {
      process.stdout.write(`\nbig-5 ten-season walk-forward: ${(r.timing.total_ms / 1000).toFixed(1)} s (target < ${TARGET_MS / 1000} s) — ${r.timing.total_ms < TARGET_MS ? 'met' : 'MISSED'}\n`);
    }
  }
}

/** Scores each setting on the tuning seasons only; returns one line per setting. */
async function grid(
  codes: string[],
  sport: string,
  predict: { from: string; to: string; scoreFrom: string },
  variants: { label: string; settings: SportSettings }[],
  options: { bookmaker?: string; market?: 'market-closing' | 'market-opening' } = {},
): Promise<void> {
  const marketKey = options.market ?? 'market-closing';
  const comps = (await findCompetitions(db, { sport })).filter((c) => codes.includes(c.code));
  const withLines = variants.some((v) => v.settings.margin?.marketLines);
  const shots = variants.some((v) => (v.settings.goals?.shotsBlend ?? 0) > 0);
  const histories = await Promise.all(
    comps.map(async (c) => ({ c, h: await loadHistory(db, c.id, undefined, { ...(withLines ? { closingLines: { bookmaker: 'closing_line' } } : {}), shots }) })),
  );
  const main = sport === 'soccer' ? 'dixon-coles' : 'margin';
  for (const v of variants) {
    const records: EvalRecord[] = [];
    for (const { c, h } of histories) {
      const run = await runCompetition({
        code: c.code,
        sport,
        history: h,
        settings: v.settings,
        models: [main, 'elo'],
        predictFrom: predict.from,
        predictTo: predict.to,
        refitDays: v.settings.refitDays,
        quotes: (ids) => loadQuotes(db, ids, options.bookmaker ?? (sport === 'soccer' ? 'market_avg' : 'closing_line')),
      });
      records.push(...run.records.filter((r) => r.season >= predict.scoreFrom && r.forecasts[main] && r.forecasts[marketKey]));
    }
    const score = (k: 'dixon-coles' | 'margin' | 'elo' | 'market-closing' | 'market-opening') =>
      scoreSet(records.map((r) => ({ forecast: r.forecasts[k]!, homeScore: r.homeScore, awayScore: r.awayScore })), sport === 'soccer' ? 3 : 2);
    const m = score(main);
    const mk = score(marketKey);
    process.stdout.write(
      `${v.label.padEnd(44)} n=${m.n} ${main} rps=${m.rps?.toFixed(5)} logloss=${m.log_loss?.toFixed(5)} spreadMAE=${m.spread_mae?.toFixed(3)} ece=${Math.max(...m.ece).toFixed(3)}` +
        ` | ${marketKey.slice(7)} rps=${mk.rps?.toFixed(5)} logloss=${mk.log_loss?.toFixed(5)}\n`,
    );
  }
}

/** A sport's margin settings without the closing-line rows: the grids tuned before them keep reproducing. */
function scoresOnly(settings: SportSettings): MarginParams {
  const { marketLines: _lines, ...rest } = settings.margin!;
  return rest;
}

/** Schedule features (rest, back-to-backs) on the margin model, tuning seasons only. */
async function tuneSchedule(only: string | undefined): Promise<void> {
  const nba = sportSettings('basketball');
  const plain = { ...scoresOnly(nba), scheduleFeatures: [], eloBlend: false };
  if (only === undefined || only === 'nba-schedule') {
    process.stdout.write('\n# nba schedule features, tuning seasons 2008-09..2013-14\n');
    await grid(['nba'], 'basketball', { from: '2008-09', to: '2013-14', scoreFrom: '2008-09' }, [
      { label: 'no schedule features', settings: { ...nba, margin: plain } },
      { label: 'back-to-back, joint fit (xi 0.008)', settings: { ...nba, margin: { ...plain, scheduleFeatures: ['back-to-back'] } } },
      ...[0, 0.002].map((covariateXi) => ({ label: `back-to-back, two-stage covariate xi=${covariateXi}`, settings: { ...nba, margin: { ...plain, scheduleFeatures: ['back-to-back' as const], covariateXi } } })),
      ...[0.85, 0.95].map((sdScale) => ({ label: `back-to-back, two-stage xi=0, sd×${sdScale}`, settings: { ...nba, margin: { ...plain, scheduleFeatures: ['back-to-back' as const], covariateXi: 0, sdScale } } })),
      { label: 'Elo blend alone', settings: { ...nba, margin: { ...plain, eloBlend: true } } },
      { label: 'back-to-back (two-stage) + Elo blend', settings: { ...nba, margin: { ...plain, scheduleFeatures: ['back-to-back'], covariateXi: 0, eloBlend: true } } },
    ]);
  }
  if (only === undefined || only === 'nfl-schedule') {
    const nfl = sportSettings('american_football');
    const base = { ...scoresOnly(nfl), scheduleFeatures: [], eloBlend: false };
    process.stdout.write('\n# nfl schedule features, tuning seasons 1985..2004\n');
    await grid(['nfl'], 'american_football', { from: '1985', to: '2004', scoreFrom: '1985' }, [
      { label: 'no schedule features', settings: { ...nfl, margin: base } },
      ...([['bye'], ['short-week'], ['bye', 'short-week']] as const).map((f) => ({ label: `${f.join('+')}, two-stage covariate xi=0`, settings: { ...nfl, margin: { ...base, scheduleFeatures: [...f], covariateXi: 0 } } })),
      { label: 'Elo blend', settings: { ...nfl, margin: { ...base, eloBlend: true } } },
    ]);
  }
}

/**
 * Earlier games' closing lines as market rows (weight, extra decay per day) next to the sport's
 * kept settings without them, tuning seasons only. Chosen: NBA weight 50 / xi 0.3, NFL 30 / 0.1.
 */
async function tuneLines(only: 'nba-lines' | 'nfl-lines'): Promise<void> {
  const nba = only === 'nba-lines';
  const sport = nba ? 'basketball' : 'american_football';
  const settings = sportSettings(sport);
  const marketLines = settings.margin!.marketLines;
  const scores = scoresOnly(settings);
  const predict = nba ? { from: '2008-09', to: '2013-14', scoreFrom: '2008-09' } : { from: '1985', to: '2004', scoreFrom: '1985' };
  const pairs: [number, number][] = nba
    ? [[1, 0], [3, 0], [0.5, 0], [2, 0.02], [5, 0.05], [10, 0.05], [10, 0.1], [30, 0.1], [20, 0.2], [30, 0.2], [50, 0.3], [100, 0.3], [50, 0.5], [200, 0.5]]
    : [[1, 0], [0.3, 0], [1, 0.01], [3, 0.02], [3, 0.05], [10, 0.05], [10, 0.1], [30, 0.1], [50, 0.3], [30, 0.03], [30, 0.05], [100, 0.05], [100, 0.1], [300, 0.1], [100, 0.2]];
  const kept = `lines ${marketLines?.weight}/${marketLines?.xi}`;
  process.stdout.write(`\n# ${nba ? 'nba' : 'nfl'} closing lines of earlier games as market rows, tuning seasons ${predict.from}..${predict.to}\n`);
  await grid([nba ? 'nba' : 'nfl'], sport, predict, [
    { label: nba ? 'scores only (back-to-back + Elo pool)' : 'scores only (Elo pool)', settings: { ...settings, margin: scores } },
    ...pairs.map(([weight, xi]) => ({ label: `lines weight ${weight}, xi ${xi}`, settings: { ...settings, margin: { ...scores, marketLines: { weight, xi } } } })),
    // NBA only: the kept lines with the other sd scales and without the Elo pool.
    ...(nba ? [0.85, 1] : []).map((sdScale) => ({ label: `${kept}, sd×${sdScale}`, settings: { ...settings, margin: { ...settings.margin!, sdScale } } })),
    ...(nba ? [{ label: `${kept}, no Elo pool`, settings: { ...settings, margin: { ...settings.margin!, eloBlend: false } } }] : []),
  ]);
}

/**
 * Goals + shots on target (issue 17): the Dixon-Coles target blended with shots on target,
 * on a database loaded with the English football-data.co.uk files (which carry HST/AST; see
 * docs/model-quality.md), scored on 2003-04..2011-12 only, before the held-out seasons.
 */
async function tuneShots(): Promise<void> {
  const soccer = sportSettings('soccer');
  process.stdout.write('\n# Premier League, goals + shots on target, tuning seasons 2003-04..2011-12 (forecast from 2003-04)\n');
  const variants = [0, 0.1, 0.2, 0.3, 0.5].flatMap((shotsBlend) =>
    [0.0019, 0.003].map((xi) => ({ label: `shots blend=${shotsBlend} xi=${xi}`, settings: { ...soccer, goals: { ...soccer.goals!, xi, shotsBlend } } })),
  );
  // No closing prices in these seasons' files: the market row is bet365's opening 1X2.
  await grid(['england-premier-league'], 'soccer', { from: '2003-04', to: '2011-12', scoreFrom: '2003-04' }, variants, { bookmaker: 'bet365', market: 'market-opening' });
  // The chosen blend against goals only on the held-out seasons, scored against Pinnacle's closing prices.
  process.stdout.write('\n# Premier League, held out 2012-13..2021-22 (Pinnacle closing as the market row)\n');
  const heldOut = [0, 0.2].map((shotsBlend) => ({ label: `shots blend=${shotsBlend} xi=0.0019`, settings: { ...soccer, goals: { ...soccer.goals!, shotsBlend } } }));
  await grid(['england-premier-league'], 'soccer', { from: '2012-13', to: '2021-22', scoreFrom: '2012-13' }, heldOut, { bookmaker: 'pinnacle', market: 'market-closing' });
}

async function tune(): Promise<void> {
  const only = process.argv[process.argv.indexOf('--tune') + 1];
  if (only === 'nba-lines' || only === 'nfl-lines') return tuneLines(only);
  if (only?.endsWith('-schedule')) return tuneSchedule(only);
  if (only === 'shots') return tuneShots();
  const soccer = sportSettings('soccer');
  // Scored from 2012-13, the first season with a full three-season training window (as in production).
  process.stdout.write('\n# soccer (big 5), tuning seasons 2012-13..2014-15 (forecast from 2010-11)\n');
  const soccerVariants = [0.001, 0.0019, 0.003, 0.0045].flatMap((xi) =>
    [2, 4, 8].map((pp) => ({ label: `xi=${xi} prior=${pp}`, settings: { ...soccer, goals: { ...soccer.goals!, xi, priorPrecision: pp } } })),
  );
  await grid(BIG5, 'soccer', { from: '2010-11', to: '2014-15', scoreFrom: '2012-13' }, soccerVariants);
  for (const [code, sport, from, to, xis, ridges, scales] of [
    ['nba', 'basketball', '2008-09', '2013-14', [0.005, 0.008, 0.012], [1, 2, 9], [0.85, 0.9, 1]],
    ['nfl', 'american_football', '1985', '2004', [0.0025, 0.004, 0.006], [3, 6, 12], [0.9, 0.95, 1]],
  ] as const) {
    const base = sportSettings(sport);
    process.stdout.write(`\n# ${code}, tuning seasons ${from}..${to}\n`);
    const variants = xis.flatMap((xi) =>
      ridges.flatMap((ridge) => scales.map((sdScale) => ({ label: `xi=${xi} ridge=${ridge} sd×${sdScale}`, settings: { ...base, margin: { ...scoresOnly(base), xi, ridge, sdScale } } }))),
    );
    await grid([code], sport, { from, to, scoreFrom: from }, variants);
  }
}

try {
  if (process.argv.includes('--tune')) await tune();
  else await report();
} finally {
  await database.close();
}
