// The evaluation report as Markdown tables (what docs/model-quality.md records): held-out
// and all reported seasons, per season, per competition, the bootstrap of model − market and
// the quality bars.
import type { MetricSet } from '../engine/scoring.js';
import type { EvaluationReport } from './evaluate.js';

const f = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

function metricTable(t: Record<string, MetricSet>, classes: 2 | 3): string {
  const eceHead = classes === 3 ? 'ECE H / D / A' : 'ECE';
  const rows = [`| forecaster | n | log loss | Brier | RPS | accuracy | ${eceHead} | spread MAE | total MAE |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [name, m] of Object.entries(t)) {
    const ece = classes === 3 ? m.ece.map((e) => f(e, 3)).join(' / ') : f(m.ece[0], 3);
    rows.push(`| ${name} | ${m.n} | ${f(m.log_loss)} | ${f(m.brier)} | ${f(m.rps)} | ${f(m.accuracy, 3)} | ${ece} | ${f(m.spread_mae, 3)} | ${f(m.total_mae, 3)} |`);
  }
  return rows.join('\n');
}

export function reportMarkdown(r: EvaluationReport): string {
  const classes: 2 | 3 = r.sport === 'soccer' ? 3 : 2;
  const out: string[] = [];
  out.push(`Command: \`${r.command}\``);
  out.push('');
  out.push(
    `Sport ${r.sport}; competitions ${r.competitions.join(', ')}; seasons ${r.seasons[0]}..${r.seasons[r.seasons.length - 1]}; ` +
      `tuned through ${r.tuned_through ?? 'nothing'} (held out: ${r.held_out_seasons.join(', ') || 'none'}); refit every ${r.refit_days} day(s); ` +
      `market: ${r.bookmaker}, margin removed by ${r.margin_method}. ` +
      `Time ${(r.timing.total_ms / 1000).toFixed(1)} s (${r.timing.fits} fits in ${(r.timing.fit_ms / 1000).toFixed(1)} s, ${r.timing.predicted} matches forecast).`,
  );
  out.push('');
  out.push('**Held-out seasons**');
  out.push('');
  out.push(metricTable(r.held_out, classes));
  out.push('');
  out.push('**All reported seasons**');
  out.push('');
  out.push(metricTable(r.overall, classes));
  out.push('');
  out.push('**Model − market (paired bootstrap, 95%)**');
  out.push('');
  out.push('| model | market | metric | scope | n | model | market | difference | 95% interval | relative |');
  out.push('|---|---|---|---|---:|---:|---:|---:|---|---:|');
  for (const b of r.bootstrap) {
    out.push(`| ${b.model} | ${b.market} | ${b.metric} | ${b.scope} | ${b.n} | ${f(b.model_mean)} | ${f(b.market_mean)} | ${f(b.mean_difference, 5)} | [${f(b.lower, 5)}, ${f(b.upper, 5)}] | ${(b.relative_difference * 100).toFixed(2)}% |`);
  }
  if (r.margin_methods.length > 0) {
    out.push('');
    const methods = [...new Set(r.margin_methods.map((m) => m.method))];
    out.push(`**Market baselines under both de-margining methods (${methods.join(' vs ')}; ${r.margin_methods[0]!.scope.replace('_', '-')} ${r.margin_methods[0]!.metric.replace('_', ' ')}, model − market with 95% interval)**`);
    out.push('');
    const models = [...new Set(r.margin_methods.flatMap((m) => m.models.map((x) => x.model)))];
    out.push(`| market | method | n | market | ${models.join(' | ')} |`);
    out.push(`|---|---|---:|---:|${models.map(() => '---').join('|')}|`);
    for (const m of r.margin_methods) {
      const cells = models.map((name) => {
        const x = m.models.find((y) => y.model === name);
        return x ? `${f(x.mean_difference, 5)} [${f(x.lower, 5)}, ${f(x.upper, 5)}] (${(x.relative_difference * 100).toFixed(2)}%)` : '–';
      });
      out.push(`| ${m.market} | ${m.method}${m.primary ? ' (used above)' : ''} | ${m.n} | ${f(m.market_mean)} | ${cells.join(' | ')} |`);
    }
  }
  const calibrated = Object.entries(r.calibration ?? {});
  if (calibrated.length > 0) {
    const labels = classes === 3 ? ['home', 'draw', 'away'] : ['home', 'away'];
    out.push('');
    out.push(`**Calibration (${r.held_out_seasons.length > 0 ? 'held-out' : 'all reported'} seasons): ECE per outcome, bootstrap 95% interval, and the 95% band of a perfectly calibrated forecaster at this n**`);
    out.push('');
    out.push('| forecaster | outcome | ECE | 95% interval | calibrated band (mean; 95th pct) | verdict |');
    out.push('|---|---|---:|---|---|---|');
    for (const [name, list] of calibrated) {
      for (const c of list) {
        const verdict = !Number.isFinite(c.ece) ? '–' : c.ece <= c.null_upper ? 'within noise' : 'miscalibrated';
        out.push(`| ${name} | ${labels[c.classIndex]} | ${f(c.ece, 3)} | [${f(c.lower, 3)}, ${f(c.upper, 3)}] | ${f(c.null_mean, 3)}; ${f(c.null_upper, 3)} | ${verdict} |`);
      }
    }
  }
  if (r.ensemble) {
    const e = r.ensemble;
    out.push('');
    out.push(`**Ensemble blend** (${e.per_competition ? 'per competition, on its own earlier seasons' : 'pooled over the competitions given'}; prior towards ${Object.entries(e.prior_mean).map(([k, v]) => `${k} ${v}`).join(', ')} with precision ${e.prior_precision}): the last fitted weights ± Laplace standard error`);
    out.push('');
    const sources = [...new Set(Object.values(e.last_weights).flatMap((w) => Object.keys(w.weights)))];
    out.push(`| blend | training rows | ${sources.join(' | ')} | served (out-of-sample gate: blend − market, n) |`);
    out.push(`|---|---:|${sources.map(() => '---').join('|')}|---|`);
    for (const [k, w] of Object.entries(e.last_weights)) {
      const g = w.gate;
      const gate = `${g.open ? 'blend' : 'market alone'} (${g.diff === null ? '–' : `${f(g.diff, 5)} ± ${f(g.se, 5)}`}, ${g.n})`;
      out.push(`| ${k === '*' ? 'pooled' : k} | ${w.training_rows} | ${sources.map((s) => (w.weights[s] ? `${f(w.weights[s]!.weight, 3)} ± ${w.weights[s]!.se === null ? '–' : f(w.weights[s]!.se, 3)}` : '–')).join(' | ')} | ${gate} |`);
    }
  }
  if ((r.by_competition_season ?? []).length > 0) {
    const cells = r.by_competition_season;
    const models = [...new Set(cells.flatMap((c) => c.models.map((m) => m.model)))];
    out.push('');
    out.push(`**Per league and ${r.held_out_seasons.length > 0 ? 'held-out ' : ''}season: model − opening market (${cells[0]!.metric.replace('_', ' ')}, ${r.margin_method}; paired bootstrap 95% interval)**`);
    out.push('');
    out.push(`| competition | season | n | market | ${models.join(' | ')} |`);
    out.push(`|---|---|---:|---:|${models.map(() => '---').join('|')}|`);
    for (const c of cells) {
      const row = models.map((name) => {
        const x = c.models.find((y) => y.model === name);
        return x ? `${f(x.mean_difference, 4)} [${f(x.lower, 4)}, ${f(x.upper, 4)}]${x.lower > 0 ? ' ▲' : ''}` : '–';
      });
      out.push(`| ${c.competition} | ${c.season} | ${c.n} | ${f(c.market_mean)} | ${row.join(' | ')} |`);
    }
    out.push('');
    out.push('▲ the whole interval lies above zero: worse than the opening market beyond the noise.');
  }
  if (r.settings_selection) {
    out.push('');
    out.push('**Settings chosen per season (nested walk-forward on the two years before it; one-standard-error rule)**');
    out.push('');
    out.push('| competition | season | main model | evidence n | Elo | evidence n |');
    out.push('|---|---|---|---:|---|---:|');
    for (const [code, seasons] of Object.entries(r.settings_selection)) {
      for (const s of seasons) {
        const main = s.choices.find((c) => c.family === 'main');
        const elo = s.choices.find((c) => c.family === 'elo');
        out.push(`| ${code} | ${s.season} | ${main?.chosen ?? '–'} | ${main?.n ?? 0} | ${elo?.chosen ?? '–'} | ${elo?.n ?? 0} |`);
      }
    }
  }
  out.push('');
  out.push('**Quality bars (held-out seasons)**');
  out.push('');
  out.push('| bar | value | threshold | result |');
  out.push('|---|---:|---:|---|');
  for (const b of r.bars) out.push(`| ${b.name} | ${f(b.value)} | ${b.threshold} | ${b.pass === null ? 'not measured' : b.pass ? 'met' : 'MISSED'} |`);
  out.push('');
  const main = classes === 3 ? 'rps' : 'log_loss';
  const names = r.forecasters;
  out.push(`**By season (${main.replace('_', ' ')}${classes === 2 ? '; spread MAE' : ''})**`);
  out.push('');
  out.push(`| season | n | ${names.join(' | ')} |`);
  out.push(`|---|---:|${names.map(() => '---:').join('|')}|`);
  for (const [season, t] of Object.entries(r.by_season)) {
    const n = Object.values(t)[0]?.n ?? 0;
    const cells = names.map((name) => {
      const m = t[name];
      return classes === 3 ? f(m?.rps) : `${f(m?.log_loss)}; ${f(m?.spread_mae, 2)}`;
    });
    out.push(`| ${season} | ${n} | ${cells.join(' | ')} |`);
  }
  if (Object.keys(r.by_competition).length > 1) {
    out.push('');
    out.push(`**By competition, all reported seasons (${main.replace('_', ' ')})**`);
    out.push('');
    out.push(`| competition | n | ${names.join(' | ')} |`);
    out.push(`|---|---:|${names.map(() => '---:').join('|')}|`);
    for (const [code, t] of Object.entries(r.by_competition)) {
      const n = Object.values(t)[0]?.n ?? 0;
      out.push(`| ${code} | ${n} | ${names.map((name) => f(classes === 3 ? t[name]?.rps : t[name]?.log_loss)).join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
