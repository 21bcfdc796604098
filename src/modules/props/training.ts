// Training of the player-prop ensemble as a registry artifact (kind 'props-ensemble'): the
// walk-forward of src/models/props/walk-forward.ts over the two years of player data before
// the training cut-off (each match predicted from earlier matches only, the blend refitted
// weekly from settled predictions), then the blend weights refitted on all of that run's
// settled predictions and stored with the run's out-of-sample scores of tier1, tier2 and
// the ensemble per prop (log loss, Brier, ECE with reliability bins) and the same-match
// pair scores. The API's ensemble (src/modules/props/context.ts) blends with the newest
// artifact whose cut-off is on or before the match date, or says it uses the default.
import { and, eq, exists, gt, lt, max, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { matches, playerMatchStats } from '../../db/schema/index.js';
import type { ReliabilityBin } from '../../models/metrics.js';
import { PROP_STATS } from '../../models/props/history.js';
import { PropsReportBuilder, type BinaryScores } from '../../models/props/report.js';
import { DEFAULT_PROPS_PARAMS, walkForward, type PropsParams } from '../../models/props/walk-forward.js';
import type { NewArtifact } from '../predictions/repository-artifacts.js';
import { SUPPORTED_PROPS } from './context.js';
import { loadPropsWindow } from './evaluate.js';

/** Length of the walk-forward whose settled predictions train the weights. */
export const PROPS_BACKTEST_DAYS = 730;

export type PropsArtifactValues = Omit<NewArtifact, 'kind' | 'sportId' | 'competitionId' | 'dataCutoff' | 'trigger' | 'fitMs' | 'createdAt'>;

/** The artifact's values; or why not (`skipped`); or nothing to train (no player data at all). */
export type PropsTraining = { values: PropsArtifactValues } | { skipped: string } | { none: true };

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

function binView(b: ReliabilityBin) {
  return { lower: r6(b.lower), upper: r6(b.upper), n: b.count, mean_predicted: r6(b.meanPredicted), observed: r6(b.observedFrequency) };
}

function scoreView(s: Omit<BinaryScores, 'bins'> & { bins?: ReliabilityBin[] }, withBins: boolean) {
  return {
    n: s.n,
    observed_rate: r6(s.observedRate),
    mean_predicted: r6(s.meanPredicted),
    log_loss: r6(s.logLoss),
    brier: r6(s.brier),
    ece: r6(s.calibrationError),
    ...(withBins && s.bins ? { reliability_bins: s.bins.map(binView) } : {}),
  };
}

export function propsParameterView(p: PropsParams) {
  return {
    draws: p.draws,
    xi_per_day: p.xiPerDay,
    minutes_window: p.minutesWindow,
    opponent_damping: p.damping,
    card_state_effect: p.cardStateEffect,
    goals_frailty: p.goalsFrailty,
    shrinkage: p.shrinkage,
    match_window_days: p.matchWindowDays,
    ensemble_min_items: p.ensembleMinItems,
    seed: p.seed,
  };
}

/** The date of the competition's last finished match with player lines before `cutoff`. */
async function lastDateWithPlayerLines(db: Db, competitionId: number, cutoff: string): Promise<string | null> {
  const [row] = await db
    .select({ date: max(matches.matchDate) })
    .from(matches)
    .where(
      and(
        eq(matches.competitionId, competitionId),
        eq(matches.status, 'final'),
        lt(matches.matchDate, cutoff),
        exists(db.select({ one: sql`1` }).from(playerMatchStats).where(and(eq(playerMatchStats.matchId, matches.id), gt(playerMatchStats.minutes, 0)))),
      ),
    );
  return row?.date ?? null;
}

/**
 * Fits the props ensemble of one competition on its results before `cutoff`: the walk-forward
 * covers the PROPS_BACKTEST_DAYS up to the last match with player lines before the cut-off
 * (so an archive that ended years ago still trains), with the match-model window before it
 * as history. Skipped (with the reason) when there is nothing before the first match with
 * player lines to learn from; `none` when the competition has no player lines before the
 * cut-off or its sport no player-prop model.
 */
export async function trainPropsEnsemble(db: Db, comp: { id: number; sport: string }, cutoff: string, params: PropsParams = DEFAULT_PROPS_PARAMS): Promise<PropsTraining> {
  if (!SUPPORTED_PROPS[comp.sport]) return { none: true };
  const last = await lastDateWithPlayerLines(db, comp.id, cutoff);
  // Most competitions have results only: nothing to say about player props there.
  if (!last) return { none: true };
  const recent = await loadPropsWindow(db, comp.id, addDays(last, -(PROPS_BACKTEST_DAYS + params.matchWindowDays)), addDays(last, 1));
  const lastWithLines = recent.filter((m) => m.lines.some((l) => l.minutes > 0)).at(-1);
  if (!lastWithLines) return { none: true };
  const fromDay = lastWithLines.day - PROPS_BACKTEST_DAYS;
  const all = recent.filter((m) => m.day >= fromDay - params.matchWindowDays);
  const builder = new PropsReportBuilder();
  const predicted: { day: number; home: number; away: number }[] = [];
  const players = new Set<number>();
  const walk = walkForward(
    all,
    (m) => m.day >= fromDay && m.lines.some((l) => l.minutes > 0),
    params,
    (p) => {
      builder.add(p);
      predicted.push(p.match);
      for (const pl of p.players) players.add(pl.playerId);
    },
  );
  if (predicted.length === 0) return { skipped: `no match with player stats and earlier results to learn from before ${cutoff}` };
  const report = builder.build();
  const isoOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  const from = isoOf(predicted[0]!.day);
  const to = isoOf(predicted[predicted.length - 1]!.day);
  const props = Object.fromEntries(
    PROP_STATS.map((s) => {
      const r = report.props[s];
      return [
        s,
        {
          tier1: scoreView(r.tier1, true),
          tier2: scoreView(r.tier2, true),
          ensemble: scoreView(r.ensemble, true),
          position_baseline: scoreView(r.positionBaseline, false),
          season_baseline: scoreView(r.seasonBaseline, false),
        },
      ];
    }),
  );
  const pairs = Object.fromEntries(
    Object.entries(report.pairs).map(([k, v]) => [k, { tier1: scoreView(v.tier1, false), tier2: scoreView(v.tier2, false), tier2_product: scoreView(v.tier2Product, false) }]),
  );
  const weights = Object.fromEntries(PROP_STATS.map((s) => {
    const b = walk.finalBlend[s];
    return [s, { w: r6(b.w), a: r6(b.a), b: r6(b.b), fitted: b.fitted, settled_items: b.items }];
  }));
  return {
    values: {
      windowFrom: from,
      windowTo: to,
      matchCount: predicted.length,
      teamCount: new Set(predicted.flatMap((m) => [m.home, m.away])).size,
      parameters: {
        weights,
        blend: 'p = sigmoid(a + b * (w * logit(p_tier1) + (1 - w) * logit(p_tier2)))',
        props: [...SUPPORTED_PROPS[comp.sport]!],
        model: propsParameterView(params),
      },
      diagnostics: {
        converged: true,
        weights_fitted: Object.fromEntries(PROP_STATS.map((s) => [s, walk.finalBlend[s].fitted])),
        settled_items: Object.fromEntries(PROP_STATS.map((s) => [s, walk.finalBlend[s].items])),
        n_players: players.size,
        history_from: isoOf(all[0]!.day),
        in_sample: true,
        note: 'weights fitted on the walk-forward predictions of the training window; metrics are those predictions, each made from earlier matches only (the ensemble with the weights in force at the time)',
      },
      metrics: {
        backtest_from: from,
        backtest_to: to,
        out_of_sample: true,
        matches: report.matches,
        appearances: report.props.goals.tier1.n,
        draws: params.draws,
        max_mc_error: r6(report.maxMonteCarloError),
        props,
        pairs,
      },
    },
  };
}
