// Shared steps for the live-tracking tests: a signed-in owner with two teams, a few
// players and a match, created through the public API.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.js';
import { signUp, type Session } from '../auth/helpers.js';

export interface LiveMatchSetup {
  owner: Session;
  matchId: number;
  homePlayers: number[];
  awayPlayers: number[];
}

export async function call(t: TestApp, s: Session | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: s ? s.bearer : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown> & { items: Record<string, unknown>[] }) : ({} as never) };
}

export async function ok<T = Record<string, unknown>>(p: Promise<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

export async function setupMatch(t: TestApp, owner?: Session): Promise<LiveMatchSetup> {
  const s = owner ?? (await signUp(t));
  const home = await ok<{ id: number }>(call(t, s, 'POST', '/api/v1/live/teams', { name: 'Riverside U11' }), 201);
  const away = await ok<{ id: number }>(call(t, s, 'POST', '/api/v1/live/teams', { name: 'Hillcrest U11', short_name: 'HIL' }), 201);
  const homePlayers: number[] = [];
  const awayPlayers: number[] = [];
  for (const [team, list, names] of [[home.id, homePlayers, ['Amy Jones', 'Ben Cole']], [away.id, awayPlayers, ['Cara Diaz', 'Dev Patel']]] as const) {
    for (const [i, name] of names.entries()) list.push((await ok<{ id: number }>(call(t, s, 'POST', `/api/v1/live/teams/${team}/players`, { name, shirt_number: i + 7 }), 201)).id);
  }
  const m = await ok<{ id: number }>(call(t, s, 'POST', '/api/v1/live/matches', { home_team_id: home.id, away_team_id: away.id, kickoff_at: '2024-03-16T10:00:00Z' }), 201);
  return { owner: s, matchId: m.id, homePlayers, awayPlayers };
}

export function goal(side: 'home' | 'away', playerId?: number, minute?: number) {
  return { id: randomUUID(), kind: 'goal', side, ...(playerId ? { player_id: playerId } : {}), ...(minute !== undefined ? { minute } : {}) };
}
