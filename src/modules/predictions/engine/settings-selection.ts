// Settings that travel (issue 17): per competition, the main model's settings (Dixon-Coles'
// decay, window, prior and promoted-team prior; the margin model's decay and ridge) and
// Elo's (K, home advantage, between-season regression, a new team's rating) are chosen from
// a small set of candidates by how each would have forecast that competition's own recent
// results — a nested walk-forward: every candidate is run walk-forward over the evidence
// window (each forecast fitted only on results before it), and the choice for the next
// period looks only at forecasts of matches before that period.
//
// The candidates are today's fixed settings and one-at-a-time changes of one setting each
// (a coordinate grid, not a product: the evidence of two seasons cannot tell apart dozens of
// combinations). The rule is the one-standard-error rule (Breiman et al. 1984): a candidate
// replaces the fixed settings only if its mean loss over the evidence beats theirs by more
// than one standard error of the paired difference, and among those the lowest mean wins.
// With too little evidence the fixed settings stay. Loss: RPS for three-way outcomes, log
// loss for two-way ones. The rule and the grid were set before any held-out comparison
// (docs/decisions/0035-settings-chosen-per-competition.md).
import type { Forecast } from './forecast.js';
import { perItemScores } from './scoring.js';
import type { HistoryMatch } from './history.js';
import type { SportSettings } from './params.js';
import { walkForward, type FittedKind } from './walk-forward.js';

export type SettingsFamily = 'main' | 'elo';

/** A partial settings object merged over the fixed ones: `{ goals: { xi: 0.001 } }`. */
export type SettingsChange = { goals?: Record<string, unknown>; margin?: Record<string, unknown>; elo?: Record<string, unknown> };

export interface SettingsCandidate {
  /** "fixed" for today's settings; otherwise the change, e.g. "goals.xi=0.001". */
  name: string;
  family: SettingsFamily;
  change: SettingsChange;
}

/** Fewer evidence matches than this and the fixed settings are kept. */
export const MIN_SELECTION_EVIDENCE = 300;
/** How many standard errors a candidate must beat the fixed settings by. */
export const SELECTION_SE_RULE = 1;
/** The evidence window: the same two years training's backtest covers. */
export const SELECTION_EVIDENCE_DAYS = 730;

const FIXED = (family: SettingsFamily): SettingsCandidate => ({ name: 'fixed', family, change: {} });

/** Grid values rounded to 3 significant digits, so names read "0.00095", not "0.00095000000000001". */
const round3 = (v: number) => Number(v.toPrecision(3));

function oneAtATime(family: SettingsFamily, group: 'goals' | 'margin' | 'elo', grid: Record<string, unknown[]>): SettingsCandidate[] {
  const out: SettingsCandidate[] = [];
  for (const [key, values] of Object.entries(grid)) {
    for (const raw of values) {
      const value = typeof raw === 'number' ? round3(raw) : raw;
      out.push({ name: `${group}.${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`, family, change: { [group]: { [key]: value } } });
    }
  }
  return out;
}

/** The candidates for a sport's settings: the fixed ones first, then one change each. */
export function settingsCandidates(settings: SportSettings): SettingsCandidate[] {
  const out: SettingsCandidate[] = [FIXED('main'), FIXED('elo')];
  const g = settings.goals;
  if (g) {
    out.push(
      ...oneAtATime('main', 'goals', {
        xi: [g.xi * 0.5, g.xi * 1.6],
        priorPrecision: [g.priorPrecision / 2, g.priorPrecision * 2],
        windowDays: [2 * 365],
        promotedPrior: [
          { attack: round3(g.promotedPrior.attack / 2), defence: round3(g.promotedPrior.defence / 2) },
          { attack: round3(g.promotedPrior.attack * 1.5), defence: round3(g.promotedPrior.defence * 1.5) },
        ],
      }),
    );
  } else if (settings.margin) {
    const m = settings.margin;
    out.push(...oneAtATime('main', 'margin', { xi: [m.xi * 0.5, m.xi * 1.6], ridge: [m.ridge / 2, m.ridge * 2] }));
  }
  const e = settings.elo;
  out.push(
    ...oneAtATime('elo', 'elo', {
      k: [e.k * 0.75, e.k * 1.5],
      homeAdvantage: [Math.round(e.homeAdvantage * 0.7), Math.round(e.homeAdvantage * 1.3)],
      seasonRegression: [e.seasonRegression / 2, Math.min(1, e.seasonRegression * 1.75)],
      newTeamRating: [e.newTeamRating - 50, e.newTeamRating + 50],
    }),
  );
  return out;
}

/** The settings with the chosen changes merged over them. */
export function applySettings(settings: SportSettings, ...changes: SettingsChange[]): SportSettings {
  let out: SportSettings = settings;
  for (const c of changes) {
    out = {
      ...out,
      ...(c.goals && out.goals ? { goals: { ...out.goals, ...c.goals } } : {}),
      ...(c.margin && out.margin ? { margin: { ...out.margin, ...c.margin } } : {}),
      ...(c.elo ? { elo: { ...out.elo, ...c.elo } } : {}),
    };
  }
  return out;
}

/** The fitted kind a family's forecasts come from. */
export function familyKind(family: SettingsFamily, settings: SportSettings): FittedKind | null {
  if (family === 'elo') return 'elo';
  return settings.goals ? 'dixon-coles' : settings.margin ? 'margin' : null;
}

/** Each non-fixed candidate's walk-forward forecasts over [from, until) (the fixed ones are the caller's). */
export function candidateForecasts(
  history: readonly HistoryMatch[],
  settings: SportSettings,
  candidates: readonly SettingsCandidate[],
  window: { from: string; until?: string; refitDays: number },
): { forecasts: Map<string, Map<number, Forecast>>; fits: number; fitMs: number } {
  const forecasts = new Map<string, Map<number, Forecast>>();
  let fits = 0;
  let fitMs = 0;
  for (const c of candidates) {
    if (c.name === 'fixed') continue;
    const kind = familyKind(c.family, settings);
    if (!kind) continue;
    const walk = walkForward({ history, settings: applySettings(settings, c.change), kinds: [kind], from: window.from, ...(window.until !== undefined ? { until: window.until } : {}), refitDays: window.refitDays });
    forecasts.set(`${c.family}:${c.name}`, walk.forecasts.get(kind)!);
    fits += walk.fits;
    fitMs += walk.fitMs;
  }
  return { forecasts, fits, fitMs };
}

/**
 * Every candidate's walk-forward over one window, ready to choose from as often as needed:
 * `fixed` holds the fixed settings' forecasts per fitted kind (the caller's own walk); only the
 * families whose kind is there are candidates.
 */
export interface CandidateRuns {
  choose(evidence: readonly EvidenceMatch[]): FamilyChoice[];
  /** The chosen candidate's forecasts for the family's kind. */
  forecastsOf(choice: FamilyChoice): Map<number, Forecast>;
  fits: number;
  fitMs: number;
}

export function runCandidates(
  history: readonly HistoryMatch[],
  settings: SportSettings,
  fixed: ReadonlyMap<FittedKind, Map<number, Forecast>>,
  window: { from: string; until?: string; refitDays: number },
  classes: 2 | 3,
): CandidateRuns {
  const fixedForecasts = new Map(fixed);
  const candidates = settingsCandidates(settings).filter((c) => {
    const kind = familyKind(c.family, settings);
    return kind !== null && fixedForecasts.has(kind);
  });
  const runs = candidateForecasts(history, settings, candidates, window);
  const of = (c: SettingsCandidate) => (c.name === 'fixed' ? fixedForecasts.get(familyKind(c.family, settings)!) : runs.forecasts.get(`${c.family}:${c.name}`));
  return {
    choose: (evidence) => chooseSettings(candidates, evidence, of, classes),
    forecastsOf: (choice) => of(candidates.find((c) => c.family === choice.family && c.name === choice.chosen)!)!,
    fits: runs.fits,
    fitMs: runs.fitMs,
  };
}

export interface CandidateEvidence {
  name: string;
  family: SettingsFamily;
  n: number;
  mean_loss: number;
  /** Mean paired difference to the fixed settings (negative = better) and its standard error. */
  diff: number;
  se: number;
}

export interface FamilyChoice {
  family: SettingsFamily;
  chosen: string;
  change: SettingsChange;
  /** Evidence matches (forecast by every candidate of the family). */
  n: number;
  loss: 'rps' | 'log_loss';
  reason: string;
  candidates: CandidateEvidence[];
}

export interface EvidenceMatch {
  id: number;
  homeScore: number;
  awayScore: number;
}

/**
 * Chooses one candidate per family from the forecasts of the evidence matches.
 * `forecastsOf(family, name)` gives a candidate's forecasts (the fixed settings' included).
 */
export function chooseSettings(
  candidates: readonly SettingsCandidate[],
  evidence: readonly EvidenceMatch[],
  forecastsOf: (c: SettingsCandidate) => ReadonlyMap<number, Forecast> | undefined,
  classes: 2 | 3,
  options: { minEvidence?: number; seRule?: number } = {},
): FamilyChoice[] {
  const minEvidence = options.minEvidence ?? MIN_SELECTION_EVIDENCE;
  const seRule = options.seRule ?? SELECTION_SE_RULE;
  const loss = classes === 3 ? 'rps' : 'log_loss';
  const out: FamilyChoice[] = [];
  for (const family of ['main', 'elo'] as const) {
    const members = candidates.filter((c) => c.family === family);
    const fixed = members.find((c) => c.name === 'fixed');
    if (!fixed || members.length === 0) continue;
    const maps = members.map((c) => forecastsOf(c));
    if (!maps[0]) continue;
    // Matches every candidate forecast; two-way sports drop draws (as scoring does).
    const rows = evidence.filter((m) => maps.every((f) => f?.has(m.id)) && (classes === 3 || m.homeScore !== m.awayScore));
    const base: SettingsCandidate = fixed;
    if (rows.length < minEvidence) {
      out.push({ family, chosen: base.name, change: {}, n: rows.length, loss, reason: `fewer than ${minEvidence} evidence matches: fixed settings kept`, candidates: [] });
      continue;
    }
    const lossOf = (f: ReadonlyMap<number, Forecast>): Float64Array => {
      const items = rows.map((m) => ({ forecast: f.get(m.id)!, homeScore: m.homeScore, awayScore: m.awayScore }));
      const per = perItemScores(items, classes);
      return loss === 'rps' ? per.rps : per.log_loss;
    };
    const fixedLoss = lossOf(maps[0]!);
    const evidenceRows: CandidateEvidence[] = members.map((c, i) => {
      const l = i === 0 ? fixedLoss : lossOf(maps[i]!);
      let s = 0;
      let d = 0;
      for (let r = 0; r < l.length; r++) {
        s += l[r]!;
        d += l[r]! - fixedLoss[r]!;
      }
      const n = l.length;
      const diff = d / n;
      let v = 0;
      for (let r = 0; r < n; r++) v += (l[r]! - fixedLoss[r]! - diff) ** 2;
      const se = n > 1 ? Math.sqrt(v / (n - 1) / n) : 0;
      return { name: c.name, family, n, mean_loss: s / n, diff, se };
    });
    let best: CandidateEvidence | null = null;
    for (const e of evidenceRows) {
      if (e.name === 'fixed') continue;
      if (e.diff + seRule * e.se < 0 && (best === null || e.mean_loss < best.mean_loss)) best = e;
    }
    const chosen = best ? members.find((c) => c.name === best.name)! : base;
    out.push({
      family,
      chosen: chosen.name,
      change: chosen.change,
      n: rows.length,
      loss,
      reason: best ? `beats the fixed settings by ${(-best.diff).toPrecision(2)} ${loss} (more than ${seRule} standard error ${best.se.toPrecision(2)})` : `no candidate beats the fixed settings by more than ${seRule} standard error`,
      candidates: evidenceRows,
    });
  }
  return out;
}
