// Tampered and foreign credentials: every one must be refused with 401 in the error shape.
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokens, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/platform/auth/tokens.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectErrorShape, signUp, type Session } from './helpers.js';

const SECRET = 'test-signing-secret-of-at-least-32-bytes!!';
let t: TestApp;
let other: TestApp;
let s: Session;

beforeAll(async () => {
  t = await createTestApp({ config: { jwtSecret: SECRET } });
  other = await createTestApp({ config: { jwtSecret: 'a-different-secret-for-another-deployment' } });
  s = await signUp(t);
});
afterAll(async () => {
  await t.close();
  await other.close();
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function me(token: string) {
  return t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
}

async function expectRefused(token: string, message?: RegExp) {
  const res = await me(token);
  expect(res.statusCode).toBe(401);
  expectErrorShape(res.json(), 'Unauthorized');
  if (message) expect(res.json().message).toMatch(message);
}

describe('access tokens', () => {
  it('accepts the genuine token (the control case)', async () => {
    expect((await me(s.access)).statusCode).toBe(200);
  });

  it('refuses a token with a wrong signature', async () => {
    const [h, p, sig] = s.access.split('.');
    // change the last bytes of the signature, keeping it valid base64url
    const flipped = `${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectRefused(`${h}.${p}.${flipped}`, /Invalid access token/);
  });

  it('refuses a payload edited to claim admin', async () => {
    const [h, , sig] = s.access.split('.');
    const claims = decodeJwt(s.access);
    await expectRefused(`${h}.${b64({ ...claims, role: 'admin', sub: '1' })}.${sig}`);
  });

  it('refuses alg "none" (unsigned) tokens', async () => {
    const claims = decodeJwt(s.access);
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
    await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}`);
  });

  it('refuses another algorithm even with the right secret (HS512)', async () => {
    const claims = decodeJwt(s.access);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET));
    await expectRefused(token);
  });

  it("refuses another deployment's token (another signing key)", async () => {
    const foreign = await signUp(other);
    await expectRefused(foreign.access);
  });

  it('refuses a token for another issuer or audience signed with our key', async () => {
    const key = new TextEncoder().encode(SECRET);
    const claims = decodeJwt(s.access);
    const wrongAud = await new SignJWT({ ...claims, aud: 'someone-else' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const wrongIss = await new SignJWT({ ...claims, iss: 'someone-else' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    await expectRefused(wrongAud);
    await expectRefused(wrongIss);
  });

  it('refuses an expired token and says so', async () => {
    t.clock.set(new Date(Date.parse('2024-03-15T12:00:00Z') + 15 * 60_000 + 1_000));
    try {
      await expectRefused(s.access, /expired/);
    } finally {
      t.clock.set('2024-03-15T12:00:00Z');
    }
  });

  it('refuses a refresh token or an API-key-shaped string sent as a bearer token', async () => {
    await expectRefused(s.refresh);
    await expectRefused(`shl_abcdefgh_${'x'.repeat(43)}`, /Invalid API key/);
  });

  it('refuses other authorization schemes and junk', async () => {
    for (const authorization of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer a.b.c', 'Token abc', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
      expect(res.statusCode, authorization.slice(0, 20)).toBe(401);
      expectErrorShape(res.json(), 'Unauthorized');
    }
  });

  it('refuses bad credentials on public routes too, rather than treating the caller as anonymous', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { authorization: 'Bearer not-a-token' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('createAccessTokens (unit)', () => {
  it('round-trips claims and pins expiry to the injected clock', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    const tokens = createAccessTokens({ secret: SECRET, clock, ttlSeconds: 900 });
    const { token, expiresAt } = await tokens.sign({ userId: 7, role: 'admin', sessionId: 'fam-1' });
    expect(expiresAt.toISOString()).toBe('2030-01-01T00:15:00.000Z');
    expect(decodeJwt(token)).toMatchObject({ sub: '7', role: 'admin', sid: 'fam-1', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });
    expect(await tokens.verify(token)).toEqual({ userId: 7, role: 'admin', sessionId: 'fam-1' });
    clock.set('2030-01-01T00:14:59Z');
    await expect(tokens.verify(token)).resolves.toBeTruthy();
    clock.set('2030-01-01T00:15:01Z');
    await expect(tokens.verify(token)).rejects.toThrow(/expired/);
  });

  it('refuses well-signed tokens with impossible claims', async () => {
    const clock = fixedClock('2030-01-01T00:00:00Z');
    const tokens = createAccessTokens({ secret: SECRET, clock, ttlSeconds: 900 });
    const key = new TextEncoder().encode(SECRET);
    const base = () => new SignJWT({ sid: 'x' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt(1893456000).setExpirationTime(1893456900);
    await expect(tokens.verify(await base().setSubject('7').sign(key))).rejects.toThrow(/Invalid/); // no role
    await expect(tokens.verify(await new SignJWT({ sid: 'x', role: 'root' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt(1893456000).setExpirationTime(1893456900).setSubject('7').sign(key))).rejects.toThrow(/Invalid/);
    await expect(tokens.verify(await new SignJWT({ sid: 'x', role: 'user' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setIssuedAt(1893456000).setExpirationTime(1893456900).setSubject('abc').sign(key))).rejects.toThrow(/Invalid/);
  });
});
