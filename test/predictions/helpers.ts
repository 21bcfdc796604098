// Simulated leagues written straight into a test database: seasons of results drawn from
// known Dixon-Coles (soccer) or margin-model (points) parameters, with optional 1X2 odds
// priced from the true probabilities plus a 5% margin. Bulk inserts keep a three-season
// league to a handful of statements.
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import { outcome1x2 } from '../../src/models/markets.js';
import { seededRandom } from '../../src/models/random.js';
import { randomStrengths, simulateDixonColesLeague, simulatePointsLeague } from '../../src/models/simulate-league.js';
import type { Db } from '../../src/db/client.js';
import { matches, odds as oddsTable } from '../../src/db/schema/index.js';
import type { CompetitionRow, Factories, SeasonRow, TeamRow } from '../helpers/factories.js';

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface SimulatedLeague {
  competition: CompetitionRow;
  teams: TeamRow[];
  /** Inserted results, oldest first. */
  results: { id: number; date: string; home: number; away: number }[];
  lastDate: string;
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 400) await insert(rows.slice(i, i + 400));
}

/**
 * A soccer league of `teams` teams, one double round-robin per season name, a round every
 * 7 days from `firstDay` (60-day break between seasons). With `odds`, every match gets
 * market_avg 1X2 opening and closing prices.
 */
export async function seedSoccerLeague(
  db: Db,
  f: Factories,
  opts: { teams: number; seasons: string[]; firstDay: string; seed?: number; odds?: boolean; code?: string; homeAdvantage?: number },
): Promise<SimulatedLeague> {
  const competition = await f.competition({ sport: 'soccer', ...(opts.code ? { code: opts.code } : {}) });
  const teams: TeamRow[] = [];
  for (let i = 0; i < opts.teams; i++) teams.push(await f.team({ sportId: competition.sportId, name: `${competition.code} FC ${i + 1}` }));
  const seasonRows: SeasonRow[] = [];
  for (const name of opts.seasons) seasonRows.push(await f.season({ competitionId: competition.id, name }));
  const truth = { ...randomStrengths(opts.teams, 0.35, seededRandom(opts.seed ?? 7)), intercept: 0.1, homeAdvantage: opts.homeAdvantage ?? 0.25, rho: -0.08 };
  const sim = simulateDixonColesLeague(truth, { seasons: opts.seasons.length, seed: opts.seed ?? 7 });
  const perSeason = opts.teams * (opts.teams - 1);
  const values = Array.from(sim.home, (_, k) => ({
    sportId: competition.sportId,
    competitionId: competition.id,
    seasonId: seasonRows[Math.floor(k / perSeason)]!.id,
    homeTeamId: teams[sim.home[k]!]!.id,
    awayTeamId: teams[sim.away[k]!]!.id,
    matchDate: addDays(opts.firstDay, sim.day[k]!),
    status: 'final' as const,
    homeScore: sim.homeGoals[k]!,
    awayScore: sim.awayGoals[k]!,
  }));
  const inserted: { id: number; date: string; home: number; away: number }[] = [];
  await insertChunks(values, async (chunk) => {
    const rows = await db.insert(matches).values(chunk).returning({ id: matches.id, date: matches.matchDate, home: matches.homeTeamId, away: matches.awayTeamId });
    inserted.push(...rows);
  });
  if (opts.odds) {
    const book = await f.bookmaker('market_avg', { kind: 'aggregate' });
    const random = seededRandom((opts.seed ?? 7) + 1);
    const priceRows = inserted.flatMap((m, k) => {
      const p = outcome1x2(dixonColesMatrix(
        Math.exp(truth.intercept + truth.homeAdvantage + truth.attack[sim.home[k]!]! - truth.defence[sim.away[k]!]!),
        Math.exp(truth.intercept + truth.attack[sim.away[k]!]! - truth.defence[sim.home[k]!]!),
        truth.rho,
      ));
      return (['opening', 'closing'] as const).flatMap((phase) => {
        // Opening prices carry a little noise; closing prices are the truth plus margin.
        const noise = phase === 'opening' ? 0.04 : 0;
        return (['home', 'draw', 'away'] as const).map((selection) => ({
          matchId: m.id,
          bookmakerId: book.id,
          market: '1x2' as const,
          selection,
          line: null,
          price: Math.max(1.01, Math.round((1 / (p[selection] * 1.05 * Math.exp(noise * random.normal()))) * 100) / 100),
          phase,
          source: 'test',
        }));
      });
    });
    await insertChunks(priceRows, (chunk) => db.insert(oddsTable).values(chunk));
  }
  return { competition, teams, results: inserted, lastDate: inserted[inserted.length - 1]!.date };
}

/** A basketball league: every pair meets twice a season, a game day every 2 days. */
export async function seedPointsLeague(db: Db, f: Factories, opts: { teams: number; seasons: string[]; firstDay: string; seed?: number }): Promise<SimulatedLeague> {
  const competition = await f.competition({ sport: 'basketball' });
  const teams: TeamRow[] = [];
  for (let i = 0; i < opts.teams; i++) teams.push(await f.team({ sportId: competition.sportId, name: `${competition.code} Hoopers ${i + 1}` }));
  const seasonRows: SeasonRow[] = [];
  for (const name of opts.seasons) seasonRows.push(await f.season({ competitionId: competition.id, name }));
  const strengths = randomStrengths(opts.teams, 4, seededRandom(opts.seed ?? 11));
  const sim = simulatePointsLeague(
    { offence: strengths.attack, defence: strengths.defence, meanPoints: 105, homeAdvantage: 3, pointsSd: 9 },
    { seasons: opts.seasons.length, seed: opts.seed ?? 11, meetings: 2 },
  );
  const perSeason = opts.teams * (opts.teams - 1);
  const lastAge = sim.ageDays![0]!;
  const values = Array.from(sim.home, (_, k) => ({
    sportId: competition.sportId,
    competitionId: competition.id,
    seasonId: seasonRows[Math.floor(k / perSeason)]!.id,
    homeTeamId: teams[sim.home[k]!]!.id,
    awayTeamId: teams[sim.away[k]!]!.id,
    matchDate: addDays(opts.firstDay, lastAge - sim.ageDays![k]!),
    status: 'final' as const,
    homeScore: sim.homePoints[k]!,
    awayScore: sim.awayPoints[k]!,
  }));
  const inserted: { id: number; date: string; home: number; away: number }[] = [];
  await insertChunks(values, async (chunk) => {
    inserted.push(...(await db.insert(matches).values(chunk).returning({ id: matches.id, date: matches.matchDate, home: matches.homeTeamId, away: matches.awayTeamId })));
  });
  return { competition, teams, results: inserted, lastDate: inserted[inserted.length - 1]!.date };
}
