// Schedule features from fixture dates alone: days since each side's previous game and the
// indicator differences the margin model fits (models/schedule.ts).
import { describe, expect, it } from 'vitest';
import { RestIndex, scheduleCovariates } from '../../src/models/schedule.js';

// Team 1 plays on days 10, 11, 14; team 2 on 10, 12; team 3 on 11, 12, 26.
const SCHEDULE = [
  { day: 10, home: 1, away: 2 },
  { day: 11, home: 3, away: 1 },
  { day: 12, home: 2, away: 3 },
  { day: 14, home: 1, away: 4 },
  { day: 26, home: 3, away: 4 },
];

describe('RestIndex', () => {
  const index = new RestIndex(SCHEDULE);

  it('counts days since the previous game strictly before the date', () => {
    expect(index.rest({ day: 11, home: 3, away: 1 })).toEqual({ home: Infinity, away: 1 });
    expect(index.rest({ day: 12, home: 2, away: 3 })).toEqual({ home: 2, away: 1 });
    expect(index.rest({ day: 14, home: 1, away: 4 })).toEqual({ home: 3, away: Infinity });
    // A game on the same day does not count, however the schedule is ordered.
    expect(index.daysSincePrevious(1, 10)).toBe(Infinity);
    expect(index.daysSincePrevious(3, 26)).toBe(14);
    expect(new RestIndex([...SCHEDULE].reverse()).rest({ day: 12, home: 2, away: 3 })).toEqual({ home: 2, away: 1 });
  });

  it('answers for a future date from the fixtures before it', () => {
    expect(index.rest({ day: 15, home: 1, away: 2 })).toEqual({ home: 1, away: 3 });
  });
});

describe('scheduleCovariates', () => {
  it('are indicator differences, home minus away', () => {
    expect(scheduleCovariates({ home: 1, away: 2 }, ['back-to-back'])).toEqual([1]);
    expect(scheduleCovariates({ home: 3, away: 1 }, ['back-to-back'])).toEqual([-1]);
    expect(scheduleCovariates({ home: 1, away: 1 }, ['back-to-back'])).toEqual([0]);
    expect(scheduleCovariates({ home: Infinity, away: 1 }, ['back-to-back'])).toEqual([-1]);
    // NFL: Thursday after Sunday (4 days) against a bye (14 days); the off-season is no bye.
    expect(scheduleCovariates({ home: 4, away: 14 }, ['short-week', 'bye'])).toEqual([1, -1]);
    expect(scheduleCovariates({ home: 7, away: 200 }, ['short-week', 'bye'])).toEqual([0, 0]);
    expect(scheduleCovariates({ home: 1, away: 1 }, [])).toEqual([]);
  });
});
