// A player ruled out by his injury status (what the API-Football connector sets) leaves the
// match's props: no prediction, listed with the reason; asking for him is a 422 saying why.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { players } from '../../src/db/schema/index.js';
import { bumpDataVersion } from '../../src/modules/props/state.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { seedPropsLeague, type PropsLeague } from './fixture.js';

let t: TestApp;
let L: PropsLeague;
beforeAll(async () => {
  t = await createTestApp({ now: '2024-03-15T12:00:00Z', config: { cacheResponses: false } });
  L = await seedPropsLeague(t.database.db);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });
const setStatus = async (playerId: number, status: string, note: string | null) => {
  await t.database.db.update(players).set({ injuryStatus: status, injuryNote: note, injurySource: 'api-football' }).where(eq(players.id, playerId));
  await bumpDataVersion(t.database.db); // what a committed sync does (src/data-changes.ts)
};

describe('ruled-out players and props', () => {
  it('leaves an injured player out of the match with the reason, refuses him with a 422, and takes him back when fit', async () => {
    const fwd = L.players['Ajax.fwd']!.id;
    const before = (await post('/predict/match', { match_id: L.upcoming.id })).json();
    expect(before.predictions.map((p: { player_id: number }) => p.player_id)).toContain(fwd);
    expect(before.excluded_players).toEqual([]);

    await setStatus(fwd, 'injured', 'Knee Injury');
    const res = await post('/predict/match', { match_id: L.upcoming.id });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.predictions.map((p: { player_id: number }) => p.player_id)).not.toContain(fwd);
    expect(body.predictions).toHaveLength(before.predictions.length - 1);
    expect(body.excluded_players).toEqual([{ player_id: fwd, player_name: 'Ajax fwd', team: 'Ajax', injury_status: 'injured', reason: 'injured: Knee Injury' }]);

    const one = await post('/predict/player', { player_id: fwd, match_id: L.upcoming.id });
    expect(one.statusCode).toBe(422);
    expect(one.json().message).toMatch(/is ruled out of match \d+ \(Ajax v Benfica\): injured: Knee Injury/);
    expect(one.json().details).toMatchObject({ injury_status: 'injured', reason: 'injured: Knee Injury' });
    const leg = await post('/predict/parlay', { match_id: L.upcoming.id, legs: [{ player_id: fwd, prop: 'goals' }] });
    expect(leg.statusCode).toBe(422);
    expect(leg.json().message).toMatch(/ruled out .*injured: Knee Injury/);

    // Doubtful is not ruled out: he stays in.
    await setStatus(fwd, 'doubtful', 'Hamstring');
    expect((await post('/predict/player', { player_id: fwd, match_id: L.upcoming.id })).statusCode).toBe(200);
    await setStatus(fwd, 'available', null);
    expect((await post('/predict/match', { match_id: L.upcoming.id })).json().excluded_players).toEqual([]);
  });
});
