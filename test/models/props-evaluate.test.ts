// The props evaluation's data path: FPL fixture folders imported into a real database, read
// back by loadPropsMatches and evaluated walk-forward.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/modules/ingest/service.js';
import { evaluatePropsSeason, loadPropsMatches } from '../../src/modules/props/evaluate.js';
import { NotFoundError, ValidationError } from '../../src/platform/errors.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const fplDir = fileURLToPath(new URL('../fixtures/fpl', import.meta.url));
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await importFiles(t.database, 'fpl', [fplDir], { clock: fixedClock('2024-03-15T12:00:00Z') });
});
afterAll(async () => {
  await t.cleanup();
});

describe('props evaluation on imported FPL data', () => {
  it('loads finished matches with their player lines (cards = yellow + red)', async () => {
    const all = await loadPropsMatches(t.database);
    expect(new Set(all.map((m) => m.season))).toEqual(new Set(['2019-20', '2021-22']));
    // Unplayed and unscored fixtures are not evaluation data.
    for (const m of all) expect(Number.isInteger(m.homeGoals) && Number.isInteger(m.awayGoals)).toBe(true);
    const kane = all.flatMap((m) => m.lines).find((l) => l.goals === 1 && l.cards === 1);
    expect(kane).toMatchObject({ position: 'FWD', minutes: 90, assists: 0 });
    const opener = all.find((m) => m.lines.length > 0 && m.season === '2021-22')!;
    expect(opener.lines.every((l) => l.teamId === opener.home || l.teamId === opener.away)).toBe(true);
  });

  it('evaluates a season from earlier seasons only and reports every prop and pair', async () => {
    const all = await loadPropsMatches(t.database);
    const e = evaluatePropsSeason(all, '2021-22', { params: { draws: 2000 } });
    expect(e.seasonsUsed).toEqual(['2019-20', '2021-22']);
    expect(e.report.matches).toBe(1);
    const appeared = all.filter((m) => m.season === '2021-22').flatMap((m) => m.lines.filter((l) => l.minutes > 0)).length;
    for (const prop of ['goals', 'assists', 'cards'] as const) {
      for (const source of ['tier1', 'tier2', 'ensemble', 'positionBaseline', 'seasonBaseline'] as const) {
        const s = e.report.props[prop][source];
        expect(s.n).toBe(appeared);
        expect(s.meanPredicted).toBeGreaterThan(0);
        expect(s.meanPredicted).toBeLessThan(1);
        expect(Number.isFinite(s.logLoss)).toBe(true);
      }
    }
    expect(e.report.pairs.goal_team_win.tier1.n).toBe(appeared);
    expect(e.report.maxMonteCarloError).toBeLessThan(0.012);
  });

  it('rejects a season without player data and an unknown competition', async () => {
    const all = await loadPropsMatches(t.database);
    expect(() => evaluatePropsSeason(all, '2020-21')).toThrow(ValidationError);
    await expect(loadPropsMatches(t.database, 'no-such-league')).rejects.toThrow(NotFoundError);
  });
});
