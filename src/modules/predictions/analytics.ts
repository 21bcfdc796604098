// How the stored predictions did once settled: seed 000's accuracy summary (by sport, by
// confidence tier, spread MAE, period), seed 002's model performance (per model: log loss,
// Brier, RPS, calibration) and accuracy by league.
import type { Static } from '@sinclair/typebox';
import { asc, inArray } from 'drizzle-orm';
import { competitions, MODEL_KINDS, type ModelKind } from '../../db/schema/index.js';
import { calibration } from '../../models/metrics.js';
import { competitionFilter, resolveSport } from '../catalog/resolve.js';
import { competitionRefView } from '../catalog/refs.js';
import { findArtifacts } from './repository-artifacts.js';
import { findSettled, type SettledRow } from './repository-predictions.js';
import type { AccuracyResponse, AnalyticsQuery, LeagueAccuracy, ModelPerformance, PeriodQuery } from './schemas.js';
import { confidenceTier } from './service.js';
import type { PredictionDeps } from './training.js';

const DAY_MS = 86_400_000;

function mean(values: (number | null)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    s += v;
    n++;
  }
  return n === 0 ? null : s / n;
}

const share = (rows: SettledRow[]) => (rows.length === 0 ? 0 : rows.filter((r) => r.correct === true).length / rows.length);

/** Expected calibration error per outcome over settled rows (10 bins); draw null without draws. */
function calibrationErrors(rows: SettledRow[]): { home: number | null; draw: number | null; away: number | null } {
  const usable = rows.filter((r) => r.result !== null);
  if (usable.length === 0) return { home: null, draw: null, away: null };
  const draws = usable.some((r) => r.probDraw > 0);
  const classes = draws ? 3 : 2;
  const probabilities = new Float64Array(usable.length * classes);
  const outcomes = new Uint8Array(usable.length);
  usable.forEach((r, i) => {
    probabilities.set(draws ? [r.probHome, r.probDraw, r.probAway] : [r.probHome, r.probAway], i * classes);
    outcomes[i] = r.result === 'home' ? 0 : r.result === 'draw' ? (draws ? 1 : 0) : classes - 1;
  });
  const ece = calibration({ classes, probabilities, outcomes }).map((c) => c.ece);
  return draws ? { home: ece[0]!, draw: ece[1]!, away: ece[2]! } : { home: ece[0]!, draw: null, away: ece[1]! };
}

export function createAnalyticsService(deps: PredictionDeps) {
  const { db, clock } = deps;

  async function scope(q: { sport?: string; competition?: string }) {
    const out: { sportId?: number; competitionId?: number; empty: boolean } = { empty: false };
    if (q.sport !== undefined) {
      const s = await resolveSport(db, q.sport);
      if (s.id === null) out.empty = true;
      else out.sportId = s.id;
    }
    if (q.competition !== undefined) out.competitionId = (await competitionFilter(db, q.competition)).id;
    return out;
  }

  function period(days: number) {
    const to = clock.now();
    return { from: new Date(to.getTime() - days * DAY_MS), to };
  }

  return {
    async accuracy(q: Static<typeof PeriodQuery>): Promise<Static<typeof AccuracyResponse>> {
      const { from, to } = period(q.days);
      const s = await scope(q);
      const rows = s.empty ? [] : await findSettled(db, { from, to, primaryOnly: q.model === undefined, ...(q.model ? { kind: q.model } : {}), ...(s.sportId !== undefined ? { sportId: s.sportId } : {}) });
      const bySport: Record<string, number> = {};
      for (const sport of new Set(rows.map((r) => r.sport))) bySport[sport] = share(rows.filter((r) => r.sport === sport));
      const tiers = { high: [] as SettledRow[], medium: [] as SettledRow[], low: [] as SettledRow[] };
      for (const r of rows) tiers[confidenceTier(r.confidence)].push(r);
      const correct = rows.filter((r) => r.correct === true).length;
      return {
        total_predictions: rows.length,
        correct_predictions: correct,
        accuracy: share(rows),
        by_sport: bySport,
        by_confidence_tier: { high: share(tiers.high), medium: share(tiers.medium), low: share(tiers.low) },
        by_confidence_tier_count: { high: tiers.high.length, medium: tiers.medium.length, low: tiers.low.length },
        point_spread_mae: mean(rows.map((r) => r.spreadError)) ?? 0,
        log_loss: mean(rows.map((r) => r.logLoss)),
        brier: mean(rows.map((r) => r.brier)),
        rps: mean(rows.map((r) => r.rps)),
        period_start: from.toISOString(),
        period_end: to.toISOString(),
        version: 'v1',
      };
    },

    async modelPerformance(q: Static<typeof AnalyticsQuery>): Promise<Static<typeof ModelPerformance>> {
      const { from, to } = period(q.days);
      const s = await scope(q);
      const rows = s.empty ? [] : await findSettled(db, { from, to, primaryOnly: false, ...(s.sportId !== undefined ? { sportId: s.sportId } : {}), ...(s.competitionId !== undefined ? { competitionId: s.competitionId } : {}) });
      const current = s.empty ? [] : (await findArtifacts(db, { currentOnly: true, ...(s.sportId !== undefined ? { sportId: s.sportId } : {}), ...(s.competitionId !== undefined ? { competitionId: s.competitionId } : {}) }, { limit: 1000, offset: 0 })).rows;
      const kinds = MODEL_KINDS.filter((k) => rows.some((r) => r.kind === k) || current.some((c) => c.artifact.kind === k));
      return {
        items: kinds.map((kind: ModelKind) => {
          const mine = rows.filter((r) => r.kind === kind);
          return {
            model: kind,
            settled_predictions: mine.length,
            accuracy: mine.length > 0 ? share(mine) : null,
            log_loss: mean(mine.map((r) => r.logLoss)),
            brier: mean(mine.map((r) => r.brier)),
            rps: mean(mine.map((r) => r.rps)),
            point_spread_mae: mean(mine.map((r) => r.spreadError)),
            total_points_mae: mean(mine.map((r) => r.totalError)),
            calibration_error: calibrationErrors(mine),
            current_versions: current.filter((c) => c.artifact.kind === kind).map((c) => c.artifact.version),
          };
        }),
        period_start: from.toISOString(),
        period_end: to.toISOString(),
        version: 'v1',
      };
    },

    async byLeague(q: Static<typeof AnalyticsQuery>): Promise<Static<typeof LeagueAccuracy>> {
      const { from, to } = period(q.days);
      const s = await scope(q);
      const rows = s.empty ? [] : await findSettled(db, { from, to, primaryOnly: true, ...(s.sportId !== undefined ? { sportId: s.sportId } : {}), ...(s.competitionId !== undefined ? { competitionId: s.competitionId } : {}) });
      const ids = [...new Set(rows.map((r) => r.competitionId))];
      const comps = ids.length === 0 ? [] : await db.select().from(competitions).where(inArray(competitions.id, ids)).orderBy(asc(competitions.name)).limit(ids.length);
      return {
        items: comps.map((c) => {
          const mine = rows.filter((r) => r.competitionId === c.id);
          return {
            competition: competitionRefView(c),
            sport: mine[0]!.sport,
            total_predictions: mine.length,
            correct_predictions: mine.filter((r) => r.correct === true).length,
            accuracy: share(mine),
            log_loss: mean(mine.map((r) => r.logLoss)) ?? 0,
            rps: mean(mine.map((r) => r.rps)) ?? 0,
            point_spread_mae: mean(mine.map((r) => r.spreadError)) ?? 0,
          };
        }),
        period_start: from.toISOString(),
        period_end: to.toISOString(),
        version: 'v1',
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
