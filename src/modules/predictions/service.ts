// The prediction read API: one match's prediction (generated on demand while the match is
// still to come), the full market view, and the lists (today, upcoming, by league, history).
import type { Static } from '@sinclair/typebox';
import { ExplainedNotFoundError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { pageOf } from '../../platform/schemas.js';
import { addDays, utcDate } from '../catalog/matches-service.js';
import { findMatchRow } from '../catalog/matches-repository.js';
import { matchView, type MatchRow } from '../catalog/refs.js';
import { competitionById, competitionFilter, resolveSport } from '../catalog/resolve.js';
import type { ModelKind } from '../../db/schema/index.js';
import { generatePredictions, kickoffOf } from './generation.js';
import { findMatchPredictions, findPrediction, findPredictionPage, matchExists, type PredictionCriteria, type PredictionRow } from './repository-predictions.js';
import {
  MARKET_KEYS,
  type GamePrediction,
  type HistoryQuery,
  type LeagueQuery,
  type MatchPrediction,
  type PredictionItem,
  type TodayQuery,
  type UpcomingQuery,
} from './schemas.js';
import type { PredictionDeps } from './training.js';

export function confidenceTier(confidence: number): 'high' | 'medium' | 'low' {
  return confidence > 0.7 ? 'high' : confidence > 0.5 ? 'medium' : 'low';
}

function predictionFields(p: PredictionRow) {
  return {
    game_id: p.matchId,
    match_id: p.matchId,
    win_probability: { home: p.probHome, draw: p.probDraw, away: p.probAway },
    point_spread: p.pointSpread,
    total_points: p.totalPoints,
    confidence: p.confidence,
    confidence_tier: confidenceTier(p.confidence),
    model: p.kind,
    model_version: p.modelVersion,
    as_of: p.asOf.toISOString(),
    created_at: p.createdAt.toISOString(),
    kickoff: p.kickoff.toISOString(),
    settled_at: p.settledAt?.toISOString() ?? null,
    outcome: p.outcome ?? null,
    correct: p.correct,
  };
}

const itemView = (p: PredictionRow, m: MatchRow): PredictionItem => ({ ...predictionFields(p), match: matchView(m) });

export function createPredictionService(deps: PredictionDeps) {
  const { db, clock } = deps;

  /** The stored prediction, generating it first when the match is still to come. */
  async function ensure(matchId: number, kind?: ModelKind): Promise<PredictionRow> {
    const found = await findPrediction(db, matchId, kind);
    if (found) return found;
    const match = await matchExists(db, matchId);
    if (!match) throw new NotFoundError('match', matchId);
    const kickoff = kickoffOf(match);
    const now = clock.now();
    const what = kind ? `a ${kind} prediction` : 'a prediction';
    const missing = (reason: string, why: string) => new ExplainedNotFoundError('prediction', matchId, `Match ${matchId} has no ${what.replace(/^an? /, '')}: ${why}`, reason);
    if (match.status !== 'scheduled' || kickoff <= now) {
      throw missing('past_kickoff', `it kicked off at ${kickoff.toISOString()} (now ${now.toISOString()}) and no prediction was frozen before then; predictions are made only before kick-off (replay with \`sharpline predict --as-of\`)`);
    }
    await generatePredictions(deps, { matchIds: [matchId] });
    const made = await findPrediction(db, matchId, kind);
    if (made) return made;
    const any = await findPrediction(db, matchId);
    if (kind && any) throw missing('model_not_available', `the ${kind} model does not apply to it or lacks data (the headline model is ${any.kind})`);
    throw missing('no_model', `no model could be trained for its competition on results before ${kickoff.toISOString().slice(0, 10)} (too few results, or none imported)`);
  }

  async function page(c: PredictionCriteria, order: 'asc' | 'desc', q: { page: number; page_size: number }) {
    const { rows, total } = await findPredictionPage(db, c, order, q.page_size, (q.page - 1) * q.page_size);
    return pageOf(
      rows.map((r) => itemView(r.prediction, r.match)),
      total,
      q,
    );
  }

  async function sportId(input: string | undefined): Promise<number | null | undefined> {
    if (input === undefined) return undefined;
    return (await resolveSport(db, input)).id;
  }

  return {
    async game(matchId: number): Promise<GamePrediction> {
      return { ...predictionFields(await ensure(matchId)), version: 'v1' };
    },

    async match(matchId: number, q: { markets?: string; model?: ModelKind }): Promise<Static<typeof MatchPrediction>> {
      const wanted = q.markets?.split(',').map((s) => s.trim()).filter(Boolean);
      for (const key of wanted ?? []) {
        if (!(MARKET_KEYS as readonly string[]).includes(key)) throw new ValidationError(`unknown market '${key}'; expected any of ${MARKET_KEYS.join(', ')}`, 'markets', key);
      }
      const main = await ensure(matchId, q.model);
      const [all, matchRow] = await Promise.all([findMatchPredictions(db, matchId), findMatchRow(db, matchId)]);
      if (!matchRow) throw new NotFoundError('match', matchId);
      const markets = Object.fromEntries(Object.entries(main.markets).filter(([k]) => k === 'blend' || k === 'ratings' || wanted === undefined || wanted.includes(k)));
      return {
        ...predictionFields(main),
        match: matchView(matchRow),
        markets,
        models: all.map((p) => ({
          model: p.kind,
          model_version: p.modelVersion,
          win_probability: { home: p.probHome, draw: p.probDraw, away: p.probAway },
          point_spread: p.pointSpread,
          total_points: p.totalPoints,
          as_of: p.asOf.toISOString(),
          created_at: p.createdAt.toISOString(),
        })),
        scores: main.metrics ?? null,
        version: 'v1',
      };
    },

    async today(q: Static<typeof TodayQuery>) {
      const sport = await sportId(q.sport);
      if (sport === null) return pageOf([], 0, q);
      const day = utcDate(clock.now());
      return page({ matchDateFrom: day, matchDateTo: day, minConfidence: q.min_confidence, ...(sport !== undefined ? { sportId: sport } : {}) }, 'asc', q);
    },

    async upcoming(q: Static<typeof UpcomingQuery>) {
      const sport = await sportId(q.sport);
      if (sport === null) return pageOf([], 0, q);
      const c: PredictionCriteria = { kickoffAfter: clock.now(), matchDateTo: addDays(utcDate(clock.now()), q.days), minConfidence: q.min_confidence };
      if (sport !== undefined) c.sportId = sport;
      if (q.competition !== undefined) c.competitionId = (await competitionFilter(db, q.competition)).id;
      return page(c, 'asc', q);
    },

    async league(id: string, q: Static<typeof LeagueQuery>) {
      const comp = await competitionById(db, id);
      const c: PredictionCriteria = { competitionId: comp.id };
      if (q.when === 'upcoming') c.kickoffAfter = clock.now();
      if (q.when === 'settled') c.settled = true;
      return page(c, q.when === 'upcoming' ? 'asc' : 'desc', q);
    },

    async history(q: Static<typeof HistoryQuery>) {
      const sport = await sportId(q.sport);
      if (sport === null) return pageOf([], 0, q);
      const c: PredictionCriteria = { settled: true };
      if (sport !== undefined) c.sportId = sport;
      if (q.competition !== undefined) c.competitionId = (await competitionFilter(db, q.competition)).id;
      if (q.team !== undefined) c.teamId = q.team;
      if (q.date_from !== undefined) c.matchDateFrom = q.date_from;
      if (q.date_to !== undefined) c.matchDateTo = q.date_to;
      if (q.model !== undefined) c.kind = q.model;
      return page(c, 'desc', q);
    },
  };
}

export type PredictionService = ReturnType<typeof createPredictionService>;
