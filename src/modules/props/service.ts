// The player-prop service behind seed 001's /predict/player, /predict/match, /predict/parlay
// and /recommend/parlays and seed 000's player prediction routes. Each request takes the
// match's props context (src/modules/props/context.ts) from the in-process model state
// (src/modules/props/state.ts: rebuilt only when the data version or a usable artifact
// changed) and reads the answer off it. Player and match answers also go through the
// response cache for 5 minutes (keys pred:… and pred_match:…; off with CACHE_RESPONSES=false):
// an import clears them for the players and matches it touched, but a new result of another
// match changes the squad's histories without touching the upcoming match, so the short TTL
// bounds that. `cached` says whether the answer came from the response cache.
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/client.js';
import { blend } from '../../models/props/ensemble.js';
import { PROP_STATS } from '../../models/props/history.js';
import { jointFromBits, smoothedProbability } from '../../models/props/simulate.js';
import { edge as valueEdge, fractionalKelly, impliedProbability, kellyFraction } from '../../models/staking.js';
import { cachedRead } from '../../platform/cache/read.js';
import type { Cache } from '../../platform/cache/cache.js';
import { CACHE_TTL_SECONDS, cacheKeys } from '../../platform/cache/keys.js';
import type { Clock } from '../../platform/clock.js';
import { NotFoundError, UnprocessableError } from '../../platform/errors.js';
import { assertPropsSport, type ContextPlayer, type MatchContext } from './context.js';
import { correlationMatrix, evaluateLegs, parseLeg, type ParsedLeg } from './legs.js';
import { findPropsPlayer, nextMatchOf, playerTeamAt, type PropsMatchInfo } from './repository.js';
import { createPropsState, type PropsState, type StateKey } from './state.js';
import type {
  MatchPropsBody,
  MatchPropsRequest,
  ParlayRequest,
  PlayerPredictionBody,
  PlayerPredictionRequest,
  PropPredictionView,
  Recommendation,
  RecommendRequest,
  Tier,
} from './schemas.js';

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const clip = (x: number) => Math.min(1, Math.max(0, x));
const SIM_PROP = { goals: 'goal', assists: 'assist', cards: 'card' } as const;

export interface PropsDeps {
  db: Db;
  clock: Clock;
  cache: Cache;
  /** false: no response cache (CACHE_RESPONSES=false); the model state stays in memory. */
  responses?: boolean;
  state?: PropsState;
}

/** Every prop of one player under a tier, with interval, uncertainty and (tier2) MC error. */
function playerProps(ctx: MatchContext, p: ContextPlayer, tier: Tier): Record<string, PropPredictionView> {
  const out: Record<string, PropPredictionView> = {};
  const k = ctx.index.get(p.player.id)!;
  for (const s of PROP_STATS) {
    const t1 = p.tier1[s];
    if (tier === 'tier1') {
      out[s] = { probability: r4(t1.probability), confidence_interval: [r4(t1.lower), r4(t1.upper)], uncertainty: r4(t1.uncertainty), expected: r4(t1.expected), tier };
      continue;
    }
    const sim = ctx.simulation();
    const raw = jointFromBits(sim.draws, [sim[SIM_PROP[s]][k]!]);
    const p2 = smoothedProbability(raw, sim.draws, t1.probability);
    const prob = tier === 'tier2' ? p2 : blend(ctx.ensemble.weights[s], t1.probability, p2);
    // The rate posterior's spread is the parameter uncertainty of every tier: the interval
    // keeps tier1's width around this tier's probability.
    const shift = prob - t1.probability;
    out[s] = {
      probability: r4(prob),
      confidence_interval: [r4(clip(t1.lower + shift)), r4(clip(t1.upper + shift))],
      uncertainty: r4(t1.uncertainty),
      mc_error: r4(raw.mcError),
      tier,
    };
  }
  return out;
}

const modelVersion = (tier: string, ctx: MatchContext) => `props-${tier}@${ctx.modelVersion}`;
/** Which blend weights an ensemble answer used: the props-ensemble artifact, or 'default'. */
const ensembleField = (tier: Tier, ctx: MatchContext) => (tier === 'ensemble' ? { ensemble_weights: ctx.ensemble.source } : {});

function confidenceLabel(edge: number, disagreement: number): 'high' | 'medium' | 'low' {
  // An edge is only as good as the model's agreement with itself: tier1 vs tier2 spread.
  if (edge >= 0.1 && edge > 2 * disagreement) return 'high';
  if (edge >= 0.03 && edge > disagreement) return 'medium';
  return 'low';
}

export function createPropsService(deps: PropsDeps) {
  const { db, clock, cache } = deps;
  const state = deps.state ?? createPropsState(db);
  const context = async (match: PropsMatchInfo, key?: StateKey) => (await state.context(match, key)).ctx;
  /** Read through the response cache unless it is off; `cached` is true only for a hit. */
  const read = <T>(key: string, ttl: number, load: () => Promise<T>) =>
    deps.responses === false ? load().then((value) => ({ value, cached: false })) : cachedRead(cache, key, ttl, load);

  async function matchOrThrow(matchId: number): Promise<{ match: PropsMatchInfo; key: StateKey }> {
    const { match, key } = await state.entities(matchId);
    if (!match || !key) throw new NotFoundError('match', matchId);
    assertPropsSport(match.sport);
    return { match, key };
  }

  const served = <T>(body: T, cached: boolean, started: number) => ({
    ...body,
    cached,
    inference_time_ms: Math.max(0, Math.round(performance.now() - started)),
    timestamp: clock.now().toISOString(),
    version: 'v1' as const,
  });

  async function player(req: Static<typeof PlayerPredictionRequest>) {
    const started = performance.now();
    const tier = req.tier ?? 'tier1';
    const { match, player: p, key } = await state.entities(req.match_id, req.player_id);
    if (!p) throw new NotFoundError('player', req.player_id);
    if (!match || !key) throw new NotFoundError('match', req.match_id);
    assertPropsSport(match.sport);
    const { value, cached } = await read(cacheKeys.prediction(tier, p.id, match.id), CACHE_TTL_SECONDS.prediction, async (): Promise<PlayerPredictionBody> => {
      // The squads are those of the context (latest appearance in the year before the match).
      const ctx = await context(match, key);
      const k = ctx.index.get(p.id);
      const out = ctx.excluded.get(p.id);
      if (out) {
        throw new UnprocessableError(`player ${p.id} (${p.name}) is ruled out of match ${match.id} (${match.home.name} v ${match.away.name}): ${out.reason}`, {
          player_id: p.id,
          match_id: match.id,
          injury_status: out.player.injuryStatus,
          reason: out.reason,
        });
      }
      if (k === undefined) {
        const team = await playerTeamAt(db, p, match.date);
        throw new UnprocessableError(`player ${p.id} (${p.name}) is in neither squad of match ${match.id} (${match.home.name} v ${match.away.name})`, { player_id: p.id, match_id: match.id, team_id: team });
      }
      const cp = ctx.players[k]!;
      const isHome = cp.side === 0;
      return {
        player_id: p.id,
        player_name: p.name,
        team: isHome ? match.home.name : match.away.name,
        match_id: match.id,
        opponent: isHome ? match.away.name : match.home.name,
        match_date: match.date,
        is_home: isHome,
        expected_minutes: Math.round(cp.expectedMinutes * 10) / 10,
        predictions: playerProps(ctx, cp, tier),
        supported_props: [...PROP_STATS],
        model_version: modelVersion(tier, ctx),
        ...ensembleField(tier, ctx),
      };
    });
    const predictions = req.return_uncertainty
      ? value.predictions
      : Object.fromEntries(Object.entries(value.predictions).map(([k, v]) => [k, { probability: v.probability, tier: v.tier }]));
    return served({ ...value, predictions }, cached, started);
  }

  return {
    player,

    async match(req: Static<typeof MatchPropsRequest>) {
      const started = performance.now();
      const tier = req.tier ?? 'tier1';
      const { match, key } = await matchOrThrow(req.match_id);
      const { value, cached } = await read(cacheKeys.matchPrediction(tier, match.id), CACHE_TTL_SECONDS.prediction, async (): Promise<MatchPropsBody> => {
        const ctx = await context(match, key);
        return {
          match_id: match.id,
          home_team: match.home.name,
          away_team: match.away.name,
          match_date: match.date,
          predictions: ctx.players.map((cp) => ({
            player_id: cp.player.id,
            player_name: cp.player.name,
            team: cp.side === 0 ? match.home.name : match.away.name,
            is_home: cp.side === 0,
            expected_minutes: Math.round(cp.expectedMinutes * 10) / 10,
            predictions: Object.fromEntries(Object.entries(playerProps(ctx, cp, tier)).map(([k, v]) => [k, { probability: v.probability }])),
          })),
          excluded_players: [...ctx.excluded.values()].map((x) => ({
            player_id: x.player.id,
            player_name: x.player.name,
            team: x.side === 0 ? match.home.name : match.away.name,
            injury_status: x.player.injuryStatus,
            reason: x.reason,
          })),
          model_version: modelVersion(tier, ctx),
          ...ensembleField(tier, ctx),
        };
      });
      const min = req.min_minutes ?? 0;
      return served({ ...value, predictions: value.predictions.filter((p) => p.expected_minutes >= min) }, cached, started);
    },

    async parlay(req: Static<typeof ParlayRequest>) {
      const started = performance.now();
      const { match, key } = await matchOrThrow(req.match_id);
      const ctx = await context(match, key);
      const legs = req.legs.map((l, k) => parseLeg(ctx, l, k));
      const tier = req.tier ?? 'tier2';
      const j = evaluateLegs(ctx, legs);
      const individual = tier === 'tier1' ? j.tier1 : j.tier2;
      return {
        match_id: match.id,
        parlay: {
          legs: legs.map((l, i) => legView(l, individual[i]!)),
          joint_probability_tier1: r4(j.jointTier1),
          joint_probability_tier2: r4(j.jointTier2),
          mc_error_tier2: r4(j.mcError),
          correlation_adjustment: r4(j.jointTier2 - j.jointTier1),
          implied_odds_tier1: j.jointTier1 > 0 ? Math.round(100 / j.jointTier1) / 100 : null,
          implied_odds_tier2: j.jointTier2 > 0 ? Math.round(100 / j.jointTier2) / 100 : null,
          correlation_matrix: req.include_correlation_matrix ? correlationMatrix(ctx.simulation(), legs, j.bits) : null,
        },
        model_version: modelVersion(tier, ctx),
        inference_time_ms: Math.max(0, Math.round(performance.now() - started)),
        timestamp: clock.now().toISOString(),
        version: 'v1' as const,
      };
    },

    async recommend(req: Static<typeof RecommendRequest>) {
      const started = performance.now();
      const { match, key } = await matchOrThrow(req.match_id);
      const ctx = await context(match, key);
      const maxLegs = req.max_legs ?? 3;
      const minEdge = req.min_edge ?? 0.05;
      const fraction = req.kelly_fraction ?? 0.25;
      const analysed: Recommendation['parlay'][] = [];
      for (const offer of req.bookmaker_odds) {
        // Offers longer than max_legs are outside what the caller asked to consider.
        if (offer.legs.length > maxLegs) continue;
        const legs = offer.legs.map((l, k) => parseLeg(ctx, l, k));
        const j = evaluateLegs(ctx, legs);
        const p = j.jointTier2;
        const implied = impliedProbability(offer.odds);
        const e = p - implied;
        analysed.push({
          legs: legs.map((l) => {
            const { individual_probability: _omit, ...rest } = legView(l, 0);
            return rest;
          }),
          model_probability: r4(p),
          bookmaker_odds: offer.odds,
          implied_probability: r4(implied),
          edge: r4(e),
          edge_percent: Math.round(e * 1000) / 10,
          expected_value: r4(valueEdge(p, offer.odds)),
          kelly_stake_percent: r4(100 * kellyFraction(p, offer.odds)),
          recommended_stake_percent: r4(100 * fractionalKelly(p, offer.odds, fraction)),
          confidence: confidenceLabel(e, Math.abs(j.jointTier2 - j.jointTier1)),
        });
      }
      const ranked = analysed.filter((a) => a.edge >= minEdge).sort((a, b) => b.expected_value - a.expected_value);
      return {
        match_id: match.id,
        recommendations: ranked.slice(0, req.max_results ?? 10).map((parlay, i) => ({ rank: i + 1, parlay })),
        total_parlays_analyzed: analysed.length,
        positive_ev_count: analysed.filter((a) => a.expected_value > 0).length,
        model_version: modelVersion('tier2', ctx),
        inference_time_ms: Math.max(0, Math.round(performance.now() - started)),
        timestamp: clock.now().toISOString(),
        version: 'v1' as const,
      };
    },

    /** Seed 000's GET player predictions: the given match, else his team's next one. */
    async playerRoute(playerId: number, q: { match_id?: number; tier?: Tier }) {
      const p = await findPropsPlayer(db, playerId);
      if (!p) throw new NotFoundError('player', playerId);
      let matchId = q.match_id;
      if (matchId === undefined) {
        const today = clock.now().toISOString().slice(0, 10);
        const team = await playerTeamAt(db, p, today);
        matchId = team === null ? undefined : ((await nextMatchOf(db, team, today)) ?? undefined);
        if (matchId === undefined) throw new NotFoundError('upcoming match for player', playerId);
      }
      return player({ player_id: playerId, match_id: matchId, tier: q.tier ?? 'tier1', return_uncertainty: true });
    },
  };
}

function legView(l: ParsedLeg, probability: number) {
  return l.kind === 'player'
    ? { player_id: l.playerId, player_name: l.playerName, prop: l.prop, line: l.line, individual_probability: r4(probability) }
    : { player_id: null, player_name: null, prop: l.market, line: l.line, individual_probability: r4(probability) };
}

export type PropsService = ReturnType<typeof createPropsService>;
