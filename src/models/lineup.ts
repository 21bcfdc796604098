// The lineup optimiser: which bets to combine and how much to stake on each so that the
// bankroll's expected log growth is largest when they all settle together (simultaneous
// Kelly; Kelly 1956, Thorp 2006 §7). The bankroll after settlement is W = 1 + Σ s_i·r_i.
//
// Legs of one match are correlated: a group carries the match's joint scenarios (from its
// score matrix or margin distribution), each with a probability and every leg's net return
// per unit staked. Different matches are independent, so the portfolio's distribution is
// the product of the groups'. Each group's scenarios are first merged by identical return
// vectors (a 121-cell score matrix usually leaves a handful of distinct outcomes); the
// product is then enumerated exactly while it has at most `exactLimit` outcomes, and
// otherwise replaced by `samples` joint outcomes drawn with a fixed seed (deterministic; the
// Monte Carlo error of the objective is reported).
//
// Selection: greedy forward selection — at each step add the leg whose addition (with all
// stakes re-optimised) raises the objective most, ties broken by id — until `size` legs or no
// leg helps (legs of new matches are screened first by their marginal gain at zero stake,
// E[r]·E[1/W], and only the best few re-optimised). Stakes are optimised by projected gradient ascent on the concave objective under
// s ≥ 0, Σ s ≤ maxTotalStake, Σ s over a match ≤ maxStakePerMatch. The reported stakes are
// `kellyMultiplier` × the optimal (full-Kelly) stakes: fractional Kelly keeps the mix and
// scales its size (the caps bind on the full-Kelly solution, so fractional stakes stay under them).
import { sampleIndex, seededRandom } from './random.js';

export interface LineupLeg {
  id: string;
  /** ml_confidence, 0-100. */
  confidence: number;
  /** risk_score, 0-1. */
  risk: number;
}

export interface LineupScenario {
  p: number;
  /** Net return per unit staked of each leg of the group, in the group's leg order. */
  returns: number[];
}

export interface LineupGroup {
  /** One match. */
  key: string;
  sport: string;
  legs: LineupLeg[];
  scenarios: LineupScenario[];
}

export interface LineupOptions {
  size: number;
  /** Largest total stake, as a fraction of the bankroll. */
  maxTotalStake: number;
  maxStakePerMatch: number;
  maxBetsPerMatch: number;
  maxBetsPerSport?: number;
  /** Fraction of the full-Kelly stakes to report (e.g. 0.25). */
  kellyMultiplier: number;
  /** Joint outcomes enumerated exactly up to this many (default 20,000). */
  exactLimit?: number;
  /** Joint outcomes sampled beyond it (default 4,000). */
  samples?: number;
  seed?: number;
}

export interface LineupStake {
  id: string;
  group: string;
  sport: string;
  /** Fraction of the bankroll. */
  stake: number;
  fullKellyStake: number;
}

export interface LineupResult {
  size: number;
  legs: LineupStake[];
  /** E[log W] at the reported (fractional) stakes. */
  expectedLogGrowth: number;
  /** Expected profit / total stake. */
  expectedRoi: number;
  totalStake: number;
  /** Mean ml_confidence of the legs (0-100). */
  totalConfidence: number;
  /** Stake-weighted mean of the legs' risk scores (0-1). */
  totalRiskScore: number;
  /** 1 − Herfindahl index of the stake shares over matches (0: one match; 1 − 1/m for equal stakes on m matches). */
  diversificationScore: number;
  /** 'exact' or 'sampled' and the standard error of the objective when sampled. */
  method: 'exact' | 'sampled';
  monteCarloError: number;
}

interface Candidate {
  id: string;
  group: number;
  slot: number;
  sport: string;
  confidence: number;
  risk: number;
}

interface Compressed {
  p: Float64Array;
  /** returns[scenario * legs + leg] */
  returns: Float64Array;
  legs: number;
}

/** Merge scenarios with identical returns (probabilities add). */
export function compressGroup(g: LineupGroup): Compressed {
  const legs = g.legs.length;
  const byKey = new Map<string, { p: number; r: number[] }>();
  for (const s of g.scenarios) {
    if (s.returns.length !== legs) throw new RangeError(`group ${g.key}: a scenario has ${s.returns.length} returns for ${legs} legs`);
    if (!(s.p >= 0)) throw new RangeError(`group ${g.key}: scenario probability must be ≥ 0`);
    if (s.p === 0) continue;
    const key = s.returns.map((r) => r.toFixed(9)).join(',');
    const e = byKey.get(key);
    if (e) e.p += s.p;
    else byKey.set(key, { p: s.p, r: s.returns });
  }
  const entries = [...byKey.values()];
  const total = entries.reduce((a, e) => a + e.p, 0);
  if (!(total > 0)) throw new RangeError(`group ${g.key}: scenarios have no probability`);
  const p = Float64Array.from(entries, (e) => e.p / total);
  const returns = new Float64Array(entries.length * legs);
  entries.forEach((e, i) => e.r.forEach((r, j) => (returns[i * legs + j] = r)));
  return { p, returns, legs };
}

/** Joint outcomes of the selected legs: probability and each selected leg's return. */
interface Joint {
  p: Float64Array;
  /** r[outcome * n + k] for selected leg k. */
  r: Float64Array;
  n: number;
  method: 'exact' | 'sampled';
}

function jointOf(groups: Compressed[], selected: Candidate[], exactLimit: number, samples: number, seed: number): Joint {
  const used = [...new Set(selected.map((c) => c.group))].sort((a, b) => a - b);
  // Per used group: its outcomes restricted to the selected legs, merged again.
  const parts = used.map((gi) => {
    const g = groups[gi]!;
    const ks = selected.map((c, k) => ({ c, k })).filter((x) => x.c.group === gi);
    const merged = new Map<string, { p: number; r: number[] }>();
    for (let s = 0; s < g.p.length; s++) {
      const r = ks.map((x) => g.returns[s * g.legs + x.c.slot]!);
      const key = r.map((v) => v.toFixed(9)).join(',');
      const e = merged.get(key);
      if (e) e.p += g.p[s]!;
      else merged.set(key, { p: g.p[s]!, r });
    }
    return { ks: ks.map((x) => x.k), outcomes: [...merged.values()] };
  });
  const n = selected.length;
  let count = 1;
  for (const part of parts) {
    count *= part.outcomes.length;
    if (count > exactLimit) break;
  }
  if (count <= exactLimit) {
    const p = new Float64Array(count);
    const r = new Float64Array(count * n);
    const idx = new Array<number>(parts.length).fill(0);
    for (let o = 0; o < count; o++) {
      let prob = 1;
      for (let j = 0; j < parts.length; j++) {
        const out = parts[j]!.outcomes[idx[j]!]!;
        prob *= out.p;
        parts[j]!.ks.forEach((k, m) => (r[o * n + k] = out.r[m]!));
      }
      p[o] = prob;
      for (let j = parts.length - 1; j >= 0; j--) {
        idx[j]!++;
        if (idx[j]! < parts[j]!.outcomes.length) break;
        idx[j] = 0;
      }
    }
    return { p, r, n, method: 'exact' };
  }
  // Sampled: draws per group from one seeded generator.
  const random = seededRandom(seed);
  const weightsOf = parts.map((part) => Float64Array.from(part.outcomes, (o) => o.p));
  const p = new Float64Array(samples).fill(1 / samples);
  const r = new Float64Array(samples * n);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < parts.length; j++) {
      const out = parts[j]!.outcomes[sampleIndex(random, weightsOf[j]!)]!;
      parts[j]!.ks.forEach((k, m) => (r[s * n + k] = out.r[m]!));
    }
  }
  return { p, r, n, method: 'sampled' };
}

function objective(j: Joint, stakes: Float64Array): number {
  let g = 0;
  for (let o = 0; o < j.p.length; o++) {
    let w = 1;
    for (let k = 0; k < j.n; k++) w += stakes[k]! * j.r[o * j.n + k]!;
    if (w <= 0) return -Infinity;
    g += j.p[o]! * Math.log(w);
  }
  return g;
}

function gradient(j: Joint, stakes: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let o = 0; o < j.p.length; o++) {
    let w = 1;
    for (let k = 0; k < j.n; k++) w += stakes[k]! * j.r[o * j.n + k]!;
    const f = j.p[o]! / w;
    for (let k = 0; k < j.n; k++) out[k]! += f * j.r[o * j.n + k]!;
  }
}

/** Project onto {s ≥ 0, Σ_group s ≤ perMatch, Σ s ≤ total} by alternating clamps (a few rounds suffice for these boxes). */
function project(stakes: Float64Array, groups: readonly number[], perMatch: number, total: number): void {
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (let k = 0; k < stakes.length; k++) if (stakes[k]! < 0) stakes[k] = 0;
    const sums = new Map<number, number>();
    groups.forEach((g, k) => sums.set(g, (sums.get(g) ?? 0) + stakes[k]!));
    for (const [g, s] of sums) {
      if (s > perMatch + 1e-12) {
        const f = perMatch / s;
        groups.forEach((gg, k) => {
          if (gg === g) stakes[k]! *= f;
        });
        changed = true;
      }
    }
    let all = 0;
    for (const s of stakes) all += s;
    if (all > total + 1e-12) {
      const f = total / all;
      for (let k = 0; k < stakes.length; k++) stakes[k]! *= f;
      changed = true;
    }
    if (!changed) return;
  }
}

/** Maximise E[log W] over the stakes of the selected legs (warm start from `start`). */
function optimiseStakes(j: Joint, groupsOf: readonly number[], perMatch: number, total: number, start: Float64Array): { stakes: Float64Array; value: number } {
  let stakes: Float64Array = Float64Array.from(start);
  project(stakes, groupsOf, perMatch, total);
  let value = objective(j, stakes);
  const grad = new Float64Array(j.n);
  let step = 0.5;
  for (let it = 0; it < 400 && step > 1e-10; it++) {
    gradient(j, stakes, grad);
    const trial = Float64Array.from(stakes, (s, k) => s + step * grad[k]!);
    project(trial, groupsOf, perMatch, total);
    const v = objective(j, trial);
    if (v > value + 1e-15) {
      let moved = 0;
      for (let k = 0; k < j.n; k++) moved = Math.max(moved, Math.abs(trial[k]! - stakes[k]!));
      stakes = trial;
      value = v;
      step *= 1.5;
      if (moved < 1e-9) break;
    } else {
      step /= 3;
    }
  }
  return { stakes, value };
}

/** Independent legs fully evaluated per selection step, after screening by marginal gain. */
const SCREEN_KEEP = 4;

export function optimiseLineup(groups: LineupGroup[], options: LineupOptions): LineupResult {
  const { size, maxTotalStake, maxStakePerMatch, maxBetsPerMatch, kellyMultiplier } = options;
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError('lineup size must be a positive integer');
  if (!(maxTotalStake > 0 && maxTotalStake <= 1)) throw new RangeError('maxTotalStake must be in (0, 1]');
  if (!(maxStakePerMatch > 0)) throw new RangeError('maxStakePerMatch must be > 0');
  if (!(kellyMultiplier > 0 && kellyMultiplier <= 1)) throw new RangeError('kellyMultiplier must be in (0, 1]');
  const exactLimit = options.exactLimit ?? 20_000;
  const samples = options.samples ?? 4_000;
  const seed = options.seed ?? 20240601;
  const sorted = [...groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const compressed = sorted.map(compressGroup);
  const candidates: Candidate[] = [];
  sorted.forEach((g, gi) => g.legs.forEach((l, slot) => candidates.push({ id: l.id, group: gi, slot, sport: g.sport, confidence: l.confidence, risk: l.risk })));
  candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Only legs with positive expected return alone can help a log-optimal portfolio start.
  const evOf = (c: Candidate) => {
    const g = compressed[c.group]!;
    let ev = 0;
    for (let s = 0; s < g.p.length; s++) ev += g.p[s]! * g.returns[s * g.legs + c.slot]!;
    return ev;
  };
  const pool = candidates.filter((c) => evOf(c) > 0);

  let selected: Candidate[] = [];
  let stakes: Float64Array = new Float64Array(0);
  let value = 0;
  while (selected.length < size) {
    let best: { c: Candidate; stakes: Float64Array; value: number } | null = null as { c: Candidate; stakes: Float64Array; value: number } | null;
    const perMatch = new Map<number, number>();
    const perSport = new Map<string, number>();
    for (const c of selected) {
      perMatch.set(c.group, (perMatch.get(c.group) ?? 0) + 1);
      perSport.set(c.sport, (perSport.get(c.sport) ?? 0) + 1);
    }
    // Screening: for a leg of a match not yet in the lineup (independent of it), the gain
    // from a small stake is E[r]·E[1/W] (independence); only the best few of those, and every
    // leg of a match already in the lineup (correlated), are evaluated fully.
    const usedGroups = new Set(selected.map((c) => c.group));
    const current = jointOf(compressed, selected, exactLimit, samples, seed);
    let invW = 0;
    for (let o = 0; o < current.p.length; o++) {
      let w = 1;
      for (let k = 0; k < current.n; k++) w += stakes[k]! * current.r[o * current.n + k]!;
      invW += current.p[o]! / w;
    }
    const eligible = pool.filter(
      (c) =>
        !selected.includes(c) &&
        (perMatch.get(c.group) ?? 0) < maxBetsPerMatch &&
        (options.maxBetsPerSport === undefined || (perSport.get(c.sport) ?? 0) < options.maxBetsPerSport),
    );
    const independent = eligible
      .filter((c) => !usedGroups.has(c.group))
      .map((c) => ({ c, score: evOf(c) * invW }))
      .sort((a, b) => b.score - a.score || (a.c.id < b.c.id ? -1 : 1))
      .slice(0, SCREEN_KEEP)
      .map((x) => x.c);
    const shortlist = [...independent, ...eligible.filter((c) => usedGroups.has(c.group))];
    for (const c of shortlist) {
      const trial = [...selected, c];
      const joint = jointOf(compressed, trial, exactLimit, samples, seed);
      const start = new Float64Array(trial.length);
      start.set(stakes);
      start[trial.length - 1] = 0.01;
      const r = optimiseStakes(joint, trial.map((t) => t.group), maxStakePerMatch, maxTotalStake, start);
      if (!best || r.value > best.value + 1e-12 || (Math.abs(r.value - best.value) <= 1e-12 && c.id < best.c.id)) best = { c, stakes: r.stakes, value: r.value };
    }
    if (!best || best.value <= value + 1e-12) break;
    selected = [...selected, best.c];
    stakes = best.stakes;
    value = best.value;
  }
  // Drop legs the optimum left at zero.
  const keep = selected.map((_, k) => stakes[k]! > 1e-7);
  selected = selected.filter((_, k) => keep[k]);
  stakes = stakes.filter((_, k) => keep[k]);
  return summarise(compressed, sorted.map((g) => g.key), selected, stakes, options, exactLimit, samples, seed, size);
}

function summarise(
  compressed: Compressed[],
  keys: string[],
  selected: Candidate[],
  fullStakes: Float64Array,
  options: LineupOptions,
  exactLimit: number,
  samples: number,
  seed: number,
  size: number,
): LineupResult {
  const stakes = Float64Array.from(fullStakes, (s) => s * options.kellyMultiplier);
  const empty: LineupResult = {
    size,
    legs: [],
    expectedLogGrowth: 0,
    expectedRoi: 0,
    totalStake: 0,
    totalConfidence: 0,
    totalRiskScore: 0,
    diversificationScore: 0,
    method: 'exact',
    monteCarloError: 0,
  };
  if (selected.length === 0) return empty;
  const joint = jointOf(compressed, selected, exactLimit, samples, seed);
  const growth = objective(joint, stakes);
  let profit = 0;
  let sq = 0;
  for (let o = 0; o < joint.p.length; o++) {
    let w = 1;
    for (let k = 0; k < joint.n; k++) w += stakes[k]! * joint.r[o * joint.n + k]!;
    profit += joint.p[o]! * (w - 1);
    sq += joint.p[o]! * Math.log(w) ** 2;
  }
  const totalStake = stakes.reduce((a, s) => a + s, 0);
  const byMatch = new Map<number, number>();
  selected.forEach((c, k) => byMatch.set(c.group, (byMatch.get(c.group) ?? 0) + stakes[k]!));
  const shares = [...byMatch.values()].map((s) => s / totalStake);
  const hhi = shares.reduce((a, s) => a + s * s, 0);
  const diversification = 1 - hhi;
  const mcError = joint.method === 'sampled' ? Math.sqrt(Math.max(0, sq - growth * growth) / joint.p.length) : 0;
  return {
    size,
    legs: selected.map((c, k) => ({ id: c.id, group: keys[c.group]!, sport: c.sport, stake: stakes[k]!, fullKellyStake: fullStakes[k]! })),
    expectedLogGrowth: growth,
    expectedRoi: totalStake > 0 ? profit / totalStake : 0,
    totalStake,
    totalConfidence: selected.reduce((a, c) => a + c.confidence, 0) / selected.length,
    totalRiskScore: totalStake > 0 ? selected.reduce((a, c, k) => a + c.risk * stakes[k]!, 0) / totalStake : 0,
    diversificationScore: Math.min(1, Math.max(0, diversification)),
    method: joint.method,
    monteCarloError: mcError,
  };
}
