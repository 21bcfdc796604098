// The model registry as the API shows it: seed 001's GET /models/info (extended to every
// model: one entry per kind and competition, the newest artifact), the artifact list, and
// one artifact with its parameters.
import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { competitions, modelArtifacts, sports, type ArtifactKind } from '../../db/schema/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { Page, PaginationQuery, pageOf, versionField } from '../../platform/schemas.js';
import { competitionFilter, resolveSport } from '../catalog/resolve.js';
import { PlayerModelInfo, PlayerPropsSupport, playerModelsInfo } from '../props/info.js';
import { artifactCols, findArtifacts, type ArtifactWithScope } from './repository-artifacts.js';
import { ArtifactKind as ModelKindSchema } from './schemas.js';
import type { PredictionDeps } from './training.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

export const ModelArtifact = Type.Object(
  {
    model_version: Type.String({ description: 'The artifact version predictions record' }),
    kind: ModelKindSchema,
    sport: Type.String(),
    competition: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
    training_window: Type.Object({
      from: Nullable(Type.String({ format: 'date' })),
      to: Nullable(Type.String({ format: 'date' })),
      data_cutoff: Type.String({ format: 'date', description: 'Only results dated before this day were used' }),
    }),
    n_matches: Type.Integer(),
    n_teams: Type.Integer(),
    diagnostics: Json,
    metrics: Type.Record(Type.String(), Type.Unknown(), { description: 'Walk-forward backtest over the two years before the cut-off' }),
    trigger: Type.String(),
    fit_ms: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
  },
  { title: 'ModelArtifact' },
);

export const ModelArtifactDetail = Type.Composite([ModelArtifact, Type.Object({ parameters: Json, ...versionField })], { title: 'ModelArtifactDetail' });

export const ModelInfo = Type.Object(
  {
    version: Type.String(),
    kind: ModelKindSchema,
    sport: Type.String(),
    competition: Type.String(),
    loaded_at: Type.String({ format: 'date-time' }),
    training_date: Type.String({ format: 'date' }),
    training_window: ModelArtifact.properties.training_window,
    n_matches: Type.Integer(),
    n_teams: Type.Integer(),
    performance: Json,
    convergence: Type.String({ description: 'converged | not_converged' }),
    diagnostics: Json,
  },
  { title: 'ModelInfo' },
);

export const ModelsInfoResponse = Type.Object(
  {
    // PlayerModelInfo first: a player-model entry must not be serialised as a match model.
    models: Type.Record(Type.String(), Type.Union([PlayerModelInfo, ModelInfo]), {
      description: 'kind:competition → model; match models (elo, dixon-coles, margin, ensemble) and player models (props-tier1, props-tier2, props-ensemble)',
    }),
    player_props: PlayerPropsSupport,
    ...versionField,
  },
  { title: 'ModelsInfo' },
);

export const ModelListQuery = Type.Composite([
  PaginationQuery,
  Type.Object({
    kind: Type.Optional(ModelKindSchema),
    sport: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    competition: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    current: Type.Boolean({ default: true, description: 'Only the newest artifact of each kind and competition' }),
  }),
]);

export const ModelPage = Page(ModelArtifact, 'ModelArtifactPage');

function artifactView(r: ArtifactWithScope): Static<typeof ModelArtifact> {
  const a = r.artifact;
  return {
    model_version: a.version,
    kind: a.kind,
    sport: r.sport,
    competition: { id: a.competitionId, code: r.competitionCode, name: r.competitionName },
    training_window: { from: a.windowFrom, to: a.windowTo, data_cutoff: a.dataCutoff },
    n_matches: a.matchCount,
    n_teams: a.teamCount,
    diagnostics: a.diagnostics,
    metrics: a.metrics,
    trigger: a.trigger,
    fit_ms: a.fitMs,
    created_at: a.createdAt.toISOString(),
  };
}

export function createRegistryService(deps: PredictionDeps) {
  const { db } = deps;
  return {
    async info(): Promise<Static<typeof ModelsInfoResponse>> {
      const { rows } = await findArtifacts(db, { currentOnly: true }, { limit: 5000, offset: 0 });
      const models: Record<string, Static<typeof ModelInfo>> = {};
      for (const r of rows) {
        if (r.artifact.kind === 'props-ensemble') continue;
        const v = artifactView(r);
        const converged = r.artifact.diagnostics.converged;
        models[`${v.kind}:${v.competition.code}`] = {
          version: v.model_version,
          kind: v.kind,
          sport: v.sport,
          competition: v.competition.code,
          loaded_at: v.created_at,
          training_date: v.created_at.slice(0, 10),
          training_window: v.training_window,
          n_matches: v.n_matches,
          n_teams: v.n_teams,
          performance: v.metrics,
          convergence: converged === false ? 'not_converged' : 'converged',
          diagnostics: v.diagnostics,
        };
      }
      const players = await playerModelsInfo(db, rows);
      return { models: { ...models, ...players.models }, player_props: players.support, version: 'v1' };
    },

    async list(q: Static<typeof ModelListQuery>) {
      const filter: { kind?: ArtifactKind; sportId?: number; competitionId?: number; currentOnly: boolean } = { currentOnly: q.current };
      if (q.kind) filter.kind = q.kind;
      if (q.sport !== undefined) {
        const s = await resolveSport(db, q.sport);
        if (s.id === null) return pageOf([], 0, q);
        filter.sportId = s.id;
      }
      if (q.competition !== undefined) filter.competitionId = (await competitionFilter(db, q.competition)).id;
      const { rows, total } = await findArtifacts(db, filter, { limit: q.page_size, offset: (q.page - 1) * q.page_size });
      return pageOf(rows.map(artifactView), total, q);
    },

    async detail(version: string): Promise<Static<typeof ModelArtifactDetail>> {
      const [row] = await db
        .select(artifactCols)
        .from(modelArtifacts)
        .innerJoin(competitions, eq(competitions.id, modelArtifacts.competitionId))
        .innerJoin(sports, eq(sports.id, modelArtifacts.sportId))
        .where(eq(modelArtifacts.version, version))
        .limit(1);
      if (!row) throw new NotFoundError('model', version);
      return { ...artifactView(row), parameters: row.artifact.parameters, version: 'v1' as const };
    },
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
