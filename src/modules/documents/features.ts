// News features of a team as of an instant, for the models: news volume, rolling sentiment
// and injury / suspension / transfer mentions of its players, from documents published
// strictly before the as-of instant (no look-ahead). Which version of an updated article
// counts: the newest one ingested at or before the as-of instant; when every version was
// ingested later (a corpus loaded after the fact), the first version — so a correction
// written after the as-of instant is never read.
//
// The aggregation is pure (newsFeaturesAt over mention rows); the API loads one team's rows
// of the window, the training pipeline loads every team's rows once and asks per match.
import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.js';
import type { NewsFlag } from './flags.js';

export const DEFAULT_NEWS_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/** One mention of a team (or of one of its players) in one version of a document. */
export interface NewsMentionRow {
  documentId: number;
  url: string;
  version: number;
  publishedAt: number;
  ingestedAt: number;
  teamId: number;
  playerId: number | null;
  sentiment: number;
  flags: NewsFlag[];
}

export interface TeamNewsFeatures {
  team_id: number;
  as_of: string;
  window_days: number;
  /** Documents naming the team or one of its players, published in [as_of - window, as_of). */
  documents: number;
  mentions: number;
  /** Mean sentiment of the sentences around those mentions; null without news. */
  sentiment_mean: number | null;
  /** Mean sentiment over the window's second half minus its first half; null unless both halves have news. */
  sentiment_trend: number | null;
  injury_mentions: number;
  suspension_mentions: number;
  transfer_mentions: number;
  /** Distinct players of the team with an injury / suspension mention in the window. */
  injured_players: number;
  suspended_players: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The document versions visible at `asOf` (see the header), among the rows given. */
function visibleVersions(rows: NewsMentionRow[], asOf: number): Set<number> {
  const byUrl = new Map<string, { id: number; version: number; known: boolean }>();
  for (const r of rows) {
    if (r.publishedAt >= asOf) continue;
    const known = r.ingestedAt <= asOf;
    const cur = byUrl.get(r.url);
    const better = !cur || (known && !cur.known) || (known === cur.known && (known ? r.version > cur.version : r.version < cur.version));
    if (better) byUrl.set(r.url, { id: r.documentId, version: r.version, known });
  }
  return new Set([...byUrl.values()].map((v) => v.id));
}

/** Features of one team at one instant from mention rows (any superset of the window's rows). */
export function newsFeaturesAt(rows: NewsMentionRow[], teamId: number, asOf: Date, windowDays = DEFAULT_NEWS_WINDOW_DAYS): TeamNewsFeatures {
  const to = asOf.getTime();
  const from = to - windowDays * DAY_MS;
  const mid = to - (windowDays * DAY_MS) / 2;
  const inWindow = rows.filter((r) => r.teamId === teamId && r.publishedAt >= from && r.publishedAt < to);
  const visible = visibleVersions(inWindow, to);
  const ms = inWindow.filter((r) => visible.has(r.documentId));
  const withFlag = (f: NewsFlag) => ms.filter((r) => r.playerId !== null && r.flags.includes(f));
  const early = mean(ms.filter((r) => r.publishedAt < mid).map((r) => r.sentiment));
  const late = mean(ms.filter((r) => r.publishedAt >= mid).map((r) => r.sentiment));
  const all = mean(ms.map((r) => r.sentiment));
  return {
    team_id: teamId,
    as_of: asOf.toISOString(),
    window_days: windowDays,
    documents: new Set(ms.map((r) => r.documentId)).size,
    mentions: ms.length,
    sentiment_mean: all === null ? null : round(all),
    sentiment_trend: early === null || late === null ? null : round(late - early),
    injury_mentions: withFlag('injury').length,
    suspension_mentions: withFlag('suspension').length,
    transfer_mentions: withFlag('transfer').length,
    injured_players: new Set(withFlag('injury').map((r) => r.playerId)).size,
    suspended_players: new Set(withFlag('suspension').map((r) => r.playerId)).size,
  };
}

/** Mention rows of the given teams (all teams when omitted) published in [from, to). */
export async function loadNewsMentions(db: Executor, range: { from: Date; to: Date }, teamIds?: number[]): Promise<NewsMentionRow[]> {
  const teams = teamIds ? sql` and m.team_id in (${sql.join(teamIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  if (teamIds && teamIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select d.id, d.url, d.version, d.published_at, d.ingested_at, m.team_id, m.player_id, m.sentiment, m.flags
        from document_mentions m join documents d on d.id = m.document_id
        where m.team_id is not null and d.published_at >= ${range.from.toISOString()}::timestamptz and d.published_at < ${range.to.toISOString()}::timestamptz${teams}`,
  );
  const ms = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));
  return rows.map((r) => ({
    documentId: Number(r.id),
    url: String(r.url),
    version: Number(r.version),
    publishedAt: ms(r.published_at),
    ingestedAt: ms(r.ingested_at),
    teamId: Number(r.team_id),
    playerId: r.player_id === null ? null : Number(r.player_id),
    sentiment: Number(r.sentiment),
    flags: (typeof r.flags === 'string' ? JSON.parse(r.flags) : r.flags) as NewsFlag[],
  }));
}

/** One team's features at one instant, from the database. */
export async function teamNewsFeatures(db: Executor, teamId: number, asOf: Date, windowDays = DEFAULT_NEWS_WINDOW_DAYS): Promise<TeamNewsFeatures> {
  const rows = await loadNewsMentions(db, { from: new Date(asOf.getTime() - windowDays * DAY_MS), to: asOf }, [teamId]);
  return newsFeaturesAt(rows, teamId, asOf, windowDays);
}

/**
 * Features of both teams of every match as of its kick-off day (00:00 UTC of its date, so a
 * match-day article is never used for that match): what the training pipeline reads when
 * NEWS_FEATURES_IN_TRAINING is on.
 */
export async function matchNewsFeatures(
  db: Executor,
  ms: { id: number; date: string; home: number; away: number }[],
  windowDays = DEFAULT_NEWS_WINDOW_DAYS,
): Promise<Map<number, { home: TeamNewsFeatures; away: TeamNewsFeatures }>> {
  const out = new Map<number, { home: TeamNewsFeatures; away: TeamNewsFeatures }>();
  if (ms.length === 0) return out;
  const times = ms.map((m) => Date.parse(`${m.date}T00:00:00Z`));
  const first = times.reduce((a, b) => Math.min(a, b));
  const last = times.reduce((a, b) => Math.max(a, b));
  const rows = await loadNewsMentions(db, { from: new Date(first - windowDays * DAY_MS), to: new Date(last) });
  const byTeam = new Map<number, NewsMentionRow[]>();
  for (const r of rows) {
    const list = byTeam.get(r.teamId);
    if (list) list.push(r);
    else byTeam.set(r.teamId, [r]);
  }
  ms.forEach((m, i) => {
    const asOf = new Date(times[i]!);
    out.set(m.id, { home: newsFeaturesAt(byTeam.get(m.home) ?? [], m.home, asOf, windowDays), away: newsFeaturesAt(byTeam.get(m.away) ?? [], m.away, asOf, windowDays) });
  });
  return out;
}
