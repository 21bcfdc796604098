// Walk-forward prediction of player props over a run of finished matches: matches are taken
// date by date; every match of a date is predicted from matches on earlier dates only (the
// Dixon-Coles match model refitted on the trailing window, the player histories, the
// ensemble weights learned from earlier settled predictions), and only then are that date's
// results added. The players predicted are those who appeared (props settle only for a
// player who plays), and tier2's allocation uses that match's appearing players as the
// squad — the information a lineup plus the substitutes used would give.
import { dixonColesRates, fitDixonColes, type DixonColesModel } from '../dixon-coles.js';
import { outcome1x2 } from '../markets.js';
import { blend, fitBlend, IDENTITY_BLEND, type BlendWeights } from './ensemble.js';
import { frailtyScoreMatrix } from './frailty.js';
import { PROP_STATS, PropsHistory, type EvalStat, type PropsMatch } from './history.js';
import { DEFAULT_DRAWS, jointFromBits, simulateMatch, smoothedProbability, type MatchSimulation, type SimPlayer } from './simulate.js';
import { hierarchicalPosterior, minutesScenarios, posteriorMean, propProbability, type ShrinkageOptions } from './tier1.js';

export interface PropsParams {
  shrinkage: Record<EvalStat, ShrinkageOptions>;
  /** Decay of the player histories per day. */
  xiPerDay: number;
  minutesWindow: number;
  /** Exponent of the opponent factor (1 = full share-of-team-goals scaling). */
  damping: number;
  cardStateEffect: number;
  /** Variance of the match-level frailty on each side's expected goals (0 = plain Dixon-Coles). */
  goalsFrailty: number;
  /** Own-goal share when tier2 treats the appearing players as the full squad; null = no. */
  otherGoalShare: number | null;
  draws: number;
  /** Match-model training window before each date. */
  matchWindowDays: number;
  /** Settled predictions needed before the ensemble moves off the identity blend. */
  ensembleMinItems: number;
  seed: number;
}

// Tuned on FPL 2020-21 only (docs/model-quality-props.md); 2021-22 is the untouched season.
export const DEFAULT_PROPS_PARAMS: PropsParams = {
  shrinkage: {
    goals: { playerStrength: 20, teamStrength: 30 },
    assists: { playerStrength: 20, teamStrength: 30 },
    cards: { playerStrength: 20, teamStrength: 30 },
  },
  xiPerDay: 0.002,
  minutesWindow: 6,
  damping: 0.6,
  cardStateEffect: 0.1,
  goalsFrailty: 0.15,
  otherGoalShare: null,
  draws: DEFAULT_DRAWS,
  matchWindowDays: 730,
  ensembleMinItems: 500,
  seed: 20260101,
};

export type Triple = Record<EvalStat, number>;

export interface PlayerPrediction {
  matchId: number;
  season: string;
  playerId: number;
  teamId: number;
  position: string;
  tier1: Triple;
  tier2: Triple;
  ensemble: Triple;
  positionBaseline: Triple;
  seasonBaseline: Triple;
  outcome: Record<EvalStat, 0 | 1>;
}

export interface MatchPrediction {
  match: PropsMatch;
  /** P(home win), P(draw), P(away win) from the match model. */
  outcome: [number, number, number];
  players: PlayerPrediction[];
  simulation: MatchSimulation;
}

function fitMatchModel(history: readonly PropsMatch[], day: number, windowDays: number, extraTeams: readonly number[]) {
  const recent = history.filter((m) => m.day < day && m.day >= day - windowDays);
  const ids = new Map<number, number>();
  const idx = (t: number) => {
    let i = ids.get(t);
    if (i === undefined) {
      i = ids.size;
      ids.set(t, i);
    }
    return i;
  };
  for (const m of recent) {
    idx(m.home);
    idx(m.away);
  }
  for (const t of extraTeams) idx(t);
  const played = new Map<number, number>();
  for (const m of recent) for (const t of [m.home, m.away]) played.set(t, (played.get(t) ?? 0) + 1);
  const teams = ids.size;
  const promoted = Array.from({ length: teams }, () => false);
  // Teams with under half a season in the window are new to the league: promoted prior.
  for (const [t, i] of ids) promoted[i] = (played.get(t) ?? 0) < 19;
  const fit = fitDixonColes(
    {
      home: Int32Array.from(recent, (m) => idx(m.home)),
      away: Int32Array.from(recent, (m) => idx(m.away)),
      homeGoals: Int32Array.from(recent, (m) => m.homeGoals),
      awayGoals: Int32Array.from(recent, (m) => m.awayGoals),
      ageDays: Float64Array.from(recent, (m) => day - m.day),
    },
    { teams, promoted },
  );
  return { model: fit.model, index: ids };
}

/** Expected goals of a team against an average side at a neutral venue with half the home edge. */
function baselineGoals(model: DixonColesModel, team: number): number {
  return Math.exp(model.intercept + model.homeAdvantage / 2 + model.attack[team]!);
}

export interface WalkForwardResult {
  predictions: MatchPrediction[];
  /** Ensemble weights in force at the end, per prop. */
  blend: Record<EvalStat, BlendWeights>;
  /**
   * Weights refitted on every settled prediction of the run (the most recent 20 000 per
   * prop), for use after the last predicted match; a prop with fewer than
   * `ensembleMinItems` settled items keeps the identity blend (`fitted` false).
   */
  finalBlend: Record<EvalStat, BlendWeights & { fitted: boolean; items: number }>;
}

/** The most recent 20 000 settled items: plenty for three parameters, bounded cost. */
const BLEND_WINDOW = 20_000;

function fitSettled(d: { p1: number[]; p2: number[]; y: number[] }, minItems: number): BlendWeights | null {
  const from = Math.max(0, d.y.length - BLEND_WINDOW);
  if (d.y.length - from < minItems) return null;
  return fitBlend(d.p1.slice(from), d.p2.slice(from), d.y.slice(from));
}

/**
 * Walks forward through `matches` (sorted or not); predicts every match whose season is in
 * `predictSeasons` (or for which the predicate holds), learning from all earlier ones; a
 * date with no finished match in the match-model window before it is history only.
 * `onMatch` sees each prediction once, so callers can aggregate without keeping every
 * simulation in memory.
 */
export function walkForward(
  matches: readonly PropsMatch[],
  predictSeasons: ReadonlySet<string> | ((m: PropsMatch) => boolean),
  params: PropsParams = DEFAULT_PROPS_PARAMS,
  onMatch: (p: MatchPrediction) => void = () => undefined,
): WalkForwardResult {
  const sorted = [...matches].sort((a, b) => a.day - b.day || a.id - b.id);
  const day0 = sorted[0]?.day ?? 0;
  const history = new PropsHistory(params.xiPerDay, day0);
  const done: PropsMatch[] = [];
  const settled: Record<EvalStat, { p1: number[]; p2: number[]; y: number[] }> = {
    goals: { p1: [], p2: [], y: [] },
    assists: { p1: [], p2: [], y: [] },
    cards: { p1: [], p2: [], y: [] },
  };
  const weights: Record<EvalStat, BlendWeights> = { goals: IDENTITY_BLEND, assists: IDENTITY_BLEND, cards: IDENTITY_BLEND };
  let lastBlendFit = -Infinity;
  const kept: MatchPrediction[] = [];
  let i = 0;
  while (i < sorted.length) {
    const day = sorted[i]!.day;
    const today: PropsMatch[] = [];
    while (i < sorted.length && sorted[i]!.day === day) today.push(sorted[i++]!);
    const last = done[done.length - 1];
    const hasHistory = last !== undefined && last.day >= day - params.matchWindowDays;
    const toPredict = hasHistory ? today.filter((m) => (typeof predictSeasons === 'function' ? predictSeasons(m) : predictSeasons.has(m.season))) : [];
    if (toPredict.length > 0) {
      if (day - lastBlendFit >= 7) {
        for (const s of PROP_STATS) weights[s] = fitSettled(settled[s], params.ensembleMinItems) ?? weights[s];
        lastBlendFit = day;
      }
      const teams = toPredict.flatMap((m) => [m.home, m.away]);
      const { model, index } = fitMatchModel(done, day, params.matchWindowDays, teams);
      for (const match of toPredict) {
        const h = index.get(match.home)!;
        const a = index.get(match.away)!;
        const rates = dixonColesRates(model, h, a);
        const matrix = frailtyScoreMatrix(rates.home, rates.away, model.rho, params.goalsFrailty);
        const o = outcome1x2(matrix);
        const base = [baselineGoals(model, h), baselineGoals(model, a)];
        const lines = match.lines.filter((l) => l.minutes > 0 && (l.teamId === match.home || l.teamId === match.away));
        const simPlayers: SimPlayer[] = [];
        const players: PlayerPrediction[] = [];
        for (const line of lines) {
          const side = line.teamId === match.home ? 0 : 1;
          const factor = Math.pow((side === 0 ? rates.home : rates.away) / base[side]!, params.damping);
          const minutes = minutesScenarios(history.recentMinutes(line.playerId), params.minutesWindow);
          const tier1 = {} as Triple;
          const rate = {} as Triple;
          for (const s of PROP_STATS) {
            const post = hierarchicalPosterior(...history.levels(s, line.playerId, line.teamId, line.position, day), params.shrinkage[s]);
            const f = s === 'cards' ? 1 : factor;
            tier1[s] = propProbability(post, minutes, { factor: f, interval: false }).probability;
            rate[s] = posteriorMean(post) * f;
          }
          simPlayers.push({ side, goalRate90: rate.goals, assistRate90: rate.assists, cardRate90: rate.cards, minutes });
          const pb = {} as Triple;
          const sb = {} as Triple;
          for (const s of PROP_STATS) {
            pb[s] = history.positionRate(s, line.position);
            sb[s] = history.seasonRate(s, line.playerId, line.position, match.season);
          }
          players.push({
            matchId: match.id,
            season: match.season,
            playerId: line.playerId,
            teamId: line.teamId,
            position: line.position,
            tier1,
            tier2: { goals: 0, assists: 0, cards: 0 },
            ensemble: { goals: 0, assists: 0, cards: 0 },
            positionBaseline: pb,
            seasonBaseline: sb,
            outcome: { goals: line.goals > 0 ? 1 : 0, assists: line.assists > 0 ? 1 : 0, cards: line.cards > 0 ? 1 : 0 },
          });
        }
        const simulation = simulateMatch({
          matrix,
          players: simPlayers,
          cardStateEffect: params.cardStateEffect,
          ...(params.otherGoalShare !== null ? { completeRosterOtherShare: params.otherGoalShare } : {}),
          draws: params.draws,
          seed: params.seed + match.id,
        });
        players.forEach((p, k) => {
          // Raw frequencies, shrunk towards tier1 so a rare leg never gets exactly 0.
          const frac = (bits: Uint32Array, prior: number) => smoothedProbability(jointFromBits(simulation.draws, [bits]), simulation.draws, prior);
          p.tier2 = {
            goals: frac(simulation.goal[k]!, p.tier1.goals),
            assists: frac(simulation.assist[k]!, p.tier1.assists),
            cards: frac(simulation.card[k]!, p.tier1.cards),
          };
          for (const s of PROP_STATS) p.ensemble[s] = blend(weights[s], p.tier1[s], p.tier2[s]);
        });
        const prediction: MatchPrediction = { match, outcome: [o.home, o.draw, o.away], players, simulation };
        onMatch(prediction);
        kept.push({ ...prediction, simulation: { ...simulation, goal: [], assist: [], card: [] } });
      }
      // Settle today's predictions only after all of today's matches were predicted.
      for (const m of kept.slice(kept.length - toPredict.length)) {
        for (const p of m.players) {
          for (const s of PROP_STATS) {
            settled[s].p1.push(p.tier1[s]);
            settled[s].p2.push(p.tier2[s]);
            settled[s].y.push(p.outcome[s]);
          }
        }
      }
    }
    for (const m of today) {
      history.add(m);
      done.push(m);
    }
  }
  const finalBlend = {} as WalkForwardResult['finalBlend'];
  for (const s of PROP_STATS) {
    const fit = fitSettled(settled[s], params.ensembleMinItems);
    finalBlend[s] = { ...(fit ?? IDENTITY_BLEND), fitted: fit !== null, items: settled[s].y.length };
  }
  return { predictions: kept, blend: weights, finalBlend };
}
