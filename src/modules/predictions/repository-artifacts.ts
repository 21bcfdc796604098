// The model registry's SQL: storing artifacts and finding the one a prediction may use (the
// newest of its kind and competition whose data cut-off is on or before the match's date).
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { competitions, modelArtifacts, sports, type ArtifactKind } from '../../db/schema/index.js';

export type ArtifactRow = typeof modelArtifacts.$inferSelect;
export type NewArtifact = Omit<typeof modelArtifacts.$inferInsert, 'id' | 'version'>;

/** kind@competition@cutoff.suffix: readable in a prediction, unique by its random suffix. */
export function artifactVersion(kind: ArtifactKind, competitionCode: string, cutoff: string): string {
  return `${kind}@${competitionCode}@${cutoff}.${randomBytes(3).toString('hex')}`;
}

export async function insertArtifact(db: Executor, competitionCode: string, values: NewArtifact): Promise<ArtifactRow> {
  const [row] = await db
    .insert(modelArtifacts)
    .values({ ...values, version: artifactVersion(values.kind, competitionCode, values.dataCutoff) })
    .returning();
  return row!;
}

/** The newest artifact of a kind for a competition that saw only data before `onOrBefore` (a match date). */
export async function usableArtifact(db: Executor, competitionId: number, kind: ArtifactKind, onOrBefore: string): Promise<ArtifactRow | null> {
  const [row] = await db
    .select()
    .from(modelArtifacts)
    .where(and(eq(modelArtifacts.competitionId, competitionId), eq(modelArtifacts.kind, kind), lte(modelArtifacts.dataCutoff, onOrBefore)))
    .orderBy(desc(modelArtifacts.dataCutoff), desc(modelArtifacts.createdAt), desc(modelArtifacts.id))
    .limit(1);
  return row ?? null;
}

export async function latestArtifact(db: Executor, competitionId: number, kind: ArtifactKind): Promise<ArtifactRow | null> {
  const [row] = await db
    .select()
    .from(modelArtifacts)
    .where(and(eq(modelArtifacts.competitionId, competitionId), eq(modelArtifacts.kind, kind)))
    .orderBy(desc(modelArtifacts.createdAt), desc(modelArtifacts.id))
    .limit(1);
  return row ?? null;
}

export interface ArtifactFilter {
  kind?: ArtifactKind;
  sportId?: number;
  competitionId?: number;
  /** Only the newest artifact of each kind and competition. */
  currentOnly?: boolean;
}

export const artifactCols = {
  artifact: modelArtifacts,
  competitionCode: competitions.code,
  competitionName: competitions.name,
  sport: sports.code,
};

export type ArtifactWithScope = { artifact: ArtifactRow; competitionCode: string; competitionName: string; sport: string };

function artifactWhere(f: ArtifactFilter): SQL | undefined {
  const where: SQL[] = [];
  if (f.kind) where.push(eq(modelArtifacts.kind, f.kind));
  if (f.sportId !== undefined) where.push(eq(modelArtifacts.sportId, f.sportId));
  if (f.competitionId !== undefined) where.push(eq(modelArtifacts.competitionId, f.competitionId));
  if (f.currentOnly) {
    // Newest per (competition, kind): no later artifact of the same scope exists.
    where.push(sql`not exists (select 1 from ${modelArtifacts} newer where newer.competition_id = ${modelArtifacts.competitionId}
      and newer.kind = ${modelArtifacts.kind} and (newer.created_at, newer.id) > (${modelArtifacts.createdAt}, ${modelArtifacts.id}))`);
  }
  return where.length > 0 ? and(...where) : undefined;
}

export async function findArtifacts(db: Executor, f: ArtifactFilter, page: { limit: number; offset: number }): Promise<{ rows: ArtifactWithScope[]; total: number }> {
  const where = artifactWhere(f);
  const rows = await db
    .select(artifactCols)
    .from(modelArtifacts)
    .innerJoin(competitions, eq(competitions.id, modelArtifacts.competitionId))
    .innerJoin(sports, eq(sports.id, modelArtifacts.sportId))
    .where(where)
    .orderBy(desc(modelArtifacts.createdAt), desc(modelArtifacts.id))
    .limit(page.limit)
    .offset(page.offset);
  const [t] = await db.select({ n: count() }).from(modelArtifacts).where(where);
  return { rows, total: Number(t?.n ?? 0) };
}
