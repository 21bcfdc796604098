// One match's props model state, built the way the walk-forward evaluation builds it
// (src/models/props/walk-forward.ts) but from the database: the match model's expected
// goals (the newest Dixon-Coles artifact usable at the match date, else a Dixon-Coles fit on
// the competition's earlier results), the player histories from player_match_stats before
// the match date, each squad player's tier1 posterior per prop, tier2's seeded simulation
// of the whole match over both squads (drawn once, on first use), and the ensemble's blend
// weights (the newest props-ensemble artifact usable at the match date, else the default
// 50/50 blend, which the responses then name). src/modules/props/state.ts keeps built
// contexts in memory. Squad players ruled out by their injury status (set by the API-Football
// connector) are left out of the players and the simulation, and listed with the reason.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { modelArtifacts } from '../../db/schema/index.js';
import { IDENTITY_BLEND, type BlendWeights } from '../../models/props/ensemble.js';
import { dixonColesRates, fitDixonColes, type DixonColesModel } from '../../models/dixon-coles.js';
import type { ScoreMatrix } from '../../models/markets.js';
import { frailtyScoreMatrix } from '../../models/props/frailty.js';
import { PROP_STATS, PropsHistory, type EvalStat, type PropsMatch } from '../../models/props/history.js';
import { legBits, simulateMatch, type MatchMarket, type MatchSimulation } from '../../models/props/simulate.js';
import { expectedMinutes, hierarchicalPosterior, minutesScenarios, posteriorMean, propProbability, type MinutesScenario, type PropPrediction } from '../../models/props/tier1.js';
import { DEFAULT_PROPS_PARAMS } from '../../models/props/walk-forward.js';
import type { FitDiagnostics } from '../../models/goals-data.js';
import { UnprocessableError } from '../../platform/errors.js';
import { goalsFromParameters } from '../predictions/engine/goals.js';
import type { ArtifactRow } from '../predictions/repository-artifacts.js';
import { dayOf, historyBefore, squadsAt, type PropsMatchInfo, type PropsPlayer } from './repository.js';

/** Props per sport: the player data of other sports has no model yet. */
export const SUPPORTED_PROPS: Record<string, readonly EvalStat[]> = { soccer: PROP_STATS };

/** Why a sport has no props (GET /models/info says it). */
export const UNSUPPORTED_PROPS_REASON = 'no player-prop model: the data has no per-player match statistics for this sport';

export function assertPropsSport(sport: string): void {
  if (!SUPPORTED_PROPS[sport]) {
    const list = Object.entries(SUPPORTED_PROPS).map(([s, p]) => `${s}: ${p.join(', ')}`).join('; ');
    throw new UnprocessableError(`player props are not available for ${sport}; supported props by sport: ${list}`, { sport, supported: SUPPORTED_PROPS });
  }
}

export interface ContextPlayer {
  player: PropsPlayer;
  teamId: number;
  side: 0 | 1;
  minutes: MinutesScenario[];
  expectedMinutes: number;
  tier1: Record<EvalStat, PropPrediction>;
  /** Opponent-adjusted per-90 posterior-mean rates (tier2's inputs). */
  rate90: Record<EvalStat, number>;
}

/** Injury statuses that rule a player out: he is left out of the squad (and the simulation). */
export const RULED_OUT_STATUSES: readonly string[] = ['injured', 'suspended', 'unavailable'];

/** A squad player left out of the match's props, and why. */
export interface ExcludedPlayer {
  player: PropsPlayer;
  teamId: number;
  side: 0 | 1;
  /** "injured: Knee Injury" */
  reason: string;
}

export const exclusionReason = (p: Pick<PropsPlayer, 'injuryStatus' | 'injuryNote'>) => (p.injuryNote ? `${p.injuryStatus}: ${p.injuryNote}` : p.injuryStatus);

export interface EnsembleWeights {
  /** Per prop: the blend of src/models/props/ensemble.ts. */
  weights: Record<EvalStat, BlendWeights>;
  /** The props-ensemble artifact's version, or 'default' (fixed 50/50 logit blend, none trained). */
  source: string;
}

export const DEFAULT_ENSEMBLE: EnsembleWeights = {
  weights: { goals: IDENTITY_BLEND, assists: IDENTITY_BLEND, cards: IDENTITY_BLEND },
  source: 'default',
};

export interface MatchContext {
  match: PropsMatchInfo;
  modelVersion: string;
  expectedGoals: { home: number; away: number };
  matrix: ScoreMatrix;
  players: ContextPlayer[];
  /** Squad players ruled out (players.injury_status), by player id. */
  excluded: Map<number, ExcludedPlayer>;
  index: Map<number, number>;
  ensemble: EnsembleWeights;
  simulation(): MatchSimulation;
  /** Whether the simulation has been run (a tier2, ensemble or parlay answer asked for it). */
  simulated(): boolean;
  /** The draws on which a match market holds (computed once per market and line). */
  marketBits(market: MatchMarket, line: number): Uint32Array;
}

/** The artifacts a context is built with (ids from state.ts's key; null = none usable). */
export interface ContextArtifacts {
  dixonColes: number | null;
  propsEnsemble: number | null;
}

const params = DEFAULT_PROPS_PARAMS;
/** How far back a match's context looks (the match model's window; player histories too). */
export const MATCH_WINDOW_DAYS = params.matchWindowDays;

interface MatchModel {
  version: string;
  model: DixonColesModel;
  index: (team: number) => number | undefined;
}

/** The stored Dixon-Coles artifact when it covers both teams, else a fit on the history. */
async function artifactById(db: Db, id: number | null): Promise<ArtifactRow | null> {
  if (id === null) return null;
  const [row] = await db.select().from(modelArtifacts).where(eq(modelArtifacts.id, id)).limit(1);
  return row ?? null;
}

async function ensembleOf(db: Db, id: number | null): Promise<EnsembleWeights> {
  const artifact = await artifactById(db, id);
  const weights = artifact ? weightsOf(artifact.parameters) : null;
  if (!artifact || !weights) return DEFAULT_ENSEMBLE;
  return { weights: { goals: weights.goals!, assists: weights.assists!, cards: weights.cards! }, source: artifact.version };
}

async function matchModel(db: Db, match: PropsMatchInfo, history: readonly PropsMatch[], artifactId: number | null): Promise<MatchModel> {
  const artifact = await artifactById(db, artifactId);
  if (artifact) {
    const window = { cutoff: artifact.dataCutoff, count: artifact.matchCount, from: artifact.windowFrom, to: artifact.windowTo };
    const fit = goalsFromParameters('dixon-coles', artifact.parameters, window, artifact.diagnostics as unknown as FitDiagnostics);
    if (fit.teams.get(match.home.id) !== undefined && fit.teams.get(match.away.id) !== undefined) {
      return { version: artifact.version, model: fit.model as DixonColesModel, index: (t) => fit.teams.get(t) };
    }
  }
  if (history.length === 0) throw new UnprocessableError(`no finished matches before ${match.date} in this competition to build the match model from`, { match_id: match.id });
  const ids = new Map<number, number>();
  const idx = (t: number) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1);
  for (const m of history) {
    idx(m.home);
    idx(m.away);
  }
  idx(match.home.id);
  idx(match.away.id);
  const day = dayOf(match.date);
  const fit = fitDixonColes(
    {
      home: Int32Array.from(history, (m) => idx(m.home)),
      away: Int32Array.from(history, (m) => idx(m.away)),
      homeGoals: Int32Array.from(history, (m) => m.homeGoals),
      awayGoals: Int32Array.from(history, (m) => m.awayGoals),
      ageDays: Float64Array.from(history, (m) => day - m.day),
    },
    { teams: ids.size },
  );
  return { version: `dixon-coles@on-demand@${match.date}`, model: fit.model, index: (t) => ids.get(t) };
}

/** Expected goals of a team against an average side at a neutral venue with half the home edge. */
function baselineGoals(model: DixonColesModel, team: number): number {
  return Math.exp(model.intercept + model.homeAdvantage / 2 + model.attack[team]!);
}

/**
 * Builds one match's context. `history` (finished matches of the competition in the
 * MATCH_WINDOW_DAYS before the match date, oldest first) is loaded when not given.
 */
export async function buildMatchContext(
  db: Db,
  match: PropsMatchInfo,
  artifacts: ContextArtifacts,
  history?: readonly PropsMatch[],
  /** Told when the simulation is drawn (once per context). */
  onSimulate?: () => void,
): Promise<MatchContext> {
  assertPropsSport(match.sport);
  history ??= await historyBefore(db, match.competitionId, match.date, params.matchWindowDays);
  const mm = await matchModel(db, match, history, artifacts.dixonColes);
  const ensemble = await ensembleOf(db, artifacts.propsEnsemble);
  const h = mm.index(match.home.id)!;
  const a = mm.index(match.away.id)!;
  const rates = dixonColesRates(mm.model, h, a, match.neutral);
  const matrix = frailtyScoreMatrix(rates.home, rates.away, mm.model.rho, params.goalsFrailty);
  const base = [baselineGoals(mm.model, h), baselineGoals(mm.model, a)] as const;
  const day = dayOf(match.date);
  const ph = new PropsHistory(params.xiPerDay, history[0]?.day ?? day);
  for (const m of history) ph.add(m);
  const squads = await squadsAt(db, [match.home.id, match.away.id], match.date);
  const players: ContextPlayer[] = [];
  const excluded = new Map<number, ExcludedPlayer>();
  const sorted = [...squads.values()].sort((x, y) => x.player.id - y.player.id);
  for (const { player, teamId } of sorted) {
    const side: 0 | 1 = teamId === match.home.id ? 0 : 1;
    if (RULED_OUT_STATUSES.includes(player.injuryStatus)) {
      excluded.set(player.id, { player, teamId, side, reason: exclusionReason(player) });
      continue;
    }
    const factor = Math.pow((side === 0 ? rates.home : rates.away) / base[side], params.damping);
    const minutes = minutesScenarios(ph.recentMinutes(player.id), params.minutesWindow);
    const tier1 = {} as Record<EvalStat, PropPrediction>;
    const rate90 = {} as Record<EvalStat, number>;
    for (const s of PROP_STATS) {
      const levels = ph.levels(s, player.id, teamId, player.position, day);
      // A position never seen in this competition borrows the league's pooled rate.
      if (!(levels[2].exposure90 > 0)) levels[2] = leagueLevel(history, s);
      const post = hierarchicalPosterior(...levels, params.shrinkage[s]);
      const f = s === 'cards' ? 1 : factor;
      tier1[s] = propProbability(post, minutes, { factor: f });
      rate90[s] = posteriorMean(post) * f;
    }
    players.push({ player, teamId, side, minutes, expectedMinutes: expectedMinutes(minutes), tier1, rate90 });
  }
  let sim: MatchSimulation | null = null;
  const markets = new Map<string, Uint32Array>();
  const simulation = () => {
    if (sim === null) onSimulate?.();
    sim ??= simulateMatch({
      matrix,
      players: players.map((p) => ({ side: p.side, goalRate90: p.rate90.goals, assistRate90: p.rate90.assists, cardRate90: p.rate90.cards, minutes: p.minutes })),
      cardStateEffect: params.cardStateEffect,
      draws: params.draws,
      seed: params.seed + match.id,
    });
    return sim;
  };
  return {
    match,
    modelVersion: mm.version,
    expectedGoals: { home: rates.home, away: rates.away },
    matrix,
    players,
    excluded,
    index: new Map(players.map((p, i) => [p.player.id, i])),
    ensemble,
    simulation,
    simulated: () => sim !== null,
    marketBits(market, line) {
      const key = `${market}|${line}`;
      let bits = markets.get(key);
      if (!bits) {
        bits = legBits(simulation(), { kind: 'match', market, line });
        // A bounded memo: totals lines are free text, so cap what one context can hold.
        if (markets.size < 64) markets.set(key, bits);
      }
      return bits;
    },
  };
}

/** All appearances of the window pooled, with a nominal 90 minutes when there are none. */
function leagueLevel(history: readonly PropsMatch[], stat: EvalStat) {
  let count = 0;
  let exposure90 = 0;
  for (const m of history) {
    for (const l of m.lines) {
      if (l.minutes > 0) {
        count += l[stat];
        exposure90 += l.minutes / 90;
      }
    }
  }
  return exposure90 > 0 ? { count, exposure90 } : { count: 0, exposure90: 1 };
}

/** The props-ensemble artifact's weights as the API reads them (null when malformed). */
export function weightsOf(parameters: Record<string, unknown>): Record<string, { w: number; a: number; b: number; fitted: boolean }> | null {
  const w = parameters.weights as Record<string, { w?: unknown; a?: unknown; b?: unknown; fitted?: unknown }> | undefined;
  if (!w) return null;
  const out: Record<string, { w: number; a: number; b: number; fitted: boolean }> = {};
  for (const s of PROP_STATS) {
    const x = w[s];
    if (!x || typeof x.w !== 'number' || typeof x.a !== 'number' || typeof x.b !== 'number') return null;
    out[s] = { w: x.w, a: x.a, b: x.b, fitted: x.fitted === true };
  }
  return out;
}
