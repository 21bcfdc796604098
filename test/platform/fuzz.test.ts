// Property tests over every public route in the OpenAPI document: random strings, numbers,
// unicode, repeated and nested keys in query strings and path parameters, random JSON
// (deeply nested, wrong types), malformed JSON and form bodies. The service must never
// answer 5xx, and every error must have the public error shape.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';
import { signUp, type Session } from '../auth/helpers.js';
import { registerAnalysisJob } from '../../src/modules/analysis/job.js';

// A fixed seed keeps CI reproducible; FUZZ_SEED=<n> explores other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261125) });

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  query: string[];
  hasBody: boolean;
  secured: boolean;
}

let t: TestApp;
let ops: Operation[] = [];
let user: Session;

beforeAll(async () => {
  t = await createTestApp();
  // Some real rows, so filters and joins run against data rather than empty tables.
  const f = createFactories(t.database.db);
  const lg = await f.league({ teams: ['Arsenal', 'Chelsea', 'Málaga CF'] });
  await lg.play('Arsenal', 'Chelsea', 2, 1, '2024-01-06');
  await lg.play('Málaga CF', 'Arsenal', 0, 0, '2024-01-13');
  user = await signUp(t);
  // A queue that accepts jobs (no worker takes them), so routes that enqueue answer 202, not 503.
  registerAnalysisJob(t.jobs, { database: t.database, clock: t.clock, config: t.config });
  await t.jobs.start({ work: false });
  const doc = t.app.swagger() as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; security?: unknown }>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      hasBody: op.requestBody !== undefined,
      secured: op.security !== undefined,
    })),
  );
});
afterAll(async () => {
  await t.close();
});

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', "'", '"', '\\', '%', '%zz', '%00', '\u0000', '../../etc/passwd', 'null', 'undefined', 'NaN', '-0', '1e309', '[]', '{}', 'true', '2024-02-30', '9999-99-99', 'ñandú', '🏟️⚽'),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double().map(String),
);

/** A query string from declared names (so validation is reached) and random ones, repeated and nested. */
function queryArb(declared: string[]) {
  const name = declared.length > 0 ? fc.oneof(fc.constantFrom(...declared), fc.string({ minLength: 1, maxLength: 12 })) : fc.string({ minLength: 1, maxLength: 12 });
  const pair = fc.tuple(
    fc.oneof(name, name.map((n) => `${n}[${'x'}]`), name.map((n) => `${n}[]`), name.map((n) => `${n}[a][b][c]`)),
    junkString,
    fc.boolean(),
  );
  return fc.array(pair, { maxLength: 8 }).map((pairs) =>
    pairs
      .map(([k, v, raw]) => {
        // Mostly well-encoded; sometimes a raw token a sloppy client would send.
        const value = raw && /^[\w%.[\]-]*$/.test(v) ? v : encodeURIComponent(v);
        return `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${value}`;
      })
      .join('&'),
  );
}

const pathValue = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.integer().map(String),
  fc.constantFrom('0', '1', '2147483647', '2147483648', '99999999999999999999', '1.5', '-1', '1e3', '0x10', 'abc', '%20', 'null'),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
);

// Depth-bounded random JSON: objects, arrays, strings, numbers, booleans, null.
const jsonArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    junkString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('email', 'password', 'refresh_token', 'keys', 'pattern', 'name', 'format', 'inputs', 'role', '__proto__', 'constructor')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const bodyArb = fc.oneof(
  jsonArb.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' })),
  fc.string({ maxLength: 60 }).map((s) => ({ contentType: 'application/json', payload: `{${s}` })),
  fc.dictionary(fc.string({ maxLength: 10 }), junkString, { maxKeys: 5 }).map((d) => ({
    contentType: 'application/x-www-form-urlencoded',
    payload: new URLSearchParams(d).toString(),
  })),
  junkString.map((s) => ({ contentType: 'text/plain', payload: s })),
);

function checkResponse(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  if (res.statusCode >= 500) throw new Error(`${what} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  // The live page (/live/{token}) is for people: its "link not found" is an HTML page.
  const isPage = what.startsWith('GET /live/') && String(res.headers['content-type']).startsWith('text/html');
  if (res.statusCode >= 400 && !isPage) {
    const body = JSON.parse(res.body) as Record<string, unknown>;
    for (const k of ['error', 'message', 'timestamp', 'request_id']) {
      if (typeof body[k] !== 'string') throw new Error(`${what} → ${res.statusCode} without '${k}': ${res.body.slice(0, 300)}`);
    }
  }
}

const fill = (path: string, values: string[]) => {
  let i = 0;
  return path.replace(/\{[^}]+\}/g, () => values[i++] ?? '1');
};

describe('random input never breaks a public route', () => {
  it('found the routes to fuzz', () => {
    expect(ops.filter((o) => o.method === 'GET').length).toBeGreaterThan(10);
    expect(ops.some((o) => o.path === '/api/v1/auth/login')).toBe(true);
  });

  it('query strings and path parameters', async () => {
    for (const op of ops.filter((o) => o.method === 'GET' && o.path !== '/metrics')) {
      await fc.assert(
        fc.asyncProperty(queryArb(op.query), fc.array(pathValue, { minLength: 3, maxLength: 3 }), fc.boolean(), async (qs, params, signedIn) => {
          const url = `${fill(op.path, params)}${qs ? `?${qs}` : ''}`;
          const res = await t.app.inject({ method: 'GET', url, headers: signedIn ? user.bearer : {} });
          checkResponse(res, `GET ${url}`);
        }),
        { numRuns: 30 },
      );
    }
  });

  it('bodies, malformed JSON and wrong content types', async () => {
    // Logout would end the fuzzing session; it gets its own anonymous pass below.
    for (const op of ops.filter((o) => o.hasBody || o.method !== 'GET')) {
      await fc.assert(
        fc.asyncProperty(bodyArb, fc.array(pathValue, { minLength: 3, maxLength: 3 }), fc.boolean(), async (body, params, signedIn) => {
          const url = fill(op.path, params);
          const auth = signedIn && !op.path.endsWith('/logout') ? user.bearer : {};
          const res = await t.app.inject({ method: op.method, url, headers: { ...auth, 'content-type': body.contentType }, payload: body.payload });
          checkResponse(res, `${op.method} ${url} ${body.contentType} ${body.payload.slice(0, 80)}`);
        }),
        { numRuns: 25 },
      );
    }
  });

  it('headers: random credentials and request ids', async () => {
    await fc.assert(
      fc.asyncProperty(junkString, junkString, fc.constantFrom('authorization', 'x-api-key', 'x-request-id'), async (a, b, header) => {
        const value = `${a}${b}`.replace(/[^\t\x20-\x7e]/g, '');
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/matches', headers: { [header]: value } });
        checkResponse(res, `${header}: ${value}`);
      }),
      { numRuns: 150 },
    );
  });
});
