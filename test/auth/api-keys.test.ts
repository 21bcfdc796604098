import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../src/db/schema/auth.js';
import { sha256Hex } from '../../src/platform/auth/tokens.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectErrorShape, signUp, signUpAdmin, type Session } from './helpers.js';

let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t);
});
afterAll(async () => {
  await t.close();
});

async function createKey(s: Session, payload: object = { name: 'laptop' }) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: s.bearer, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; key: string; prefix: string; name: string; expires_at: string | null };
}

const meWith = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });

describe('API keys', () => {
  it('shows a new key once, stores only its digest, and never lists it again', async () => {
    const created = await createKey(owner, { name: 'scraper' });
    expect(created.key).toMatch(/^shl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`shl_${created.prefix}_`)).toBe(true);
    const [row] = await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.keyHash).toBe(sha256Hex(created.key));
    // The secret is everything after `shl_<prefix>_` (it may itself contain '_').
    const secret = created.key.slice(`shl_${created.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: owner.bearer });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.key);
    expect(list.json().items.find((k: { id: number }) => k.id === created.id)).toMatchObject({ name: 'scraper', prefix: created.prefix, revoked_at: null });
  });

  it('authenticates with Authorization: Bearer and with X-API-Key', async () => {
    const { key } = await createKey(owner);
    const variants: Record<string, string>[] = [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }];
    for (const headers of variants) {
      const res = await meWith(headers);
      expect(res.statusCode).toBe(200);
      expect(res.json().id).toBe(owner.userId);
    }
  });

  it('records when a key was last used', async () => {
    const { id, key } = await createKey(owner);
    await meWith({ 'x-api-key': key });
    const [row] = await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row!.lastUsedAt?.toISOString()).toBe('2024-03-15T12:00:00.000Z');
  });

  it('refuses a key with one character changed, and unknown keys', async () => {
    const { key } = await createKey(owner);
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    for (const bad of [`${key.slice(0, -1)}${last}`, `shl_zzzzzzzz_${'a'.repeat(43)}`, 'shl_short']) {
      const res = await meWith({ 'x-api-key': bad });
      expect(res.statusCode).toBe(401);
      expectErrorShape(res.json(), 'Unauthorized');
    }
  });

  it('stops a revoked key at once', async () => {
    const { id, key } = await createKey(owner);
    expect((await meWith({ 'x-api-key': key })).statusCode).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: owner.bearer });
    expect(del.statusCode).toBe(200);
    expect(del.json().revoked_at).toBe('2024-03-15T12:00:00.000Z');
    const res = await meWith({ 'x-api-key': key });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/revoked/);
  });

  it('expires keys created with a lifetime', async () => {
    const { key, expires_at } = await createKey(owner, { name: 'short-lived', expires_in_days: 1 });
    expect(expires_at).toBe('2024-03-16T12:00:00.000Z');
    t.clock.set('2024-03-16T12:00:01Z');
    try {
      expect((await meWith({ 'x-api-key': key })).json().message).toMatch(/expired/);
    } finally {
      t.clock.set('2024-03-15T12:00:00Z');
    }
  });

  it("does not let a key mint keys, nor one user see or revoke another's keys", async () => {
    const { key } = await createKey(owner);
    const minted = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { 'x-api-key': key }, payload: { name: 'x' } });
    expect(minted.statusCode).toBe(403);
    expectErrorShape(minted.json(), 'Forbidden');
    const stranger = await signUp(t);
    const theirs = await createKey(stranger);
    const steal = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${theirs.id}`, headers: owner.bearer });
    expect(steal.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: owner.bearer });
    expect(list.json().items.some((k: { id: number }) => k.id === theirs.id)).toBe(false);
    expect((await meWith({ 'x-api-key': theirs.key })).statusCode).toBe(200);
  });

  it("carries its owner's role: an admin's key passes admin routes, a user's key gets 403", async () => {
    const admin = await signUpAdmin(t);
    const adminKey = await createKey(admin);
    const userKey = await createKey(owner);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: { 'x-api-key': adminKey.key } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/users', headers: { 'x-api-key': userKey.key } });
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'Forbidden');
  });

  it('validates names and lifetimes', async () => {
    for (const payload of [{}, { name: '' }, { name: 'x', expires_in_days: 0 }, { name: 'x'.repeat(101) }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: owner.bearer, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expectErrorShape(res.json(), 'ValidationError');
    }
  });
});
