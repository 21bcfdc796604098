// The player models as GET /models/info shows them (seed 001's "tier1"/"tier2" entries): for
// every competition with player lines or a trained props ensemble, one entry per model —
// props-tier1 (per-player Gamma–Poisson, fitted per request from the player histories),
// props-tier2 (the match simulation) and props-ensemble (their blend, weights from the newest
// props-ensemble artifact or the default) — with the per-prop calibration of the newest
// props-ensemble artifact's walk-forward (log loss, Brier, ECE, reliability bins); and per
// sport, which props the API serves.
import { Type, type Static } from '@sinclair/typebox';
import { and, eq, exists, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { competitions, matches, playerMatchStats, sports } from '../../db/schema/index.js';
import { DEFAULT_PROPS_PARAMS } from '../../models/props/walk-forward.js';
import { KNOWN_SPORT_CODES } from '../catalog/sports.js';
import type { ArtifactWithScope } from '../predictions/repository-artifacts.js';
import { SUPPORTED_PROPS, UNSUPPORTED_PROPS_REASON, weightsOf } from './context.js';
import { propsParameterView } from './training.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

export const PlayerModelInfo = Type.Object(
  {
    version: Type.String(),
    kind: Type.Union([Type.Literal('props-tier1'), Type.Literal('props-tier2'), Type.Literal('props-ensemble')]),
    sport: Type.String(),
    competition: Type.String(),
    supported_props: Type.Array(Type.String(), { description: 'Props this model serves for the sport' }),
    fitted: Type.String({ description: 'How and when the model is fitted' }),
    ensemble_weights: Type.String({ description: "props-ensemble artifact whose weights the API's ensemble uses, or 'default' (none trained: fixed 50/50 logit blend)" }),
    loaded_at: Nullable(Type.String({ format: 'date-time' })),
    training_date: Nullable(Type.String({ format: 'date' })),
    training_window: Type.Union([Type.Object({ from: Nullable(Type.String()), to: Nullable(Type.String()), data_cutoff: Type.String() }), Type.Null()]),
    n_matches: Type.Integer({ description: 'Matches of the walk-forward evaluation (0 when none trained)' }),
    n_players: Type.Integer(),
    performance: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Walk-forward scores per prop from the newest props-ensemble training (ece_*, log_loss_*, brier_*, calibration with reliability bins); empty when none trained',
    }),
    convergence: Type.String(),
    parameters: Json,
  },
  { title: 'PlayerModelInfo' },
);
type PlayerModelInfo = Static<typeof PlayerModelInfo>;

const SOCCER_NOTE = 'anytime scorer (goals), assist and card (yellow or red), over/under 0.5; no shots: the player data has no per-player shot counts';

export const PlayerPropsSupport = Type.Record(
  Type.String(),
  Type.Object({ supported_props: Type.Array(Type.String()), note: Type.Optional(Type.String()) }),
  { description: 'Per sport: the player props the API serves (an empty list: none)' },
);

interface PropsScores {
  n: number;
  log_loss: number;
  brier: number;
  ece: number;
  reliability_bins?: unknown[];
}

type SourceName = 'tier1' | 'tier2' | 'ensemble';

function performanceOf(metrics: Record<string, unknown>, source: SourceName, props: readonly string[], version: string): Record<string, unknown> {
  const byProp = metrics.props as Record<string, Record<SourceName, PropsScores>> | undefined;
  if (!byProp) return {};
  const out: Record<string, unknown> = {};
  const calibration: Record<string, unknown> = {};
  for (const p of props) {
    const s = byProp[p]?.[source];
    if (!s) continue;
    out[`ece_${p}`] = s.ece;
    out[`log_loss_${p}`] = s.log_loss;
    out[`brier_${p}`] = s.brier;
    calibration[p] = { n: s.n, ece: s.ece, reliability_bins: s.reliability_bins ?? [] };
  }
  return {
    ...out,
    calibration,
    backtest_from: metrics.backtest_from,
    backtest_to: metrics.backtest_to,
    out_of_sample: true,
    evaluated_by: version,
    ...(source === 'tier2' ? { draws: metrics.draws, max_mc_error: metrics.max_mc_error, pairs: metrics.pairs } : {}),
  };
}

/** Competitions whose matches have player lines, with their sport. */
async function competitionsWithPlayerLines(db: Db): Promise<{ code: string; sport: string }[]> {
  return db
    .select({ code: competitions.code, sport: sports.code })
    .from(competitions)
    .innerJoin(sports, eq(sports.id, competitions.sportId))
    .where(exists(db.select({ one: sql`1` }).from(matches).innerJoin(playerMatchStats, eq(playerMatchStats.matchId, matches.id)).where(and(eq(matches.competitionId, competitions.id)))));
}

/**
 * The player-model entries of GET /models/info (keys props-tier1:code, props-tier2:code,
 * props-ensemble:code) from the current props-ensemble artifacts, and each sport's props.
 */
export async function playerModelsInfo(db: Db, current: readonly ArtifactWithScope[]): Promise<{ models: Record<string, PlayerModelInfo>; support: Static<typeof PlayerPropsSupport> }> {
  const trained = new Map(current.filter((r) => r.artifact.kind === 'props-ensemble').map((r) => [r.competitionCode, r]));
  const scopes = new Map<string, string>();
  for (const c of await competitionsWithPlayerLines(db)) scopes.set(c.code, c.sport);
  for (const [code, r] of trained) scopes.set(code, r.sport);
  const models: Record<string, PlayerModelInfo> = {};
  for (const [code, sport] of [...scopes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const props = [...(SUPPORTED_PROPS[sport] ?? [])];
    const r = trained.get(code);
    const a = r?.artifact;
    const common = {
      sport,
      competition: code,
      supported_props: props,
      ensemble_weights: a?.version ?? 'default',
      loaded_at: a ? a.createdAt.toISOString() : null,
      training_date: a ? a.createdAt.toISOString().slice(0, 10) : null,
      training_window: a ? { from: a.windowFrom, to: a.windowTo, data_cutoff: a.dataCutoff } : null,
      n_matches: a?.matchCount ?? 0,
      n_players: Number((a?.diagnostics as { n_players?: number } | undefined)?.n_players ?? 0),
      convergence: a ? (a.diagnostics.converged === false ? 'not_converged' : 'converged') : 'not_trained',
    };
    const model = propsParameterView(DEFAULT_PROPS_PARAMS);
    models[`props-tier1:${code}`] = {
      ...common,
      version: 'props-tier1@per-request',
      kind: 'props-tier1',
      fitted: 'per request from the player histories before the match (730-day window, kept in memory until the data changes)',
      performance: a ? performanceOf(a.metrics, 'tier1', props, a.version) : {},
      parameters: { shrinkage: model.shrinkage, xi_per_day: model.xi_per_day, minutes_window: model.minutes_window, opponent_damping: model.opponent_damping },
    };
    models[`props-tier2:${code}`] = {
      ...common,
      version: 'props-tier2@per-request',
      kind: 'props-tier2',
      fitted: 'per request: a seeded simulation of the match over both squads, drawn once per model state',
      performance: a ? performanceOf(a.metrics, 'tier2', props, a.version) : {},
      parameters: { draws: model.draws, goals_frailty: model.goals_frailty, card_state_effect: model.card_state_effect, seed: model.seed },
    };
    const weights = a ? weightsOf(a.parameters) : null;
    models[`props-ensemble:${code}`] = {
      ...common,
      version: a?.version ?? 'props-ensemble@default',
      kind: 'props-ensemble',
      fitted: a
        ? 'weights learned walk-forward by `sharpline train` / the models.train job; the API uses the newest artifact whose cut-off is on or before the match date'
        : 'not trained: the API blends tier1 and tier2 50/50 in logit space (run `sharpline train`)',
      performance: a ? performanceOf(a.metrics, 'ensemble', props, a.version) : {},
      parameters: weights ? { weights, blend: a!.parameters.blend } : { weights: 'default', blend: 'p = sigmoid(0.5 * logit(p_tier1) + 0.5 * logit(p_tier2))' },
    };
  }
  // Every sport the product knows or has data for: a sport without a model says so.
  const codes = new Set<string>([...KNOWN_SPORT_CODES, ...(await db.select({ code: sports.code }).from(sports)).map((r) => r.code)]);
  const support: Static<typeof PlayerPropsSupport> = {};
  for (const code of [...codes].sort()) {
    const props = SUPPORTED_PROPS[code];
    support[code] = props ? { supported_props: [...props], note: SOCCER_NOTE } : { supported_props: [], note: UNSUPPORTED_PROPS_REASON };
  }
  return { models, support };
}
