// Persists one ParsedFile inside the caller's transaction (one per file, so a file that
// fails leaves the database as it was). Fast by construction: reference rows and team names
// are resolved once per file, the file's existing matches (its competitions and date range)
// are loaded into memory and diffed in JS, and everything is written with multi-row
// statements in chunks; odds and player stats are upserted in bulk and counted from what
// PostgreSQL reports, so inserted/updated/unchanged are exact.
import type { Tx } from '../../db/client.js';
import type { DataChange } from '../../platform/cache/index.js';
import { externalIds } from '../../db/schema/index.js';
import { fieldsOf, insertMatches, insertSources, keyOf, loadExisting, updateMatches, writeTeamStats, type Incoming } from './writer-matches.js';
import { mergeMatch, type MatchFields } from './merge.js';
import { writeOdds, type OddsRow } from './writer-odds.js';
import { writePlayers } from './writer-players.js';
import { ensureBookmakers, ensureCompetitions, ensureSeasons, ensureSports, ensureVenues } from './refs.js';
import { addSourceAliases, resolveTeams } from './teams.js';
import type { Counts, ParsedFile, Rejection, ReviewItem, SportCode } from './types.js';

export interface FileResult {
  matches: Counts;
  odds: Counts;
  players: Counts;
  player_stats: Counts;
  teams_created: number;
  rejected: Rejection[];
  warnings: Rejection[];
  review: ReviewItem[];
  /** What the file changed, for cache invalidation after commit; empty when nothing changed. */
  changed: DataChange;
}

export type WriteStage = 'references' | 'teams' | 'matches' | 'odds' | 'players';

export interface WriteOptions {
  /** The file's name as reported in rejections and recorded in match_sources. */
  file: string;
  now: Date;
  /** Called as each stage starts; an exception aborts the file (its transaction rolls back). */
  onStage?: (stage: WriteStage) => void | Promise<void>;
}

export const zeroCounts = (): Counts => ({ inserted: 0, updated: 0, unchanged: 0 });

/** Rows per statement: each chunk travels as one JSON parameter. */
const BULK = 10_000;

export async function writeParsedFile(tx: Tx, parsed: ParsedFile, opts: WriteOptions): Promise<FileResult> {
  const { file, now } = opts;
  const result: FileResult = {
    matches: zeroCounts(),
    odds: zeroCounts(),
    players: zeroCounts(),
    player_stats: zeroCounts(),
    teams_created: 0,
    rejected: [...parsed.rejected],
    warnings: [...(parsed.warnings ?? [])],
    review: [],
    changed: {},
  };

  await opts.onStage?.('references');
  const refs = parsed.matches.map((m) => m.competition);
  const pSport = playersSport(parsed);
  const sportIds = await ensureSports(tx, [...refs.map((r) => r.sport), ...(pSport ? [pSport] : [])]);
  const comps = await ensureCompetitions(tx, refs, sportIds);
  const seasonSpans = new Map<string, { competitionId: number; name: string; first: string; last: string }>();
  for (const m of parsed.matches) {
    const c = comps.get(m.competition.code)!;
    const k = `${c.id}|${m.season}`;
    const span = seasonSpans.get(k);
    if (!span) seasonSpans.set(k, { competitionId: c.id, name: m.season, first: m.date, last: m.date });
    else {
      if (m.date < span.first) span.first = m.date;
      if (m.date > span.last) span.last = m.date;
    }
  }
  const seasonIds = await ensureSeasons(tx, [...seasonSpans.values()]);
  const venueIds = await ensureVenues(tx, parsed.matches.flatMap((m) => (m.venue ? [m.venue] : [])));

  await opts.onStage?.('teams');
  // Team names per sport: the matches' teams, then the players' teams (FPL files are soccer).
  const namesBySport = new Map<SportCode, { names: Set<string>; country: string | null }>();
  for (const m of parsed.matches) {
    const entry = namesBySport.get(m.competition.sport) ?? { names: new Set<string>(), country: m.competition.country };
    entry.names.add(m.home).add(m.away);
    namesBySport.set(m.competition.sport, entry);
  }
  if (pSport) {
    const entry = namesBySport.get(pSport) ?? { names: new Set<string>(), country: null };
    for (const p of parsed.players) entry.names.add(p.team);
    namesBySport.set(pSport, entry);
  }
  const teamIds = new Map<SportCode, Map<string, number>>();
  for (const [sport, { names, country }] of namesBySport) {
    const ctx = { sportId: sportIds.get(sport)!, sport, source: parsed.source, file, country };
    const res = await resolveTeams(tx, ctx, names, now);
    teamIds.set(sport, res.ids);
    result.teams_created += res.created;
    result.review.push(...res.review);
    const pairs = (parsed.teamAliases ?? []).flatMap((a) => (res.ids.has(a.team) ? [{ alias: a.alias, teamId: res.ids.get(a.team)! }] : []));
    await addSourceAliases(tx, ctx, pairs, now);
  }

  await opts.onStage?.('matches');
  const incoming: Incoming[] = [];
  const firstLine = new Map<string, number>();
  for (const m of parsed.matches) {
    const c = comps.get(m.competition.code)!;
    const ids = teamIds.get(m.competition.sport)!;
    const home = ids.get(m.home)!;
    const away = ids.get(m.away)!;
    if (home === away) {
      result.rejected.push({ file, line: m.line, reason: `${m.home} and ${m.away} are the same team after alias resolution` });
      continue;
    }
    const key = keyOf(c.id, m.date, home, away);
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      result.rejected.push({ file, line: m.line, reason: `duplicate of line ${seen}: ${m.home} v ${m.away} on ${m.date}` });
      continue;
    }
    firstLine.set(key, m.line);
    incoming.push({ parsed: m, key, competitionId: c.id, sportId: c.sportId, homeTeamId: home, awayTeamId: away, fields: fieldsOf(m, seasonIds.get(`${c.id}|${m.season}`)!, venueIds) });
  }

  const existing = await loadExisting(tx, incoming);
  const matchIds = new Map<string, number>();
  const toInsert: Incoming[] = [];
  const toUpdate: { id: number; fields: MatchFields }[] = [];
  for (const inc of incoming) {
    const row = existing.get(inc.key);
    if (!row) {
      toInsert.push(inc);
      continue;
    }
    matchIds.set(inc.key, row.id);
    const { merged, changed } = mergeMatch(row, inc.fields);
    if (changed) toUpdate.push({ id: row.id, fields: merged });
    else result.matches.unchanged++;
  }
  for (let i = 0; i < toInsert.length; i += BULK) {
    for (const r of await insertMatches(tx, toInsert.slice(i, i + BULK), now)) matchIds.set(keyOf(r.c, r.d, r.h, r.a), r.id);
  }
  result.matches.inserted = toInsert.length;
  for (let i = 0; i < toUpdate.length; i += BULK) await updateMatches(tx, toUpdate.slice(i, i + BULK), now);
  result.matches.updated = toUpdate.length;

  const written = incoming.map((inc) => ({ inc, id: matchIds.get(inc.key)! }));
  for (let i = 0; i < written.length; i += BULK) {
    const part = written.slice(i, i + BULK);
    await insertSources(tx, part.map(({ inc, id }) => [id, `${file}:${inc.parsed.line}`]), parsed.source, now);
    const ext = part.filter(({ inc }) => inc.parsed.externalId);
    if (ext.length > 0) {
      await tx
        .insert(externalIds)
        .values(ext.map(({ inc, id }) => ({ entityType: 'match', entityId: id, source: parsed.source, externalId: inc.parsed.externalId!, createdAt: now })))
        .onConflictDoNothing();
    }
    await writeTeamStats(tx, part);
  }

  await opts.onStage?.('odds');
  const oddsRows: OddsRow[] = [];
  const bookmakerIds = await ensureBookmakers(
    tx,
    written.flatMap(({ inc }) => inc.parsed.odds.map((o) => o.bookmaker)),
    parsed.bookmakers ?? [],
  );
  for (const { inc, id } of written) {
    for (const o of inc.parsed.odds) oddsRows.push([id, bookmakerIds.get(o.bookmaker)!, o.market, o.selection, o.line, o.price, o.phase]);
  }
  result.odds = await writeOdds(tx, oddsRows, parsed.source, now);

  const playerIds: number[] = [];
  if (parsed.players.length > 0) {
    await opts.onStage?.('players');
    const sport = pSport ?? 'soccer';
    const ids = teamIds.get(sport) ?? new Map<string, number>();
    const matchByExternal = new Map(written.filter(({ inc }) => inc.parsed.externalId).map(({ inc, id }) => [inc.parsed.externalId!, { id, date: inc.parsed.date, seasonId: inc.fields.seasonId }]));
    const res = await writePlayers(tx, parsed, { file, now, sportId: sportIds.get(sport)!, teamIds: ids, matchByExternal });
    result.players = res.players;
    result.player_stats = res.stats;
    result.rejected.push(...res.rejected);
    playerIds.push(...res.playerIds);
  }
  result.rejected.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const touched = [result.matches, result.odds, result.players, result.player_stats].some((c) => c.inserted + c.updated > 0);
  if (touched || result.teams_created > 0) {
    result.changed = {
      matchIds: written.map((w) => w.id),
      teamIds: [...new Set(incoming.flatMap((i) => [i.homeTeamId, i.awayTeamId]))],
      competitionIds: [...new Set(incoming.map((i) => i.competitionId))],
      seasonIds: [...new Set(incoming.map((i) => i.fields.seasonId))],
      playerIds,
    };
  }
  return result;
}

/** The sport of a file's player rows: FPL files carry soccer fixtures. */
function playersSport(parsed: ParsedFile): SportCode | null {
  if (parsed.players.length === 0) return null;
  return parsed.matches[0]?.competition.sport ?? 'soccer';
}
