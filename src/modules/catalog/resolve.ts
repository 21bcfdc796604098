// Turns what callers type into ids: sport codes and aliases, competition ids or codes,
// season names or ids. Unknown values in a filter are the caller's mistake (400 naming
// the field and value); unknown ids in a path are 404s.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { competitions, matches, seasons, sports } from '../../db/schema/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { canonicalSportCode, KNOWN_SPORT_CODES } from './sports.js';

const DIGITS = /^\d{1,10}$/;
const MAX_ID = 2_147_483_647;

/** The input as a database id, or null when it is not one (non-digits, or past int4). */
function asId(input: string): number | null {
  if (!DIGITS.test(input)) return null;
  const n = Number(input);
  return n >= 1 && n <= MAX_ID ? n : null;
}

export interface ResolvedSport {
  /** Null when the sport is known but nothing of it is stored yet: every list is empty. */
  id: number | null;
  code: string;
}

export async function resolveSport(db: Executor, input: string, field = 'sport'): Promise<ResolvedSport> {
  const known = canonicalSportCode(input);
  const code = known ?? input.trim().toLowerCase();
  const [row] = await db.select({ id: sports.id, code: sports.code }).from(sports).where(eq(sports.code, code)).limit(1);
  if (row) return row;
  if (known) return { id: null, code: known };
  throw new ValidationError(
    `Unknown sport '${input}'; expected one of ${KNOWN_SPORT_CODES.join(', ')} (or NBA, NFL, MLB, NHL)`,
    field,
    input,
  );
}

export interface CompetitionRow {
  id: number;
  sportId: number;
  code: string;
  name: string;
  country: string | null;
  kind: string;
  timezone: string;
  pointsWin: number;
  pointsDraw: number;
  pointsLoss: number;
  tieBreaks: string[];
  isDemo: boolean;
}

async function findCompetition(db: Executor, input: string): Promise<CompetitionRow | undefined> {
  const id = asId(input);
  const where = id !== null ? eq(competitions.id, id) : eq(competitions.code, input.toLowerCase());
  const [row] = await db
    .select({
      id: competitions.id,
      sportId: competitions.sportId,
      code: competitions.code,
      name: competitions.name,
      country: competitions.country,
      kind: competitions.kind,
      timezone: competitions.timezone,
      pointsWin: competitions.pointsWin,
      pointsDraw: competitions.pointsDraw,
      pointsLoss: competitions.pointsLoss,
      tieBreaks: competitions.tieBreaks,
      isDemo: competitions.isDemo,
    })
    .from(competitions)
    .where(where)
    .limit(1);
  return row;
}

/** A competition named in a query filter: unknown → 400. */
export async function competitionFilter(db: Executor, input: string, field = 'competition'): Promise<CompetitionRow> {
  const row = await findCompetition(db, input);
  if (!row) throw new ValidationError(`Unknown competition '${input}' (give a competition id or code)`, field, input);
  return row;
}

/** A competition named in the path: unknown → 404. */
export async function competitionById(db: Executor, input: string): Promise<CompetitionRow> {
  const row = await findCompetition(db, input);
  if (!row) throw new NotFoundError('competition', asId(input) ?? input);
  return row;
}

export interface SeasonRow {
  id: number;
  name: string;
  competitionId: number;
}

/**
 * Seasons a `season` filter names. A value is first read as a season name ("2015-16",
 * "2019"), optionally within one competition; only when no season has that name is a
 * number read as a season id, because "2019" is both a plausible name and a plausible id.
 */
export async function seasonFilter(db: Executor, input: string, competitionId?: number, field = 'season'): Promise<SeasonRow[]> {
  const found = await seasonsNamed(db, input, competitionId);
  if (found.length > 0) return found;
  throw new ValidationError(
    `Unknown season '${input}'${competitionId !== undefined ? ' in this competition' : ''} (give a season name such as 2015-16, or a season id)`,
    field,
    input,
  );
}

/** Like seasonFilter, but an empty list when nothing matches. */
export async function seasonsNamed(db: Executor, input: string, competitionId?: number): Promise<SeasonRow[]> {
  const cols = { id: seasons.id, name: seasons.name, competitionId: seasons.competitionId };
  const byName = await db
    .select(cols)
    .from(seasons)
    .where(competitionId !== undefined ? and(eq(seasons.name, input), eq(seasons.competitionId, competitionId)) : eq(seasons.name, input))
    .limit(500);
  const id = asId(input);
  if (byName.length > 0 || id === null) return byName;
  const byId = await db.select(cols).from(seasons).where(eq(seasons.id, id)).limit(1);
  return byId.filter((s) => competitionId === undefined || s.competitionId === competitionId);
}

/** One season of a competition: the one named, or the latest (the one with the most recent match). */
export async function competitionSeason(db: Executor, competitionId: number, input: string | undefined): Promise<SeasonRow | null> {
  if (input !== undefined) {
    const [row] = await seasonFilter(db, input, competitionId);
    return row ?? null;
  }
  const [latest] = await db
    .select({ id: seasons.id, name: seasons.name, competitionId: seasons.competitionId })
    .from(seasons)
    .where(eq(seasons.competitionId, competitionId))
    .orderBy(
      sql`(select max(${matches.matchDate}) from ${matches} where ${matches.seasonId} = ${seasons.id}) desc nulls last`,
      sql`${seasons.startDate} desc nulls last`,
      desc(seasons.name),
    )
    .limit(1);
  return latest ?? null;
}

/** Rejects a date range that ends before it starts. */
export function checkDateRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError(`date_from (${from}) is after date_to (${to})`, 'date_from', from, { date_from: from, date_to: to });
  }
}
