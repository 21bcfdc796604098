// The demo basketball league, NBA-style: 12 invented teams meeting four times a season
// (44 games each, a game day every 4 days from the third Tuesday of October), scores by
// quarter, box-score points/rebounds/assists, and closing spread, total and moneyline.
// Model: home and away points are normal with means from team ratings (points better than
// average), team pace and a home-court edge of 2.5 points; the two scores share a pace
// component (correlation ≈ 0.45), giving a margin s.d. of ≈ 12 points and totals near 224,
// as in recent NBA seasons. A regulation tie goes to 5-minute overtimes of ≈ 11 points a
// side until someone leads. The bookmaker's lines sit on the model's expected margin and
// total, rounded to half points; prices carry ≈ 4.5% over the exact normal probabilities.
import { normalCdf } from '../../models/special.js';
import { sampleIndex, type Random } from './random.js';
import type { CompetitionRef, ParsedFile, ParsedMatch, ParsedOdds, ParsedPlayerMatch } from '../ingest/types.js';
import { addDays, apportion, at, doubleRoundRobin, isoDay, marketOdds, nthWeekday, randomFor, shuffled, type DemoBookmaker } from './common.js';
import { DEMO_BASKETBALL_CLUBS, playerNames } from './names.js';

export const DEMO_BASKETBALL_COMPETITION: CompetitionRef = {
  code: 'demo-basketball-league',
  name: 'Demo Basketball League',
  sport: 'basketball',
  country: null,
  timezone: 'UTC',
};

export const BASKETBALL_MODEL = { meanTotal: 224, homeCourt: 2.5, ratingSd: 4.5, paceSd: 3, scoreSd: 11.5, sharedShare: 0.45 } as const;
const BOOK: DemoBookmaker = { code: 'demo_book', margin: 0.045 };
const MARGIN_SD = Math.sqrt(2 * (1 - BASKETBALL_MODEL.sharedShare)) * BASKETBALL_MODEL.scoreSd;
const TOTAL_SD = Math.sqrt(2 * (1 + BASKETBALL_MODEL.sharedShare)) * BASKETBALL_MODEL.scoreSd;

type Position = 'G' | 'F' | 'C';
interface Player {
  externalId: string;
  name: string;
  position: Position;
  usage: number;
}
const ROSTER: Position[] = ['G', 'G', 'F', 'F', 'C', 'G', 'G', 'F', 'F', 'C', 'G', 'F', 'C'];
const REBOUND_WEIGHT: Record<Position, number> = { G: 1, F: 1.8, C: 3 };
const ASSIST_WEIGHT: Record<Position, number> = { G: 3, F: 1.4, C: 0.8 };
const THREE_WEIGHT: Record<Position, number> = { G: 1.6, F: 1, C: 0.25 };

export function basketballSeasonName(year: number): string {
  return `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
}

export function basketballSeasonStart(year: number): Date {
  return nthWeekday(year, 9, 2, 3);
}

export function basketballSeasonEnd(year: number): Date {
  return addDays(basketballSeasonStart(year), 43 * 4);
}

function teams(seed: number) {
  const random = randomFor(seed, 'basketball:teams');
  const names = playerNames(randomFor(seed, 'basketball:names'), DEMO_BASKETBALL_CLUBS.length * ROSTER.length);
  return DEMO_BASKETBALL_CLUBS.map((club, t) => ({
    club,
    rating: BASKETBALL_MODEL.ratingSd * random.normal(),
    pace: BASKETBALL_MODEL.paceSd * random.normal(),
    roster: ROSTER.map(
      (position, k): Player => ({
        externalId: `basketball:${t + 1}:${k + 1}`,
        name: names[t * ROSTER.length + k]!,
        position,
        // Starters (the first five) carry most of the offence.
        usage: (k < 5 ? 1.4 : k < 10 ? 0.8 : 0.4) * (0.8 + 0.4 * random.uniform()),
      }),
    ),
  }));
}

/** Minutes: starters ~33, five reserves ~15, the last three only some garbage time; 240 in all (+25 per overtime). */
function minutes(random: Random, overtimes: number): number[] {
  const w = ROSTER.map((_, k) => (k < 5 ? 33 + 3 * random.normal() : k < 10 ? 15 + 3 * random.normal() : random.uniform() < 0.3 ? 2 + 4 * random.uniform() : 0));
  for (let k = 0; k < w.length; k++) w[k] = Math.max(0, w[k]!);
  return apportion(240 + 25 * overtimes, w);
}

/** Points split into threes, free throws and twos, each credited by usage x minutes; sums to `points`. */
function boxScore(random: Random, roster: Player[], mins: number[], points: number) {
  const n = roster.length;
  const pts = new Array<number>(n).fill(0);
  const threes = new Array<number>(n).fill(0);
  const usage = roster.map((p, i) => p.usage * mins[i]!);
  const threeMade = Math.min(Math.floor(points / 3), random.poisson(12.5));
  let ft = Math.min(points - 3 * threeMade, random.poisson(17));
  // Twos take what is left, so that remainder must be even: move one point to or from the line.
  if ((points - 3 * threeMade - ft) % 2 !== 0) ft = ft > 0 ? ft - 1 : ft + 1;
  const twos = (points - 3 * threeMade - ft) / 2;
  for (let k = 0; k < threeMade; k++) {
    const i = sampleIndex(random, roster.map((p, j) => usage[j]! * THREE_WEIGHT[p.position]));
    pts[i]! += 3;
    threes[i]! += 1;
  }
  for (let k = 0; k < twos; k++) pts[sampleIndex(random, usage)]! += 2;
  for (let k = 0; k < ft; k++) pts[sampleIndex(random, usage)]! += 1;
  const rebounds = apportion(random.poisson(44), roster.map((p, i) => mins[i]! * REBOUND_WEIGHT[p.position] * (0.7 + 0.6 * random.uniform())));
  const assists = apportion(random.poisson(24), roster.map((p, i) => mins[i]! * ASSIST_WEIGHT[p.position] * (0.7 + 0.6 * random.uniform())));
  return { pts, threes, rebounds, assists, threeMade, ft };
}

/** Regulation points split into four quarters of roughly equal size. */
function quarters(random: Random, points: number): number[] {
  return apportion(points, [0, 1, 2, 3].map(() => Math.max(0.5, 1 + 0.1 * random.normal())));
}

const half = (x: number) => Math.round(x * 2) / 2;

export function generateBasketballSeason(opts: { seed: number; year: number; today: string }): ParsedFile {
  const { seed, year, today } = opts;
  const season = basketballSeasonName(year);
  const all = teams(seed);
  const random = randomFor(seed, `basketball:season:${year}`);
  const form = all.map(() => 1.5 * random.normal());
  const order = shuffled(random, all.map((_, i) => i));
  const base = doubleRoundRobin(order.length);
  const rounds = [...base, ...base.map((r) => r.map(([h, a]) => [a, h] as [number, number]))];
  const start = basketballSeasonStart(year);
  const matches: ParsedMatch[] = [];
  const players: ParsedPlayerMatch[] = [];

  rounds.forEach((round, r) => {
    const day = addDays(start, 4 * r);
    const date = isoDay(day);
    round.forEach(([hi, ai], g) => {
      const h = order[hi]!;
      const a = order[ai]!;
      const [home, away] = [all[h]!, all[a]!];
      const expMargin = home.rating + form[h]! - (away.rating + form[a]!) + BASKETBALL_MODEL.homeCourt;
      const expTotal = BASKETBALL_MODEL.meanTotal + home.pace + away.pace;
      const shared = Math.sqrt(BASKETBALL_MODEL.sharedShare) * BASKETBALL_MODEL.scoreSd * random.normal();
      const own = Math.sqrt(1 - BASKETBALL_MODEL.sharedShare) * BASKETBALL_MODEL.scoreSd;
      const reg = [
        Math.max(70, Math.round((expTotal + expMargin) / 2 + shared + own * random.normal())),
        Math.max(70, Math.round((expTotal - expMargin) / 2 + shared + own * random.normal())),
      ];
      const periods = [quarters(random, reg[0]!), quarters(random, reg[1]!)];
      const ot: [number, number][] = [];
      let [hs, as] = reg as [number, number];
      while (hs === as) {
        const o: [number, number] = [Math.max(2, Math.round(11 + 3 * random.normal())), Math.max(2, Math.round(11 + 3 * random.normal()))];
        ot.push(o);
        hs += o[0];
        as += o[1];
      }
      const spreadLine = -half(expMargin);
      const totalLine = half(expTotal);
      // P(home covers) = P(margin + line > 0) under the normal margin (which has no pushes).
      const cover = 1 - normalCdf((-spreadLine - expMargin) / MARGIN_SD);
      const over = 1 - normalCdf((totalLine - expTotal) / TOTAL_SD);
      const win = 1 - normalCdf(-expMargin / MARGIN_SD);
      const odds: ParsedOdds[] = [
        ...marketOdds(random, BOOK, 'closing', 'spread', spreadLine === 0 ? 0 : spreadLine, ['home', 'away'], [cover, 1 - cover], 0.02),
        ...marketOdds(random, BOOK, 'closing', 'total', totalLine, ['over', 'under'], [over, 1 - over], 0.02),
        ...marketOdds(random, BOOK, 'closing', 'moneyline', null, ['home', 'away'], [win, 1 - win], 0.03),
      ];
      const sides = [home, away].map((t, s) => {
        const mins = minutes(random, ot.length);
        return { t, mins, box: boxScore(random, t.roster, mins, s === 0 ? hs : as) };
      });
      const played = date < today;
      const externalId = `${DEMO_BASKETBALL_COMPETITION.code}:${season}:${r + 1}:${h + 1}-${a + 1}`;
      const periodScores = [0, 1, 2, 3].map((q) => ({ period: `q${q + 1}`, home: periods[0]![q]!, away: periods[1]![q]! }));
      if (ot.length > 0) periodScores.push({ period: 'ot', home: ot.reduce((s, o) => s + o[0], 0), away: ot.reduce((s, o) => s + o[1], 0) });
      matches.push({
        line: matches.length + 1,
        competition: DEMO_BASKETBALL_COMPETITION,
        season,
        date,
        kickoffAt: at(day, 23, g % 2 === 0 ? 0 : 30),
        home: home.club.name,
        away: away.club.name,
        status: played ? 'final' : 'scheduled',
        homeScore: played ? hs : null,
        awayScore: played ? as : null,
        periodScores: played ? periodScores : null,
        round: `Game day ${r + 1}`,
        venue: home.club.venue,
        teamStats: played
          ? {
              home: { points: hs, rebounds: sum(sides[0]!.box.rebounds), assists: sum(sides[0]!.box.assists), three_pointers_made: sides[0]!.box.threeMade, free_throws_made: sides[0]!.box.ft },
              away: { points: as, rebounds: sum(sides[1]!.box.rebounds), assists: sum(sides[1]!.box.assists), three_pointers_made: sides[1]!.box.threeMade, free_throws_made: sides[1]!.box.ft },
            }
          : null,
        // Closing lines exist once a game has tipped off; upcoming games show the same
        // numbers as the current line.
        odds: played ? odds : odds.map((o) => ({ ...o, phase: 'opening' as const })),
        externalId,
      });
      if (!played) return;
      for (const { t, mins, box } of sides) {
        t.roster.forEach((p, i) => {
          if (mins[i]! === 0) return;
          players.push({
            line: 0,
            externalId: p.externalId,
            name: p.name,
            position: p.position,
            team: t.club.name,
            matchExternalId: externalId,
            minutes: mins[i]!,
            started: i < 5,
            points: box.pts[i]!,
            rebounds: box.rebounds[i]!,
            assists: box.assists[i]!,
            extra: { three_pointers_made: box.threes[i]! },
          });
        });
      }
    });
  });
  players.forEach((p, i) => (p.line = matches.length + 1 + i));
  return { source: 'demo', matches, players, rejected: [] };
}

function sum(xs: number[]): number {
  return xs.reduce((s, v) => s + v, 0);
}
