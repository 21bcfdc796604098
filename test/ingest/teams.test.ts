import { describe, expect, it } from 'vitest';
import { CURATED_TEAMS } from '../../src/modules/ingest/aliases.js';
import { curatedTeamFor, nameSimilarity, normaliseTeamName, REVIEW_SIMILARITY } from '../../src/modules/ingest/teams.js';

describe('normaliseTeamName', () => {
  it.each([
    ['Manchester United FC', 'manchester united'],
    ['Man Utd', 'man united'],
    ['Brighton & Hove Albion FC', 'brighton and hove albion'],
    ['1. FC Köln', '1 koln'],
    ['Bor. Mönchengladbach', 'bor monchengladbach'],
    ['AFC Bournemouth', 'bournemouth'],
    ['Saint-Étienne', 'saint etienne'],
    ['St Etienne', 'saint etienne'],
    ["M'gladbach", 'mgladbach'],
    ['AC', 'ac'],
  ])('%s → %s', (name, key) => {
    expect(normaliseTeamName(name)).toBe(key);
  });
});

describe('curated aliases', () => {
  it('makes the four Manchester United spellings of the four sources one team', () => {
    for (const name of ['Manchester United FC', 'Manchester United', 'Man Utd', 'Man United']) {
      expect(curatedTeamFor('soccer', name)?.name).toBe('Manchester United');
    }
    expect(curatedTeamFor('soccer', 'Man City')?.name).toBe('Manchester City');
  });

  it('keeps relocated franchises together and sports apart', () => {
    expect(curatedTeamFor('american_football', 'St. Louis Rams')?.name).toBe('Los Angeles Rams');
    expect(curatedTeamFor('american_football', 'Houston Oilers')?.name).toBe('Tennessee Titans');
    expect(curatedTeamFor('basketball', 'gs')?.name).toBe('Golden State Warriors');
    expect(curatedTeamFor('basketball', 'SEA')?.name).toBe('Oklahoma City Thunder');
    expect(curatedTeamFor('american_football', 'SEA')?.name).toBe('Seattle Seahawks');
    expect(curatedTeamFor('soccer', 'gs')).toBeNull();
  });

  it('never gives one spelling to two teams of a sport', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const team of CURATED_TEAMS) {
      for (const spelling of [team.name, ...team.aliases]) {
        const key = `${team.sport}:${normaliseTeamName(spelling)}`;
        const prev = owner.get(key);
        if (prev !== undefined && prev !== team.name) clashes.push(`${spelling}: ${prev} / ${team.name}`);
        owner.set(key, team.name);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('nameSimilarity', () => {
  it('flags typos and contained names, not different clubs of one city', () => {
    expect(nameSimilarity('liverpol', 'liverpool')).toBeGreaterThanOrEqual(REVIEW_SIMILARITY);
    expect(nameSimilarity('hull', 'hull city')).toBeGreaterThanOrEqual(REVIEW_SIMILARITY);
    expect(nameSimilarity('man city', 'man united')).toBeLessThan(REVIEW_SIMILARITY);
    expect(nameSimilarity('arsenal', 'chelsea')).toBeLessThan(0.3);
    expect(nameSimilarity('arsenal', 'arsenal')).toBe(1);
  });
});
