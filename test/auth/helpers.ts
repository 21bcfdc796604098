// Shared steps for the auth tests: sign up and sign in through the public routes, and make
// an admin the way an operator would (ensureAdmin is what `users create-admin` runs).
import { ensureAdmin } from '../../src/modules/auth/bootstrap.js';
import type { TestApp } from '../helpers/app.js';

export const PASSWORD = 'correct horse battery staple';

export interface Session {
  access: string;
  refresh: string;
  userId: number;
  bearer: { authorization: string };
}

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}.${process.pid}.${counter}@example.com`;
}

export async function signUp(t: TestApp, email = uniqueEmail(), password = PASSWORD): Promise<Session> {
  const reg = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password } });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.statusCode} ${reg.body}`);
  return signIn(t, email, password);
}

export async function signIn(t: TestApp, email: string, password = PASSWORD, remoteAddress?: string): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { access: body.access_token, refresh: body.refresh_token, userId: body.user.id, bearer: { authorization: `Bearer ${body.access_token}` } };
}

export async function signUpAdmin(t: TestApp, email = uniqueEmail('admin')): Promise<Session> {
  await ensureAdmin({ db: t.database.db, clock: t.clock, config: t.config }, { email, password: PASSWORD });
  return signIn(t, email);
}

/** The public error shape every failure must have. */
export function expectErrorShape(body: Record<string, unknown>, error: string): void {
  if (body.error !== error) throw new Error(`expected error ${error}, got ${JSON.stringify(body)}`);
  for (const k of ['message', 'timestamp', 'request_id']) {
    if (typeof body[k] !== 'string' || (body[k] as string).length === 0) throw new Error(`error body lacks ${k}: ${JSON.stringify(body)}`);
  }
}
