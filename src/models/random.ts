// Deterministic random numbers for the models (bootstrap resampling, league simulation):
// a seeded xoroshiro128+ generator from pure-rand with uniform, integer, normal
// (Box-Muller) and Poisson (inversion; Knuth 1969 §3.4.1) samplers. Nothing here reads a
// clock or unseeded random source, so every simulation is reproducible from its seed.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Standard normal. */
  normal(): number;
  /** Poisson with mean lambda (inversion; intended for the small means of sports scores). */
  poisson(lambda: number): number;
}

/** MurmurHash3's 32-bit finaliser: spreads nearby seeds (1, 2, 3…) over the whole state space. */
function mixSeed(seed: number): number {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function seededRandom(seed: number): Random {
  const rng = xoroshiro128plus(mixSeed(seed));
  // xoroshiro's first outputs from a sparse seed are far from uniform (e.g. 0.99999992 for
  // seed 5): discard a warm-up run so every seed starts from a well-mixed state.
  for (let i = 0; i < 64; i++) rng.next();
  let spare: number | null = null;
  const uniform = () => uniformFloat64(rng);
  return {
    uniform,
    int: (min, max) => uniformInt(rng, min, max),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // 1 - u keeps the logarithm's argument in (0, 1].
      const r = Math.sqrt(-2 * Math.log(1 - uniform()));
      const theta = 2 * Math.PI * uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    poisson(lambda) {
      if (!(lambda >= 0) || lambda > 500) throw new RangeError(`Poisson mean out of range: ${lambda}`);
      const u = uniform();
      let k = 0;
      let p = Math.exp(-lambda);
      let cdf = p;
      while (u >= cdf && k < 10_000) {
        k++;
        p *= lambda / k;
        cdf += p;
        if (p === 0 && k > lambda) break;
      }
      return k;
    },
  };
}

/** Index drawn from a discrete distribution given as (unnormalised) weights. */
export function sampleIndex(random: Random, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let u = random.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
