import { parseOptions } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { refreshTokens, users } from '../../src/db/schema/auth.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectErrorShape, PASSWORD, signIn, signUp, signUpAdmin, uniqueEmail } from './helpers.js';

let t: TestApp;
const START = '2024-03-15T12:00:00Z';
beforeAll(async () => {
  const throttle = loadConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '6', LOGIN_THROTTLE_WINDOW_SECONDS: '600' }).loginThrottle;
  t = await createTestApp({ now: START, config: { loginThrottle: throttle } });
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, ...(payload ? { payload } : {}), headers });

describe('registration', () => {
  it('creates an account with a normalised e-mail and an argon2id hash, never echoing the password', async () => {
    const res = await post('/api/v1/auth/register', { email: '  Ana.Lopez@Example.COM ', password: PASSWORD, display_name: 'Ana' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ email: 'ana.lopez@example.com', role: 'user', display_name: 'Ana', disabled: false, version: 'v1' });
    expect(res.body).not.toContain(PASSWORD);
    expect(res.body).not.toContain('argon2');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, body.id));
    expect(row!.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(parseOptions(row!.passwordHash)).toMatchObject({ algorithm: 2, memoryCost: 19456, timeCost: 2 });
  });

  it('refuses a second account for the same mailbox in another case', async () => {
    const res = await post('/api/v1/auth/register', { email: 'ANA.LOPEZ@example.com', password: PASSWORD });
    expect(res.statusCode).toBe(409);
    expectErrorShape(res.json(), 'Conflict');
  });

  it.each([
    ['short', 'short1', 'at least 10 characters'],
    ['common', 'password123', 'too common'],
    ['repetitive', 'aaaaaaaaaaaaaaab', 'at least 5 different characters'],
    ['contains the e-mail name', 'xx-marcopolo-xx', 'e-mail name'],
  ])('applies the password policy: %s', async (_label, password, reason) => {
    const res = await post('/api/v1/auth/register', { email: 'marcopolo@example.com', password });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expectErrorShape(body, 'ValidationError');
    expect(body.field).toBe('password');
    expect(body.message).toContain(reason);
  });

  it('rejects addresses that are not e-mail addresses', async () => {
    for (const email of ['no-at-sign', 'a@b', 'two@@example.com', 'sp ace@example.com']) {
      const res = await post('/api/v1/auth/register', { email, password: PASSWORD });
      expect(res.statusCode, email).toBe(400);
      expect(res.json().field).toBe('email');
    }
  });
});

describe('sign-in', () => {
  it('accepts JSON and the OAuth2 password form (seed 002 path with a trailing slash)', async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const json = await post('/api/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');
    expect(json.json()).toMatchObject({ token_type: 'bearer', expires_in: 900, refresh_expires_in: 30 * 86_400, user: { email }, version: 'v1' });

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD }).toString(),
    });
    expect(form.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${form.json().access_token}` } });
    expect(me.json()).toMatchObject({ email, last_login_at: START.replace('Z', '.000Z') });
  });

  it('answers a wrong password and an unknown account identically', async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const wrong = await post('/api/v1/auth/login', { email, password: 'not the password at all' }, {});
    const unknown = await post('/api/v1/auth/login', { email: uniqueEmail('ghost'), password: PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expectErrorShape(res.json(), 'Unauthorized');
    }
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('needs a token for /me and says how to authenticate', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    expectErrorShape(res.json(), 'Unauthorized');
  });
});

describe('refresh-token rotation', () => {
  it('rotates: a refresh gives new tokens and the old refresh token stops working', async () => {
    const s = await signUp(t);
    const r1 = await post('/api/v1/auth/refresh', { refresh_token: s.refresh });
    expect(r1.statusCode).toBe(200);
    const next = r1.json();
    expect(next.refresh_token).not.toBe(s.refresh);
    expect(next.access_token).not.toBe(s.access);
    // seed 002's simplejwt path and field name work on the new token
    const r2 = await post('/api/v1/auth/token/refresh/', { refresh: next.refresh_token });
    expect(r2.statusCode).toBe(200);
    // stored hashed: the table never holds the token itself
    const rows = await t.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, s.userId));
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.tokenHash === s.refresh)).toBe(false);
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
  });

  it('treats reuse of a rotated token as theft: the whole family is revoked, including its access tokens', async () => {
    const email = uniqueEmail();
    const s = await signUp(t, email);
    const rotated = (await post('/api/v1/auth/refresh', { refresh_token: s.refresh })).json();
    const thief = await post('/api/v1/auth/refresh', { refresh_token: s.refresh });
    expect(thief.statusCode).toBe(401);
    expect(thief.json().message).toMatch(/already used/);
    // the legitimate holder's newer tokens are dead too
    const legit = await post('/api/v1/auth/refresh', { refresh_token: rotated.refresh_token });
    expect(legit.statusCode).toBe(401);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${rotated.access_token}` } });
    expect(me.statusCode).toBe(401);
    const rows = await t.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, s.userId));
    expect(rows.every((r) => r.revokedReason === 'reuse_detected')).toBe(true);
    // a fresh sign-in still works
    expect((await meOf(await signIn(t, email))).email).toBe(email);
  });

  it('rejects garbage, and refresh tokens past their lifetime', async () => {
    expect((await post('/api/v1/auth/refresh', { refresh_token: 'rt_notarealtoken' })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', {})).statusCode).toBe(400);
    const s = await signUp(t);
    t.clock.set(new Date(Date.parse(START) + 31 * 86_400_000));
    try {
      const res = await post('/api/v1/auth/refresh', { refresh_token: s.refresh });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/expired/);
    } finally {
      t.clock.set(START);
    }
  });
});

async function meOf(s: { bearer: Record<string, string> }) {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.bearer });
  if (res.statusCode !== 200) throw new Error(`me failed: ${res.body}`);
  return res.json() as { email: string; id: number };
}

describe('logout', () => {
  it("revokes the access token's session at once, and its refresh token", async () => {
    const s = await signUp(t);
    const out = await post('/api/v1/auth/logout', undefined, s.bearer);
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ status: 'signed_out', sessions_revoked: 1, version: 'v1' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refresh_token: s.refresh })).statusCode).toBe(401);
  });

  it('signs out with a refresh token alone, leaving other sessions alone', async () => {
    const email = uniqueEmail();
    const a = await signUp(t, email);
    const b = await signIn(t, email);
    expect((await post('/api/v1/auth/logout', { refresh_token: a.refresh })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/refresh', { refresh_token: a.refresh })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: b.bearer })).statusCode).toBe(200);
  });

  it('signs out everywhere with all=true', async () => {
    const email = uniqueEmail();
    const a = await signUp(t, email);
    const b = await signIn(t, email);
    const out = await post('/api/v1/auth/logout', { all: true }, a.bearer);
    expect(out.json().sessions_revoked).toBe(2);
    for (const s of [a, b]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
      expect((await post('/api/v1/auth/refresh', { refresh_token: s.refresh })).statusCode).toBe(401);
    }
  });

  it('needs something to sign out', async () => {
    const res = await post('/api/v1/auth/logout', {});
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'Unauthorized');
  });
});

describe('login throttling', () => {
  it('locks an account after 3 failures, even for the right password, until the window passes', async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    for (let i = 0; i < 3; i++) {
      expect((await post('/api/v1/auth/login', { email, password: `wrong password ${i}` })).statusCode).toBe(401);
    }
    const locked = await post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expectErrorShape(locked.json(), 'TooManyRequests');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().details).toMatchObject({ scope: 'account' });
    t.clock.set(new Date(Date.parse(START) + 601_000));
    try {
      expect((await post('/api/v1/auth/login', { email, password: PASSWORD })).statusCode).toBe(200);
    } finally {
      t.clock.set(START);
    }
  });

  it('limits failures per IP across accounts, and a success resets only the account', async () => {
    const ip = '203.0.113.9';
    const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
    const mine = uniqueEmail();
    await signUp(t, mine);
    expect((await login(mine, 'wrong password here')).statusCode).toBe(401);
    expect((await login(mine, PASSWORD)).statusCode).toBe(200); // clears the account counter
    for (let i = 0; i < 5; i++) expect((await login(uniqueEmail('spray'), `guess number ${i}`)).statusCode).toBe(401);
    const blocked = await login(mine, PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().details).toMatchObject({ scope: 'ip' });
    // another IP is not affected
    expect((await post('/api/v1/auth/login', { email: mine, password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('roles', () => {
  it('lets admins list users and refuses everyone else with 403 in the error shape', async () => {
    const user = await signUp(t);
    const admin = await signUpAdmin(t);
    const asUser = await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: user.bearer });
    expect(asUser.statusCode).toBe(403);
    expectErrorShape(asUser.json(), 'Forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/users' })).statusCode).toBe(401);
    const asAdmin = await t.app.inject({ method: 'GET', url: '/api/v1/auth/users?page_size=200', headers: admin.bearer });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json().items.some((u: { id: number }) => u.id === user.userId)).toBe(true);
  });

  it('keeps imports (server paths, URLs) for admins: 401 anonymous, 403 users, admins reach validation', async () => {
    const user = await signUp(t);
    const admin = await signUpAdmin(t);
    const body = { format: 'football-data', inputs: ['/definitely/not/here.csv'] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body })).statusCode).toBe(401);
    const asUser = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body, headers: user.bearer });
    expect(asUser.statusCode).toBe(403);
    expectErrorShape(asUser.json(), 'Forbidden');
    const asAdmin = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload: body, headers: admin.bearer });
    expect(asAdmin.statusCode).toBe(400);
    expect(asAdmin.json().field).toBe('inputs.0');
  });

  it('takes admin rights away at once on demotion, and disabling an account signs it out', async () => {
    const root = await signUpAdmin(t);
    const other = await signUpAdmin(t);
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/v1/auth/users/${other.userId}`, headers: root.bearer, payload: { role: 'user' } });
    expect(demote.statusCode).toBe(200);
    // demotion signs the account out
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: other.bearer })).statusCode).toBe(401);
    // a role changed behind the API's back: the token still says admin, the guard re-reads it
    const third = await signUpAdmin(t);
    await t.database.db.update(users).set({ role: 'user' }).where(eq(users.id, third.userId));
    const stale = await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: third.bearer });
    expect(stale.statusCode).toBe(403);
    expectErrorShape(stale.json(), 'Forbidden');
    const victim = await signUp(t);
    const disable = await t.app.inject({ method: 'PATCH', url: `/api/v1/auth/users/${victim.userId}`, headers: root.bearer, payload: { disabled: true } });
    expect(disable.json()).toMatchObject({ disabled: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: victim.bearer })).statusCode).toBe(401);
    const self = await t.app.inject({ method: 'PATCH', url: `/api/v1/auth/users/${root.userId}`, headers: root.bearer, payload: { role: 'user' } });
    expect(self.statusCode).toBe(400);
  });
});
