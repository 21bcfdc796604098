// Input no database can take, refused with 400 before any handler sees it (both found by
// the property tests in test/platform/fuzz.test.ts, as 500s on routes that trusted their
// schemas):
// - NUL characters anywhere in path parameters, query string or body: PostgreSQL text
//   cannot hold U+0000;
// - numbers that are not finite after validation: Ajv coerces "1e309" to Infinity and
//   lets it through `type: integer` with a `maximum`, and PostgreSQL rejects it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from './errors.js';

const MAX_DEPTH = 64;

/** Path (a.b.0) of the first string containing U+0000, or null. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return here;
    const found = findNul(v, here, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Path of the first number that is NaN or infinite, or null. */
export function findNonFinite(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '(value)';
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null;
  for (const [k, v] of Object.entries(value)) {
    const found = findNonFinite(v, path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return null;
}

const PARTS = ['params', 'query', 'body'] as const;
const WHERE = { params: 'path parameter', query: 'query parameter', body: 'body field' } as const;

/** Whether a request part has anything to look at (most GETs have no params, query or body). */
const hasContent = (v: unknown) => v !== null && v !== undefined && (typeof v !== 'object' || Object.keys(v).length > 0);

async function inputGuard(app: FastifyInstance): Promise<void> {
  // Callback style: an async hook costs every request a promise, and most have nothing to check.
  app.addHook('preValidation', (req, _reply, done) => {
    for (const part of PARTS) {
      if (!hasContent(req[part])) continue;
      const field = findNul(req[part]);
      if (field) return done(new ValidationError(`${WHERE[part]} '${field}' contains a NUL character`, field));
    }
    done();
  });
  // After validation: only then are strings coerced to numbers.
  app.addHook('preHandler', (req, _reply, done) => {
    for (const part of PARTS) {
      if (!hasContent(req[part])) continue;
      const field = findNonFinite(req[part]);
      if (field) return done(new ValidationError(`${WHERE[part]} '${field}' must be a finite number`, field));
    }
    done();
  });
}

export const inputGuardPlugin = fp(inputGuard, { name: 'sharpline-input-guard' });
