// Loads the player-prop evaluation data from the database (finished matches of a soccer
// competition with their player lines) and runs the walk-forward evaluation of
// src/models/props over it. Evaluation only: no routes, nothing cached.
import { and, asc, eq, gte, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import { competitions, matches, seasons } from '../../db/schema/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { PropsMatch } from '../../models/props/history.js';
import { PropsReportBuilder, type PropsReport } from '../../models/props/report.js';
import { DEFAULT_PROPS_PARAMS, walkForward, type PropsParams } from '../../models/props/walk-forward.js';
import { attachPlayerLines } from './repository.js';

export const PROPS_COMPETITION = 'england-premier-league';

const DAY_MS = 86_400_000;

/** Every finished match of the competition with player lines, plus earlier seasons as history. */
export async function loadPropsMatches(database: Database, competitionCode = PROPS_COMPETITION): Promise<PropsMatch[]> {
  const found = await loadFinishedMatches(database.db, eq(competitions.code, competitionCode));
  if (found.length === 0) throw new NotFoundError('competition', competitionCode);
  return found;
}

/** Finished matches of a competition dated in [from, before) with their player lines (training). */
export async function loadPropsWindow(db: Db, competitionId: number, from: string, before: string): Promise<PropsMatch[]> {
  return loadFinishedMatches(db, and(eq(competitions.id, competitionId), gte(matches.matchDate, from), lt(matches.matchDate, before)));
}

async function loadFinishedMatches(db: Db, where: SQL | undefined): Promise<PropsMatch[]> {
  const rows = await db
    .select({
      id: matches.id,
      season: seasons.name,
      date: matches.matchDate,
      home: matches.homeTeamId,
      away: matches.awayTeamId,
      homeGoals: matches.homeScore,
      awayGoals: matches.awayScore,
    })
    .from(matches)
    .innerJoin(competitions, eq(competitions.id, matches.competitionId))
    .innerJoin(seasons, eq(seasons.id, matches.seasonId))
    .where(and(where, eq(matches.status, 'final'), isNotNull(matches.homeScore), isNotNull(matches.awayScore)))
    .orderBy(asc(matches.matchDate), asc(matches.id));
  const byId = new Map<number, PropsMatch>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      season: r.season,
      day: Math.round(Date.parse(`${r.date}T00:00:00Z`) / DAY_MS),
      home: r.home,
      away: r.away,
      homeGoals: r.homeGoals!,
      awayGoals: r.awayGoals!,
      lines: [],
    });
  }
  await attachPlayerLines(db, byId);
  return [...byId.values()];
}

export interface PropsEvaluation {
  season: string;
  seasonsUsed: string[];
  params: PropsParams;
  blend: ReturnType<typeof walkForward>['blend'];
  report: PropsReport;
}

/**
 * Walk-forward evaluation of `season`: every season with player lines from `firstPredicted`
 * on is predicted (so the ensemble learns from earlier settled predictions), every earlier
 * one is history only, and the report covers `season` alone.
 */
export function evaluatePropsSeason(
  all: readonly PropsMatch[],
  season: string,
  options: { firstPredicted?: string; params?: Partial<PropsParams> } = {},
): PropsEvaluation {
  const params = { ...DEFAULT_PROPS_PARAMS, ...options.params };
  const withLines = [...new Set(all.filter((m) => m.lines.length > 0).map((m) => m.season))].sort();
  if (!withLines.includes(season)) throw new ValidationError(`no player data for season ${season}`, 'season', season);
  const first = options.firstPredicted ?? season;
  const predict = new Set(withLines.filter((s) => s >= first && s <= season));
  // Later seasons can never inform a prediction; dropping them also bounds the work.
  const used = all.filter((m) => m.season <= season);
  const builder = new PropsReportBuilder();
  const result = walkForward(used, predict, params, (p) => {
    if (p.match.season === season) builder.add(p);
  });
  return { season, seasonsUsed: [...new Set(used.map((m) => m.season))].sort(), params, blend: result.blend, report: builder.build() };
}
