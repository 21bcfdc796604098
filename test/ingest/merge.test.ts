import { describe, expect, it } from 'vitest';
import { mergeMatch, mergeStatus, type MatchFields } from '../../src/modules/ingest/merge.js';

const base: MatchFields = {
  seasonId: 1,
  kickoffAt: null,
  status: 'scheduled',
  homeScore: null,
  awayScore: null,
  homeScoreHt: null,
  awayScoreHt: null,
  periodScores: null,
  round: 'Matchday 1',
  isPlayoff: false,
  neutral: false,
  referee: null,
  attendance: 41000,
  venueId: null,
};

describe('mergeMatch', () => {
  it('completes a scheduled match and fills what it lacked, keeping what the source does not give', () => {
    const incoming: MatchFields = { ...base, status: 'final', homeScore: 2, awayScore: 1, round: null, attendance: null, isPlayoff: null, neutral: null, kickoffAt: new Date('2019-08-10T14:00:00Z') };
    const { merged, changed } = mergeMatch(base, incoming);
    expect(changed).toBe(true);
    expect(merged).toMatchObject({ status: 'final', homeScore: 2, awayScore: 1, round: 'Matchday 1', attendance: 41000, isPlayoff: false });
  });

  it('reports no change when the incoming values are the stored ones (jsonb key order aside)', () => {
    const stored = { ...base, periodScores: [{ away: 20, home: 25, period: 'q1' }] } as MatchFields;
    const incoming = { ...base, periodScores: [{ period: 'q1', home: 25, away: 20 }], kickoffAt: null, round: null };
    expect(mergeMatch(stored, incoming).changed).toBe(false);
  });

  it('never lets a fixture list turn a final result back into a scheduled match', () => {
    expect(mergeStatus('final', 'scheduled')).toBe('final');
    expect(mergeStatus('postponed', 'scheduled')).toBe('postponed');
    expect(mergeStatus('scheduled', 'postponed')).toBe('postponed');
    expect(mergeStatus('final', 'cancelled')).toBe('final');
    const final = { ...base, status: 'final' as const, homeScore: 1, awayScore: 0 };
    expect(mergeMatch(final, { ...base, round: null }).changed).toBe(false);
  });
});
