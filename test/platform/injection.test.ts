// SQL injection through every filter of every list route in the OpenAPI document (and
// every path parameter, and the sign-in bodies): nothing may change in the database,
// nothing may leak (credentials, SQL errors), and no payload may widen a result.
import { getTableName, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import * as schema from '../../src/db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createFactories } from '../helpers/factories.js';
import { PASSWORD, signUpAdmin } from '../auth/helpers.js';

const TAUTOLOGIES = [`' OR '1'='1`, `' OR 1=1 --`, `1 OR 1=1`, `x') OR ('1'='1`, `" OR ""="`, `%' OR '%'='`, `1/**/OR/**/1=1`];
// LIKE wildcards are not tautologies here: name searches fold punctuation away, so a search
// for "%" is a blank search (every row) by design, which is not an injection.
const OTHERS = [
  `%`,
  `_`,
  `*`,
  `1; DROP TABLE users; --`,
  `'; DROP TABLE matches; --`,
  `' UNION SELECT email, password_hash FROM users --`,
  `1 UNION SELECT NULL, NULL --`,
  `' || (SELECT password_hash FROM users LIMIT 1) || '`,
  `1' AND (SELECT COUNT(*) FROM users) > 0 --`,
  `'; UPDATE users SET role='admin'; --`,
  `'; INSERT INTO api_keys (user_id, name, prefix, key_hash) VALUES (1,'x','x','x'); --`,
  `$$; DROP TABLE teams; $$`,
  `\\'; SELECT pg_sleep(2); --`,
  `'; COPY users TO '/tmp/x'; --`,
  `admin'--`,
  `1e1`,
  `-1`,
  `0x1`,
  `Newell's Old Boys`,
];
// What a leak would look like: stored credentials, or the database talking about SQL.
const LEAK = /\$argon2id\$|password_hash|key_hash|syntax error|unterminated|invalid input syntax|relation ".*" does not exist|pg_catalog|information_schema|DrizzleQueryError|at character \d+/i;

let t: TestApp;
let adminEmail: string;

/** The response with every echo of the caller's own input removed (validation errors quote it). */
function withoutEcho(body: string, payload: string): string {
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body));
  } catch {
    // not JSON (text responses): searched as is
  }
  for (const echo of [JSON.stringify(JSON.stringify(payload).slice(1, -1)).slice(1, -1), JSON.stringify(payload).slice(1, -1)]) text = text.split(echo).join('');
  return text;
}

interface ListRoute {
  path: string;
  filters: string[];
}
let routes: ListRoute[] = [];

async function fingerprint(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of Object.values(schema)) {
    if (typeof table !== 'object' || table === null || !(Symbol.for('drizzle:IsDrizzleTable') in table)) continue;
    const name = getTableName(table as Parameters<typeof getTableName>[0]);
    const [row] = await queryRows<{ n: number; h: string | null }>(t.database.db, sql`select count(*)::int as n, md5(string_agg(t::text, ',' order by t::text)) as h from ${sql.identifier(name)} t`);
    out[name] = row;
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  const f = createFactories(t.database.db);
  const lg = await f.league({ teams: ['Arsenal', 'Chelsea', "Newell's Old Boys", 'Málaga CF'] });
  await lg.play('Arsenal', 'Chelsea', 2, 1, '2024-01-06');
  await lg.play("Newell's Old Boys", 'Málaga CF', 0, 0, '2024-01-13');
  await lg.play('Chelsea', 'Málaga CF', null, null, '2024-03-20');
  for (const [name, team] of [
    ['Bukayo Saka', 'Arsenal'],
    ['Cole Palmer', 'Chelsea'],
    ["Ignacio O'Neill", "Newell's Old Boys"],
  ] as const) {
    const p = await f.player({ name });
    await f.spell({ playerId: p.id, teamId: lg.team(team).id });
  }
  adminEmail = `secret.admin.${process.pid}@example.com`;
  await signUpAdmin(t, adminEmail);
  const doc = t.app.swagger() as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
  routes = Object.entries(doc.paths)
    .filter(([, ops]) => ops.get)
    .map(([path, ops]) => ({
      path,
      filters: (ops.get!.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path').map((p) => `${p.in}:${p.name}`),
    }))
    .filter((r) => r.filters.length > 0);
});
afterAll(async () => {
  await t.close();
});

function urlFor(path: string, pathValues: Record<string, string>, query: Record<string, string>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(pathValues[name] ?? '1'));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${filled}?${qs}` : filled;
}

describe('SQL injection', () => {
  it('covers the list routes that exist', () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/matches', '/api/v1/teams', '/api/v1/players/search']));
  });

  it('in every filter and path parameter changes nothing, leaks nothing and widens nothing', async () => {
    const before = await fingerprint();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['users', 'api_keys', 'refresh_tokens', 'matches', 'teams']));
    expect(before.users).toMatchObject({ n: 1 });
    const problems: string[] = [];
    for (const route of routes) {
      const baseline = await t.app.inject({ method: 'GET', url: urlFor(route.path, {}, {}) });
      const baselineTotal = baseline.statusCode === 200 ? (baseline.json() as { total?: number }).total : undefined;
      for (const filter of route.filters) {
        const [where, name] = filter.split(':') as ['query' | 'path', string];
        for (const payload of [...TAUTOLOGIES, ...OTHERS]) {
          const url = where === 'path' ? urlFor(route.path, { [name]: payload }, {}) : urlFor(route.path, {}, { [name]: payload });
          const res = await t.app.inject({ method: 'GET', url });
          const what = `GET ${url} → ${res.statusCode}`;
          if (res.statusCode >= 500) problems.push(`${what}: ${res.body.slice(0, 200)}`);
          const own = withoutEcho(res.body, payload);
          if (LEAK.test(own) || own.includes(adminEmail)) problems.push(`${what} leaks: ${res.body.slice(0, 200)}`);
          const total = res.statusCode === 200 ? (res.json() as { total?: number }).total : undefined;
          if (TAUTOLOGIES.includes(payload) && total !== undefined && baselineTotal !== undefined && baselineTotal > 1 && total >= baselineTotal) {
            problems.push(`${what} returned all ${total} rows`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });

  it('in sign-in and sign-up bodies gets nobody in and creates nobody', async () => {
    const before = await fingerprint();
    for (const payload of [...TAUTOLOGIES, ...OTHERS]) {
      for (const email of [payload, `${payload}@example.com`, `${adminEmail}' --`, `${adminEmail}'; --`]) {
        const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: payload } });
        expect(login.statusCode, email).not.toBe(200);
        expect(login.statusCode, email).toBeLessThan(500);
        expect(withoutEcho(login.body, email)).not.toMatch(LEAK);
      }
      const reg = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: payload, password: PASSWORD } });
      expect(reg.statusCode, payload).toBe(400);
    }
    expect(await fingerprint()).toEqual(before);
  });
});
