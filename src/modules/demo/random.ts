// The demo generator's own random stream: xoroshiro128+ from pure-rand with uniform,
// integer, normal (Box-Muller) and Poisson (inversion, Knuth 1969 §3.4.1) draws. It is
// deliberately separate from models/random.ts: the demo dataset must stay identical from
// one release to the next (a re-seed of an existing database must change nothing), so a
// change to the models' sampler must not reach it. Seeds arrive already mixed (deriveSeed).
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
  /** Poisson with mean lambda. */
  poisson(lambda: number): number;
}

export function demoRandom(mixedSeed: number): Random {
  const rng = xoroshiro128plus(mixedSeed | 0);
  // A short warm-up so the first draws do not echo the seed's bit pattern.
  for (let i = 0; i < 16; i++) rng.next();
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
      const r = Math.sqrt(-2 * Math.log(1 - uniform()));
      const theta = 2 * Math.PI * uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    poisson(lambda) {
      if (!(lambda >= 0) || lambda > 200) throw new RangeError(`Poisson mean out of range: ${lambda}`);
      const u = uniform();
      let k = 0;
      let p = Math.exp(-lambda);
      let cdf = p;
      while (u >= cdf && k < 1000) {
        k++;
        p *= lambda / k;
        cdf += p;
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
