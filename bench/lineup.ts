// The lineup optimiser on many candidates: 500 legs over 250 soccer matches (two legs per
// match from one 11×11 score matrix each: home win and over 2.5), pick 10. Prints the median
// of 15 runs. `npx tsx bench/lineup.ts [candidates] [size]`
import { optimiseLineup, type LineupGroup } from '../src/models/lineup.js';
import { seededRandom } from '../src/models/random.js';

const candidates = Number(process.argv[2] ?? 500);
const size = Number(process.argv[3] ?? 10);
const random = seededRandom(1);
const groups: LineupGroup[] = [];
for (let m = 0; m < candidates / 2; m++) {
  const lh = 1 + random.uniform();
  const la = 0.7 + random.uniform();
  const pois = (l: number, k: number) => (Math.exp(-l) * l ** k) / [1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800][k]!;
  const oHome = 1.8 + random.uniform();
  const oOver = 1.7 + random.uniform();
  const scenarios = [];
  for (let h = 0; h <= 10; h++)
    for (let a = 0; a <= 10; a++) scenarios.push({ p: pois(lh, h) * pois(la, a), returns: [h > a ? oHome - 1 : -1, h + a > 2.5 ? oOver - 1 : -1] });
  groups.push({ key: `m${m}`, sport: m % 3 === 0 ? 'basketball' : 'soccer', legs: [{ id: `m${m}-home`, confidence: 60, risk: 0.4 }, { id: `m${m}-over`, confidence: 55, risk: 0.4 }], scenarios });
}
const times: number[] = [];
let result = optimiseLineup(groups, { size, maxTotalStake: 0.5, maxStakePerMatch: 0.1, maxBetsPerMatch: 2, kellyMultiplier: 0.25 });
for (let i = 0; i < 15; i++) {
  const t0 = process.hrtime.bigint();
  result = optimiseLineup(groups, { size, maxTotalStake: 0.5, maxStakePerMatch: 0.1, maxBetsPerMatch: 2, kellyMultiplier: 0.25 });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const positive = groups.length * 2;
console.log(`lineup: ${size} from ${positive} candidates: median ${times[7]!.toFixed(1)} ms, max ${times[14]!.toFixed(1)} ms; picked ${result.legs.length}, E[log W] ${result.expectedLogGrowth.toFixed(5)}, method ${result.method}`);
