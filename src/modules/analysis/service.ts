// The analysis service: start a run (validated, estimated, stored, enqueued), read its
// progress, its opportunities and its lineups, and the engine's sports and status.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { optimiseLineup, type LineupGroup } from '../../models/lineup.js';
import type { Clock } from '../../platform/clock.js';
import { ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../platform/errors.js';
import type { JobEngine } from '../../platform/jobs.js';
import { KNOWN_SPORT_CODES, canonicalSportCode } from '../catalog/sports.js';
import { type AnalysisRequest, type AnalysisSettings, type RulesPort } from './engine.js';
import { countOffers, findRun, insertRun, listGroups, listOpportunities, sportsWithModels, statusCounts, type RunRow } from './repository.js';

export const ANALYSIS_QUEUE = 'analysis.run';

export interface AnalysisJobData {
  run_id: string;
}

export interface Caller {
  userId: number;
  role: string;
}

/** Measured on the demo data: pricing one price and storing its opportunity (seconds). */
const SECONDS_PER_PRICE = 0.0004;
const SECONDS_FIXED = 1;

export interface StartBody {
  sports?: string[];
  min_confidence?: number;
  max_results?: number;
  lineup_sizes?: number[];
  user_id?: string;
  bookmakers?: string[];
  markets?: string[];
  kelly_fraction?: number;
  bankroll?: number;
}

export interface AnalysisService {
  start(caller: Caller, body: StartBody): Promise<{ analysis_id: string; status: 'started'; message: string; estimated_duration_seconds: number }>;
  progress(caller: Caller, id: string): Promise<Record<string, unknown>>;
  opportunities(caller: Caller, id: string, q: { limit?: number; min_confidence?: number; include_filtered?: boolean }): Promise<Record<string, unknown>>;
  lineups(caller: Caller, id: string, sizes: number[] | undefined): Promise<Record<string, unknown>>;
  sports(): Promise<{ code: string; name: string; has_model: boolean; aliases: string[] }[]>;
  status(): Promise<Record<string, unknown>>;
}

const SPORT_ALIASES: Record<string, string[]> = { basketball: ['nba'], american_football: ['nfl'], baseball: ['mlb'], ice_hockey: ['nhl'], mma: ['ufc'] };

export function createAnalysisService(deps: { db: Db; clock: Clock; jobs: JobEngine; settings: AnalysisSettings; rules?: RulesPort }): AnalysisService {
  const { db, clock, jobs, settings } = deps;
  let lastHealthCheck: Date | null = null;

  async function ownRun(caller: Caller, id: string): Promise<RunRow> {
    const run = await findRun(db, id);
    // Another user's run is reported as absent: its existence is not theirs to learn.
    if (!run || (run.requestedBy !== caller.userId && caller.role !== 'admin')) throw new NotFoundError('analysis', id);
    return run;
  }

  function rulesFields(run: RunRow) {
    return { ruleset_version: run.rulesetVersion, rules_last_updated: run.rulesLastUpdated?.toISOString() ?? null };
  }

  return {
    async start(caller, body) {
      const sports = body.sports && body.sports.length > 0 ? [...new Set(body.sports.map((s, i) => {
        const code = canonicalSportCode(s);
        if (!code) throw new ValidationError(`unknown sport "${s}"; known: ${KNOWN_SPORT_CODES.join(', ')} (aliases nba, nfl, mlb, nhl, ufc)`, `sports.${i}`, s);
        return code;
      }))] : null;
      const userId = body.user_id ?? String(caller.userId);
      if (userId !== String(caller.userId) && caller.role !== 'admin') throw new ForbiddenError('Only an admin may run an analysis under another user\'s business rules');
      const request: AnalysisRequest = {
        sports,
        min_confidence: body.min_confidence ?? 75,
        max_results: body.max_results ?? 50,
        lineup_sizes: [...new Set(body.lineup_sizes ?? [6, 10])].sort((a, b) => a - b),
        user_id: userId,
        bookmakers: body.bookmakers && body.bookmakers.length > 0 ? [...new Set(body.bookmakers.map((b) => b.toLowerCase()))] : null,
        markets: body.markets && body.markets.length > 0 ? [...new Set(body.markets)] : null,
        kelly_fraction: body.kelly_fraction ?? 0.25,
        bankroll: body.bankroll ?? 1000,
      };
      if (!jobs.started) throw new ServiceUnavailableError('The job queue is not running; run `sharpline worker` or `sharpline serve`');
      const now = clock.now();
      const candidates = await countOffers(db, { now, horizonDays: settings.horizonDays, sports: request.sports, bookmakers: request.bookmakers, markets: request.markets });
      const rules = deps.rules ? await deps.rules.current() : { ruleset_version: null, rules_last_updated: null };
      const id = `analysis_${randomUUID()}`;
      await insertRun(db, {
        id,
        requestedBy: caller.userId,
        rulesUserId: userId,
        status: 'queued',
        request: request as unknown as Record<string, unknown>,
        message: 'Queued',
        totalBets: candidates,
        rulesetVersion: rules.ruleset_version,
        rulesLastUpdated: rules.rules_last_updated,
        createdAt: now,
        updatedAt: now,
      });
      await jobs.enqueue<AnalysisJobData>(ANALYSIS_QUEUE, { run_id: id });
      return {
        analysis_id: id,
        status: 'started',
        message: `Analysis started over ${candidates} stored prices of upcoming matches${sports ? ` in ${sports.join(', ')}` : ''}.`,
        estimated_duration_seconds: Math.ceil(SECONDS_FIXED + candidates * SECONDS_PER_PRICE),
      };
    },

    async progress(caller, id) {
      const run = await ownRun(caller, id);
      const done = run.status === 'completed';
      const pct = done ? 100 : run.totalBets > 0 ? Math.min(99.9, (100 * run.analysedBets) / run.totalBets) : 0;
      // The measured rate since the run started gives the completion estimate.
      let estimated: string | null = done ? (run.finishedAt?.toISOString() ?? null) : null;
      if (!done && run.status === 'analyzing' && run.startedAt && run.analysedBets > 0) {
        const elapsed = run.updatedAt.getTime() - run.startedAt.getTime();
        const rate = run.analysedBets / Math.max(1, elapsed);
        estimated = new Date(run.updatedAt.getTime() + (run.totalBets - run.analysedBets) / rate).toISOString();
      }
      return {
        analysis_id: run.id,
        status: run.status,
        progress_percentage: Math.round(pct * 10) / 10,
        total_bets: run.totalBets,
        analyzed_bets: run.analysedBets,
        current_sport: run.currentSport,
        current_sportsbook: run.currentBookmaker,
        estimated_completion: estimated,
        message: run.message,
        error: run.error,
        started_at: run.startedAt?.toISOString() ?? null,
        finished_at: run.finishedAt?.toISOString() ?? null,
        ...rulesFields(run),
      };
    },

    async opportunities(caller, id, q) {
      const run = await ownRun(caller, id);
      if (run.status !== 'completed') throw new ValidationError(`analysis ${id} is ${run.status}; results are ready when it is completed`, 'analysis_id', id);
      const req = run.request as unknown as AnalysisRequest;
      const rows = await listOpportunities(db, id, {
        minConfidence: q.min_confidence ?? req.min_confidence,
        includeFiltered: q.include_filtered === true,
        limit: q.limit ?? req.max_results,
      });
      const violations = rows.flatMap((r) => r.violations.map((reason) => ({ bet_id: r.betId, reason })));
      return { analysis_id: id, opportunities: rows.map((r) => r.payload), violations, ...rulesFields(run), summary: run.summary ?? {} };
    },

    async lineups(caller, id, sizes) {
      const run = await ownRun(caller, id);
      if (run.status !== 'completed') throw new ValidationError(`analysis ${id} is ${run.status}; lineups are ready when it is completed`, 'analysis_id', id);
      const req = run.request as unknown as AnalysisRequest;
      const wanted = [...new Set(sizes && sizes.length > 0 ? sizes : req.lineup_sizes)].sort((a, b) => a - b);
      const groupRows = await listGroups(db, id);
      const rows = await listOpportunities(db, id, { minConfidence: req.min_confidence, includeFiltered: false, limit: 100_000 });
      const byId = new Map(rows.map((r) => [r.betId, r.payload as Record<string, unknown>]));
      const groups: LineupGroup[] = [];
      for (const g of groupRows) {
        // Legs under the run's confidence floor stay out; their scenario returns are dropped.
        const keep = g.betIds.map((b, i) => ({ b, i })).filter((x) => byId.has(x.b));
        if (keep.length === 0) continue;
        groups.push({
          key: g.matchKey,
          sport: g.sport,
          legs: keep.map((x) => ({ id: x.b, confidence: Number(byId.get(x.b)!.ml_confidence), risk: Number(byId.get(x.b)!.risk_score) })),
          scenarios: g.scenarios.map((s) => ({ p: s.p, returns: keep.map((x) => s.returns[x.i]!) })),
        });
      }
      const lineups = wanted.map((size) => {
        const r = optimiseLineup(groups, {
          size,
          maxTotalStake: settings.maxTotalStake,
          maxStakePerMatch: settings.maxStakePerMatch,
          maxBetsPerMatch: settings.maxBetsPerMatch,
          ...(settings.maxBetsPerSport !== null ? { maxBetsPerSport: settings.maxBetsPerSport } : {}),
          kellyMultiplier: req.kelly_fraction,
        });
        return {
          lineup_size: size,
          bets_selected: r.legs.length,
          total_confidence: Math.round(r.totalConfidence * 100) / 100,
          expected_roi: Math.round(r.expectedRoi * 1e6) / 1e6,
          expected_log_growth: Math.round(r.expectedLogGrowth * 1e8) / 1e8,
          total_stake_fraction: Math.round(r.totalStake * 1e6) / 1e6,
          total_stake: Math.round(r.totalStake * req.bankroll * 100) / 100,
          total_risk_score: Math.round(r.totalRiskScore * 1e4) / 1e4,
          diversification_score: Math.round(r.diversificationScore * 1e4) / 1e4,
          method: r.method,
          bets: r.legs.map((l) => ({
            ...byId.get(l.id)!,
            lineup_stake_fraction: Math.round(l.stake * 1e6) / 1e6,
            lineup_stake: Math.round(l.stake * req.bankroll * 100) / 100,
          })),
        };
      });
      return { analysis_id: id, bankroll: req.bankroll, kelly_fraction: req.kelly_fraction, lineups, ...rulesFields(run) };
    },

    async sports() {
      const modelled = await sportsWithModels(db);
      return KNOWN_SPORT_CODES.map((code) => ({ code, name: code.replace('_', ' '), has_model: modelled.has(code), aliases: SPORT_ALIASES[code] ?? [] }));
    },

    async status() {
      const counts = await statusCounts(db);
      lastHealthCheck = clock.now();
      return {
        status: jobs.started ? 'operational' : 'degraded',
        supported_sports: KNOWN_SPORT_CODES.length,
        sports_with_data: counts.sports,
        supported_sportsbooks: counts.bookmakers,
        ml_models_active: counts.models,
        job_queue: jobs.started ? 'running' : 'stopped',
        last_health_check: lastHealthCheck.toISOString(),
      };
    },
  };
}
