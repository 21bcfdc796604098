// One match's props model state, built the way the walk-forward evaluation builds it
// (src/models/props/walk-forward.ts) but from the database: the match model's expected
// goals (the newest Dixon-Coles artifact usable at the match date, else a Dixon-Coles fit on
// the competition's earlier results), the player histories from player_match_stats before
// the match date, each squad player's tier1 posterior per prop, and tier2's seeded
// simulation of the whole match over both squads.
import type { Db } from '../../db/client.js';
import { dixonColesRates, fitDixonColes, type DixonColesModel } from '../../models/dixon-coles.js';
import type { ScoreMatrix } from '../../models/markets.js';
import { frailtyScoreMatrix } from '../../models/props/frailty.js';
import { PROP_STATS, PropsHistory, type EvalStat, type PropsMatch } from '../../models/props/history.js';
import { simulateMatch, type MatchSimulation } from '../../models/props/simulate.js';
import { expectedMinutes, hierarchicalPosterior, minutesScenarios, posteriorMean, propProbability, type MinutesScenario, type PropPrediction } from '../../models/props/tier1.js';
import { DEFAULT_PROPS_PARAMS } from '../../models/props/walk-forward.js';
import type { FitDiagnostics } from '../../models/goals-data.js';
import { UnprocessableError } from '../../platform/errors.js';
import { goalsFromParameters } from '../predictions/engine/goals.js';
import { usableArtifact } from '../predictions/repository-artifacts.js';
import { dayOf, historyBefore, squadsAt, type PropsMatchInfo, type PropsPlayer } from './repository.js';

/** Props per sport: the player data of other sports has no model yet. */
export const SUPPORTED_PROPS: Record<string, readonly EvalStat[]> = { soccer: PROP_STATS };

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

export interface MatchContext {
  match: PropsMatchInfo;
  modelVersion: string;
  expectedGoals: { home: number; away: number };
  matrix: ScoreMatrix;
  players: ContextPlayer[];
  index: Map<number, number>;
  simulation(): MatchSimulation;
}

const params = DEFAULT_PROPS_PARAMS;

interface MatchModel {
  version: string;
  model: DixonColesModel;
  index: (team: number) => number | undefined;
}

/** The stored Dixon-Coles artifact when it covers both teams, else a fit on the history. */
async function matchModel(db: Db, match: PropsMatchInfo, history: readonly PropsMatch[]): Promise<MatchModel> {
  const artifact = await usableArtifact(db, match.competitionId, 'dixon-coles', match.date);
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

export async function buildMatchContext(db: Db, match: PropsMatchInfo): Promise<MatchContext> {
  assertPropsSport(match.sport);
  const history = await historyBefore(db, match.competitionId, match.date, params.matchWindowDays);
  const mm = await matchModel(db, match, history);
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
  const sorted = [...squads.values()].sort((x, y) => x.player.id - y.player.id);
  for (const { player, teamId } of sorted) {
    const side: 0 | 1 = teamId === match.home.id ? 0 : 1;
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
  return {
    match,
    modelVersion: mm.version,
    expectedGoals: { home: rates.home, away: rates.away },
    matrix,
    players,
    index: new Map(players.map((p, i) => [p.player.id, i])),
    simulation() {
      sim ??= simulateMatch({
        matrix,
        players: players.map((p) => ({ side: p.side, goalRate90: p.rate90.goals, assistRate90: p.rate90.assists, cardRate90: p.rate90.cards, minutes: p.minutes })),
        cardStateEffect: params.cardStateEffect,
        draws: params.draws,
        seed: params.seed + match.id,
      });
      return sim;
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
