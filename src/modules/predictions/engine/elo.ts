// Elo as the prediction engine runs it: a tracker that consumes a competition's results in
// date order up to a cut-off and predicts fixtures dated on or after it, plus the small
// calibrations Elo needs to answer like the other models — the soccer draw model (ordered
// logit on rating differences), points per rating point for a spread, and the mean total.
import { fitEloDrawModel, newEloState, runElo, type EloParams, type EloPrediction, type EloState } from '../../../models/elo.js';
import { dayNumber, LookAheadError, type HistoryMatch, type ResultMatch } from './history.js';

export interface EloCalibration {
  /** Expected home margin per rating point of difference (least squares through 0). */
  pointsPerElo: number;
  meanTotal: number;
  drawModel: EloParams['draw'];
  records: number;
}

export interface EloSnapshot {
  params: EloParams;
  state: EloState;
  calibration: EloCalibration;
  /** Day number before which every consumed result lies. */
  cutoffDay: number;
}

interface EloRecord {
  day: number;
  diff: number;
  outcome: number;
  margin: number;
  total: number;
}

/** Minimum results in the calibration window before the draw model is refitted. */
const MIN_DRAW_FIT = 300;

export class EloTracker {
  private state: EloState = newEloState();
  private next = 0;
  private cutoffDay = -Infinity;
  private readonly records: EloRecord[] = [];

  /** `results` must be sorted by date. */
  constructor(
    private readonly results: readonly ResultMatch[],
    readonly params: EloParams,
  ) {}

  /** Consume every result dated before `cutoff`; cut-offs must not go backwards. */
  advanceTo(cutoff: string): void {
    const end = dayNumber(cutoff);
    if (end < this.cutoffDay) throw new RangeError(`Elo cannot go back from day ${this.cutoffDay} to ${cutoff}`);
    const start = this.next;
    while (this.next < this.results.length && dayNumber(this.results[this.next]!.date) < end) this.next++;
    this.cutoffDay = end;
    if (this.next === start) return;
    const batch = this.results.slice(start, this.next);
    const run = runElo(
      batch.map((m) => ({ home: m.home, away: m.away, season: m.season, time: dayNumber(m.date), homeScore: m.homeScore, awayScore: m.awayScore, neutral: m.neutral })),
      this.params,
      this.state,
    );
    this.state = run.state;
    batch.forEach((m, i) => {
      this.records.push({
        day: dayNumber(m.date),
        diff: run.predictions[i]!.diff,
        outcome: m.homeScore > m.awayScore ? 0 : m.homeScore === m.awayScore ? 1 : 2,
        margin: m.homeScore - m.awayScore,
        total: m.homeScore + m.awayScore,
      });
    });
  }

  /** Calibrate on the results of the last `windowDays` before the current cut-off. */
  calibrate(windowDays: number): EloCalibration {
    const from = this.cutoffDay - windowDays;
    const rows = this.records.filter((r) => r.day >= from);
    let sxy = 0;
    let sxx = 0;
    let total = 0;
    for (const r of rows) {
      sxy += r.diff * r.margin;
      sxx += r.diff * r.diff;
      total += r.total;
    }
    let drawModel = this.params.draw;
    if (drawModel !== null && rows.length >= MIN_DRAW_FIT) {
      const fit = fitEloDrawModel(Float64Array.from(rows, (r) => r.diff), Uint8Array.from(rows, (r) => r.outcome));
      if (fit.converged && fit.theta > 0) drawModel = { theta: fit.theta, beta: fit.beta };
    }
    return { pointsPerElo: sxx > 0 ? sxy / sxx : 0, meanTotal: rows.length > 0 ? total / rows.length : 0, drawModel, records: rows.length };
  }

  snapshot(calibration: EloCalibration): EloSnapshot {
    return { params: this.params, state: this.state, calibration, cutoffDay: this.cutoffDay };
  }
}

export interface EloForecast extends EloPrediction {
  spread: number;
  total: number;
}

/** Predicts a fixture dated on or after the snapshot's cut-off. */
export function eloPredict(s: EloSnapshot, m: HistoryMatch): EloForecast {
  if (dayNumber(m.date) < s.cutoffDay) throw new LookAheadError(`Elo state includes results up to day ${s.cutoffDay}, after match ${m.id} (${m.date})`);
  const params = { ...s.params, draw: s.calibration.drawModel };
  const [p] = runElo([{ home: m.home, away: m.away, season: m.season, time: dayNumber(m.date), homeScore: null, awayScore: null, neutral: m.neutral }], params, s.state).predictions;
  return { ...p!, spread: -s.calibration.pointsPerElo * p!.diff, total: s.calibration.meanTotal };
}

export function eloParameters(s: EloSnapshot): Record<string, unknown> {
  const ratings: Record<string, number> = {};
  for (const [team, r] of s.state.ratings) ratings[String(team)] = Math.round(r * 1000) / 1000;
  return {
    params: s.params,
    ratings,
    season: s.state.season,
    seasons_seen: s.state.seasonsSeen,
    calibration: { points_per_elo: s.calibration.pointsPerElo, mean_total: s.calibration.meanTotal, draw_model: s.calibration.drawModel, records: s.calibration.records },
  };
}

interface StoredElo {
  params: EloParams;
  ratings: Record<string, number>;
  season: string | null;
  seasons_seen: number;
  calibration: { points_per_elo: number; mean_total: number; draw_model: EloParams['draw']; records: number };
}

export function eloFromParameters(p: Record<string, unknown>, cutoff: string): EloSnapshot {
  const s = p as unknown as StoredElo;
  const ratings = new Map<string | number, number>();
  for (const [team, r] of Object.entries(s.ratings)) ratings.set(Number(team), r);
  return {
    params: s.params,
    state: { ratings, season: s.season, seasonsSeen: s.seasons_seen },
    calibration: { pointsPerElo: s.calibration.points_per_elo, meanTotal: s.calibration.mean_total, drawModel: s.calibration.draw_model, records: s.calibration.records },
    cutoffDay: dayNumber(cutoff),
  };
}
