// Schema building blocks shared by every route: pagination, list envelopes, error responses.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ErrorBody } from './errors.js';

export const MAX_PAGE_SIZE = 200;

export const PaginationQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: '1-based page number' }),
  page_size: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: `Items per page (1..${MAX_PAGE_SIZE})` }),
});
export type PaginationQuery = Static<typeof PaginationQuery>;

/** `{items, total, page, page_size, version}` around an item schema. */
export function Page<T extends TSchema>(item: T, title?: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ minimum: 0 }),
      page: Type.Integer({ minimum: 1 }),
      page_size: Type.Integer({ minimum: 1 }),
      next: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Cursor for the next page (pass as `cursor`); null on the last page. Lists that page by key only.' })),
      total_source: Type.Optional(Type.Union([Type.Literal('counted'), Type.Literal('cached')], { description: 'Whether `total` was counted for this request or read from the count cache (exact either way: a data change drops it)' })),
      version: Type.Literal('v1'),
    },
    title ? { title } : {},
  );
}

/** Spread into an object schema: every JSON object response carries `version`. */
export const versionField = { version: Type.Literal('v1') };

/** A database id (PostgreSQL integer): larger values are a 400, never a 500 from the driver. */
export const DbId = (opts: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...opts });

export const IdParams = Type.Object({ id: DbId() });
export type IdParams = Static<typeof IdParams>;

export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** The error responses a read route can give. */
export const readErrors = { 400: ErrorBody, 404: ErrorBody, 500: ErrorBody, 503: ErrorBody };

export function pageOf<T>(items: T[], total: number, q: PaginationQuery) {
  return { items, total, page: q.page, page_size: q.page_size, version: 'v1' as const };
}
