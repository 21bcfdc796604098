// One API-Football run per configured league, in four steps, each page its own transaction
// (decision 0025): fixtures (matches, live scores, results) → odds (paged, attached to this
// run's fixtures) → lineups of the fixtures around kick-off (one request each, so only the
// window the provider publishes them in) → injuries (players' injury_status). A spent day
// quota stops the run where it is; what was written stays.
import { eq } from 'drizzle-orm';
import { sports } from '../../db/schema/index.js';
import type { Counts, ParsedOdds } from '../ingest/types.js';
import {
  API_FOOTBALL_SOURCE,
  apiFootballResponse,
  currentInjuries,
  parseApiFootballFixtures,
  parseApiFootballInjuries,
  parseApiFootballLineups,
  parseApiFootballOdds,
} from './api-football.js';
import type { ProviderClient } from './http-client.js';
import { writeInjuries, writeLineup } from './squads.js';
import { add, writeProviderPage, type ProviderMatch, type SyncContext, type SyncSummary } from './sync.js';

export interface ApiFootballRun {
  leagues: string[];
  season: number;
  /** Lineups are fetched for fixtures kicking off within this many hours (or started in the last 3). */
  lineupWindowHours: number;
  /** The season is the current one (odds, lineups and injuries are fetched only then). */
  current: boolean;
  /** Opening prices already stored for this source's fixtures (see storedOpenings). */
  openings: () => Promise<Set<string>>;
}

const STARTED_LOOKBACK_MS = 3 * 3_600_000;

export function apiFootballSync(ctx: SyncContext & { client: ProviderClient }, run: ApiFootballRun) {
  const { client, database } = ctx;
  const file = (page: string) => `${API_FOOTBALL_SOURCE}:${page}`;
  return async (summary: SyncSummary, at: (page: string) => void) => {
    for (const league of run.leagues) {
      const q = { league, season: run.season };
      const fixturesPage = `fixtures?league=${league}&season=${run.season}`;
      at(fixturesPage);
      const { items } = apiFootballResponse(await client.get('fixtures', q), fixturesPage);
      const { matches, rejected } = parseApiFootballFixtures(items, league, file(fixturesPage));
      await writeProviderPage(ctx, summary, API_FOOTBALL_SOURCE, file(fixturesPage), matches, rejected);
      const byId = new Map(matches.map((m) => [m.parsed.externalId!, m]));
      // A past season is fixtures and results only: its odds have closed, its lineups are not
      // fetched, and its injury list must not clear today's statuses.
      if (!run.current) continue;

      for (let page = 1, total = 1; page <= total; page++) {
        const oddsPage = `odds?league=${league}&season=${run.season}&page=${page}`;
        at(oddsPage);
        const res = apiFootballResponse(await client.get('odds', { ...q, page }), oddsPage);
        total = res.totalPages;
        const now = ctx.clock.now();
        const parsed = parseApiFootballOdds(res.items, file(oddsPage), now, (id) => (byId.has(id) ? byId.get(id)!.parsed.kickoffAt : undefined), await run.openings());
        const updated = updateTimes(res.items);
        const rows: ProviderMatch[] = [];
        for (const [id, odds] of parsed.odds) rows.push(withOdds(byId.get(id)!, odds, updated.get(id) ?? null));
        await writeProviderPage(ctx, summary, API_FOOTBALL_SOURCE, file(oddsPage), rows, parsed.rejected, parsed.bookmakers, false);
      }

      const [sport] = await database.db.select({ id: sports.id }).from(sports).where(eq(sports.code, 'soccer')).limit(1);
      if (!sport) continue; // no fixture was written, so no team or player to attach anything to
      const now = ctx.clock.now().getTime();
      const around = matches.filter((m) => {
        const k = m.parsed.kickoffAt?.getTime();
        return k !== undefined && k - now <= run.lineupWindowHours * 3_600_000 && now - k <= STARTED_LOOKBACK_MS && m.parsed.status !== 'cancelled' && m.parsed.status !== 'postponed';
      });
      for (const m of around) {
        const id = m.parsed.externalId!;
        const lineupPage = `fixtures/lineups?fixture=${id}`;
        at(lineupPage);
        const res = apiFootballResponse(await client.get('fixtures/lineups', { fixture: id }), lineupPage);
        if (res.items.length === 0) continue; // not published yet
        const { rows, rejected: bad } = parseApiFootballLineups(res.items, file(lineupPage));
        const out = await database.db.transaction((tx) => writeLineup(tx, API_FOOTBALL_SOURCE, sport.id, id, rows, file(lineupPage), ctx.clock.now()));
        merge(summary, 'lineups', out.counts, out.players_created, [...bad, ...out.rejected]);
      }

      const injuriesPage = `injuries?league=${league}&season=${run.season}`;
      at(injuriesPage);
      const res = apiFootballResponse(await client.get('injuries', q), injuriesPage);
      const { rows, rejected: bad } = parseApiFootballInjuries(res.items, file(injuriesPage));
      const current = [...currentInjuries(rows, ctx.clock.now()).values()];
      const scope = [...new Set(matches.flatMap((m) => [m.homeExternalId!, m.awayExternalId!]))];
      const out = await database.db.transaction((tx) => writeInjuries(tx, API_FOOTBALL_SOURCE, sport.id, current, scope, file(injuriesPage), ctx.clock.now()));
      merge(summary, 'injuries', out.counts, out.players_created, [...bad, ...out.rejected]);
      // A changed status changes who the props squads hold: the data version moves on.
      if (out.playerIds.length > 0) await ctx.onCommitted?.({ playerIds: out.playerIds });
    }
  };
}

function withOdds(m: ProviderMatch, odds: ParsedOdds[], updated: Date | null): ProviderMatch {
  return { ...m, parsed: { ...m.parsed, odds: odds.map((o) => ({ ...o, providerUpdatedAt: updated })) } };
}

/** Each odds item's `update` (when the provider last refreshed the fixture's prices). */
function updateTimes(items: unknown[]): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const raw of items) {
    const it = raw as { fixture?: { id?: number }; update?: string };
    const d = new Date(it?.update ?? '');
    if (typeof it?.fixture?.id === 'number' && !Number.isNaN(d.getTime())) out.set(String(it.fixture.id), d);
  }
  return out;
}

function merge(summary: SyncSummary, kind: 'lineups' | 'injuries', counts: Counts, created: number, rejected: SyncSummary['rejected']) {
  add(summary[kind], counts);
  summary.players_created += created;
  summary.rejected.push(...rejected);
}
