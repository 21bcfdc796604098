// Points-sports rating model (NBA, NFL, MLB): each team has an offence (points scored above
// the league average) and a defence (points conceded below it); a game's expected scores are
//   home = m + H/2 + offence[home] − defence[away],  away = m − H/2 + offence[away] − defence[home],
// so the expected margin is H + (o_h − d_a) − (o_a − d_h) and the expected total 2m + ….
// Time variation comes from exponentially decayed weights (weight exp(−ξ·age)) in a ridge
// regression — a fit is a snapshot of current strength. The predictive distribution of the
// margin and of the total is normal with residual standard deviations fitted from the
// weighted residuals (degrees of freedom corrected by the ridge hat-matrix trace), then
// discretised onto integers with a continuity correction so whole-number lines can push.
// Reference: ridge-regression team ratings in the spirit of Harville (1980), "Predictions
// for National Football League games via linear-model methodology", JASA 75(371); the
// normal margin model follows Stern (1991), "On the probability of winning a football
// game", The American Statistician 45(3). Assumptions: normal errors, independent games,
// ties resolved by overtime with equal chances (P(win) = P(M > 0) + ½P(M = 0)).
// Game covariates (e.g. a back-to-back indicator, home minus away) shift the expected margin
// by γ·z, half on each side's points, like the home advantage. Their coefficients γ are
// fitted with the ratings; with `covariateXi` they come from a first fit with that (slower)
// decay and enter the ratings fit as a fixed offset, so a rarely-varying effect is estimated
// from the whole window while the ratings still follow the recent games.
// Market rows: a row flagged in `market` is not a result but the scores a bookmaker's closing
// line implied for an earlier game (home = (total + margin)/2, away = (total − margin)/2). It
// enters the ratings fit like a result, with its own weight multiplier (`rowWeight`), and is
// left out of the residual standard deviations and the effective game count, which describe
// how results scatter around the expectation.
import { choleskyInPlace, choleskySolve, inverseDiagonal } from './linalg.js';
import { type IntDistribution, type Settlement, settleLine } from './markets.js';
import { normalCdf } from './special.js';

export interface PointsData {
  home: Int32Array;
  away: Int32Array;
  homePoints: Float64Array;
  awayPoints: Float64Array;
  ageDays?: Float64Array;
  weight?: Float64Array;
  neutral?: Uint8Array;
  /** Game covariates, row-major (games × covariateCount); each shifts the expected margin. */
  covariates?: Float64Array;
  covariateCount?: number;
  /** Multiplier on each row's weight (after the decay or `weight`); 1 when absent. */
  rowWeight?: Float64Array;
  /** 1 for a market row (a closing line's implied scores, not a result); see the header. */
  market?: Uint8Array;
}

export interface MarginFitOptions {
  teams: number;
  /** Decay per day; 0 weighs every game equally. */
  xi?: number;
  /** Ridge penalty λ on offence and defence (≈ points variance / prior variance of a rating). */
  ridge?: number;
  /**
   * Decay per day for estimating the covariate effects in a first fit (two-stage); when
   * undefined they are fitted jointly with the ratings under `xi`.
   */
  covariateXi?: number;
}

/** Starting values per sport; the evaluation tunes them on held-out seasons. */
export const MARGIN_SPORT_DEFAULTS: Record<'basketball' | 'american_football' | 'baseball', { xi: number; ridge: number }> = {
  basketball: { xi: 0.005, ridge: 9 },
  american_football: { xi: 0.0025, ridge: 6 },
  baseball: { xi: 0.004, ridge: 36 },
};

export interface MarginModel {
  teams: number;
  offence: Float64Array;
  defence: Float64Array;
  meanPoints: number;
  homeAdvantage: number;
  /** Effect on the expected margin (points) of one unit of each game covariate; empty when none. */
  covariateEffects: Float64Array;
  marginSd: number;
  totalSd: number;
  xi: number;
  ridge: number;
}

export interface MarginFit {
  model: MarginModel;
  /** games: results fitted; marketRows: closing-line rows fitted beside them. */
  diagnostics: { games: number; marketRows: number; effectiveGames: number; effectiveParameters: number; weightedRmseHome: number; weightedRmseAway: number };
}

/** Fits the decayed ridge regression by solving its normal equations (Cholesky). */
export function fitMarginModel(data: PointsData, options: MarginFitOptions): MarginFit {
  const teams = options.teams;
  const n = data.home.length;
  const xi = options.xi ?? 0;
  const ridge = options.ridge ?? 5;
  if (!(ridge > 0)) throw new RangeError('ridge must be > 0 (it identifies the ratings)');
  for (const [name, arr] of [['away', data.away], ['homePoints', data.homePoints], ['awayPoints', data.awayPoints], ['rowWeight', data.rowWeight], ['market', data.market]] as const) {
    if (arr && arr.length !== n) throw new RangeError(`${name} has ${arr.length} entries, expected ${n}`);
  }
  const k = data.covariates ? (data.covariateCount ?? 0) : 0;
  if (data.covariates && data.covariates.length !== n * k) throw new RangeError(`covariates has ${data.covariates.length} entries, expected ${n} × ${k}`);
  const ages = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    const h = data.home[g]!;
    const a = data.away[g]!;
    if (h < 0 || h >= teams || a < 0 || a >= teams || h === a) throw new RangeError(`game ${g}: bad team indices ${h}, ${a}`);
    const age = data.ageDays ? data.ageDays[g]! : 0;
    if (!(age >= 0)) throw new RangeError(`game ${g}: age must be >= 0`);
    ages[g] = age;
  }
  if (data.rowWeight?.some((x) => !(x >= 0))) throw new RangeError('rowWeight entries must be >= 0');
  const weightsFor = (decay: number) => Float64Array.from(ages, (age, g) => (data.weight ? data.weight[g]! : Math.exp(-decay * age)) * (data.rowWeight ? data.rowWeight[g]! : 1));
  const w = weightsFor(xi);
  let gamma: Float64Array;
  let solved: RidgeSolution;
  if (k > 0 && options.covariateXi !== undefined && options.covariateXi !== xi) {
    // Two-stage: the covariate effects from a fit under their own decay, then the ratings with them as an offset.
    gamma = solveRidge(data, teams, k, weightsFor(options.covariateXi), ridge, null).beta.slice(2 * teams + 2);
    solved = solveRidge(data, teams, 0, w, ridge, gamma);
  } else {
    solved = solveRidge(data, teams, k, w, ridge, null);
    gamma = solved.beta.slice(2 * teams + 2);
  }
  const beta = solved.beta;
  const offsetOf = (g: number) => covariateOffset(data, g, gamma);

  // Residual variances, corrected by the effective number of parameters tr(H) = p − λ Σ (A⁻¹)_tt.
  const effectiveParameters = solved.effectiveParameters;
  let sw = 0;
  let sw2 = 0;
  let ssM = 0;
  let ssT = 0;
  let ssH = 0;
  let ssA = 0;
  let marketRows = 0;
  for (let g = 0; g < n; g++) {
    if (data.market?.[g] === 1) {
      marketRows++;
      continue;
    }
    const e = expected(beta, teams, data.home[g]!, data.away[g]!, data.neutral?.[g] === 1, offsetOf(g));
    const rh = data.homePoints[g]! - e.home;
    const ra = data.awayPoints[g]! - e.away;
    sw += w[g]!;
    sw2 += w[g]! * w[g]!;
    ssM += w[g]! * (rh - ra) ** 2;
    ssT += w[g]! * (rh + ra) ** 2;
    ssH += w[g]! * rh * rh;
    ssA += w[g]! * ra * ra;
  }
  const effectiveGames = sw2 > 0 ? (sw * sw) / sw2 : 0;
  const observations = 2 * effectiveGames;
  if (!(observations > effectiveParameters + 2)) {
    throw new RangeError(`too few games (${effectiveGames.toFixed(1)} effective) for ${effectiveParameters.toFixed(1)} effective parameters`);
  }
  const correction = observations / (observations - effectiveParameters);
  const model: MarginModel = {
    teams,
    offence: beta.slice(0, teams),
    defence: beta.slice(teams, 2 * teams),
    meanPoints: beta[2 * teams]!,
    homeAdvantage: beta[2 * teams + 1]!,
    covariateEffects: Float64Array.from(gamma),
    marginSd: Math.sqrt((ssM / sw) * correction),
    totalSd: Math.sqrt((ssT / sw) * correction),
    xi,
    ridge,
  };
  return {
    model,
    diagnostics: {
      games: n - marketRows,
      marketRows,
      effectiveGames,
      effectiveParameters,
      weightedRmseHome: Math.sqrt(ssH / sw),
      weightedRmseAway: Math.sqrt(ssA / sw),
    },
  };
}

interface RidgeSolution {
  /** offence (teams), defence (teams), mean points, home advantage, then k covariate effects. */
  beta: Float64Array;
  effectiveParameters: number;
}

/** γ·z of game g: its shift of the expected margin. */
function covariateOffset(data: PointsData, g: number, gamma: Float64Array | null): number {
  if (!gamma || gamma.length === 0 || !data.covariates) return 0;
  const width = data.covariateCount ?? 0;
  let s = 0;
  for (let j = 0; j < gamma.length; j++) s += gamma[j]! * data.covariates[g * width + j]!;
  return s;
}

/**
 * Solves the weighted ridge normal equations for the ratings, mean, home advantage and (k > 0)
 * the covariate effects; with `offset` the covariate effects are fixed and subtracted instead.
 */
function solveRidge(data: PointsData, teams: number, k: number, w: Float64Array, ridge: number, offset: Float64Array | null): RidgeSolution {
  const n = data.home.length;
  const p = 2 * teams + 2 + k;
  const iM = 2 * teams;
  const iH = 2 * teams + 1;
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  // Accumulate XᵀWX and XᵀWy from the two sparse rows of each game.
  const idx = new Int32Array(4 + k);
  const val = new Float64Array(4 + k);
  const addRow = (weight: number, y: number) => {
    for (let r = 0; r < 4 + k; r++) {
      b[idx[r]!] = b[idx[r]!]! + weight * val[r]! * y;
      for (let c = 0; c < 4 + k; c++) A[idx[r]! * p + idx[c]!] = A[idx[r]! * p + idx[c]!]! + weight * val[r]! * val[c]!;
    }
  };
  const covs = data.covariates;
  const width = data.covariateCount ?? 0;
  for (let g = 0; g < n; g++) {
    const h = data.home[g]!;
    const a = data.away[g]!;
    const wg = w[g]!;
    const hv = data.neutral?.[g] === 1 ? 0 : 0.5;
    const shift = offset ? covariateOffset(data, g, offset) / 2 : 0;
    for (let j = 0; j < k; j++) idx[4 + j] = iH + 1 + j;
    idx[0] = h;
    idx[1] = teams + a;
    idx[2] = iM;
    idx[3] = iH;
    val[0] = 1;
    val[1] = -1;
    val[2] = 1;
    val[3] = hv;
    for (let j = 0; j < k; j++) val[4 + j] = 0.5 * covs![g * width + j]!;
    addRow(wg, data.homePoints[g]! - shift);
    idx[0] = a;
    idx[1] = teams + h;
    val[3] = -hv;
    for (let j = 0; j < k; j++) val[4 + j] = -0.5 * covs![g * width + j]!;
    addRow(wg, data.awayPoints[g]! + shift);
  }
  for (let t = 0; t < 2 * teams; t++) A[t * p + t] = A[t * p + t]! + ridge;
  // Every game neutral (no home advantage) or a covariate that never varies: that coefficient stays 0.
  for (let j = iH; j < p; j++) if (A[j * p + j] === 0) A[j * p + j] = 1;
  const L = choleskyInPlace(A, p);
  const beta = choleskySolve(L, p, b);
  const invDiag = inverseDiagonal(L, p);
  let penalisedTrace = 0;
  for (let t = 0; t < 2 * teams; t++) penalisedTrace += ridge * invDiag[t]!;
  return { beta, effectiveParameters: p - penalisedTrace };
}

function expected(beta: Float64Array, teams: number, h: number, a: number, neutral: boolean, shift = 0): { home: number; away: number } {
  const m = beta[2 * teams]!;
  const hv = neutral ? 0 : beta[2 * teams + 1]! / 2;
  return { home: m + hv + shift / 2 + beta[h]! - beta[teams + a]!, away: m - hv - shift / 2 + beta[a]! - beta[teams + h]! };
}

export interface MarginPrediction {
  expectedHome: number;
  expectedAway: number;
  /** Expected home minus away points. */
  expectedMargin: number;
  expectedTotal: number;
  /** The home team's fair point spread (negative when favoured), i.e. −expectedMargin. */
  spread: number;
  marginSd: number;
  totalSd: number;
  /** P(home wins), ties split equally (overtime). */
  homeWin: number;
  awayWin: number;
  /** P(regulation margin = 0) under the discretised normal. */
  tie: number;
}

/** `covariates`: the game's covariate values in the order of model.covariateEffects (missing ones count 0). */
export function predictMargin(model: MarginModel, home: number, away: number, neutral = false, covariates: ArrayLike<number> = []): MarginPrediction {
  if (home < 0 || home >= model.teams || away < 0 || away >= model.teams) throw new RangeError('team index out of range');
  const beta = new Float64Array(2 * model.teams + 2);
  beta.set(model.offence, 0);
  beta.set(model.defence, model.teams);
  beta[2 * model.teams] = model.meanPoints;
  beta[2 * model.teams + 1] = model.homeAdvantage;
  let shift = 0;
  const effects = model.covariateEffects ?? new Float64Array(0);
  for (let j = 0; j < effects.length; j++) shift += effects[j]! * (covariates[j] ?? 0);
  const e = expected(beta, model.teams, home, away, neutral, shift);
  const m = e.home - e.away;
  const s = model.marginSd;
  const below = normalCdf((-0.5 - m) / s); // P(M ≤ −1)
  const upTo0 = normalCdf((0.5 - m) / s); // P(M ≤ 0)
  const tie = upTo0 - below;
  const homeWin = 1 - upTo0 + 0.5 * tie;
  return {
    expectedHome: e.home,
    expectedAway: e.away,
    expectedMargin: m,
    expectedTotal: e.home + e.away,
    spread: -m,
    marginSd: s,
    totalSd: model.totalSd,
    homeWin,
    awayWin: 1 - homeWin,
    tie,
  };
}

/** Normal(mean, sd) discretised onto integers: P(k) = Φ((k+½−mean)/sd) − Φ((k−½−mean)/sd). */
export function discretisedNormal(mean: number, sd: number, width = 8): IntDistribution {
  if (!(sd > 0)) throw new RangeError('sd must be > 0');
  const min = Math.floor(mean - width * sd);
  const max = Math.ceil(mean + width * sd);
  const p = new Float64Array(max - min + 1);
  let prev = normalCdf((min - 0.5 - mean) / sd);
  for (let k = min; k <= max; k++) {
    const next = normalCdf((k + 0.5 - mean) / sd);
    p[k - min] = next - prev;
    prev = next;
  }
  // Fold the (tiny) tails into the end points so the distribution sums to one.
  p[0] = p[0]! + normalCdf((min - 0.5 - mean) / sd);
  p[p.length - 1] = p[p.length - 1]! + 1 - prev;
  return { min, p };
}

/** Home team against the spread: home covers when margin + homeLine > 0 (e.g. homeLine −3.5). */
export function spreadSettlement(pred: MarginPrediction, homeLine: number): { home: Settlement; away: Settlement } {
  const d = discretisedNormal(pred.expectedMargin, pred.marginSd);
  const threshold = homeLine === 0 ? 0 : -homeLine;
  return { home: settleLine(d, threshold, 'over'), away: settleLine(d, threshold, 'under') };
}

/** Over/under on total points at any line (whole lines push). */
export function totalSettlement(pred: MarginPrediction, line: number): { over: Settlement; under: Settlement } {
  const d = discretisedNormal(pred.expectedTotal, pred.totalSd);
  return { over: settleLine(d, line, 'over'), under: settleLine(d, line, 'under') };
}
