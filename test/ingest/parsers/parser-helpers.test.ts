import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElementLines } from '../../../src/modules/ingest/parsers/json-lines.js';
import { americanToDecimal, homeHandicap, spreadOdds } from '../../../src/modules/ingest/parsers/us-lines.js';
import { isCalendarDate, parseBoolean, parseDecimal, parseWholeNumber, splitSeasonName, usDateToIso } from '../../../src/modules/ingest/parsers/values.js';
import { localDate, zonedToUtc } from '../../../src/modules/ingest/parsers/zoned-time.js';

// A fixed seed keeps CI reproducible; FUZZ_SEED=<n> explores other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261125) });

describe('American odds', () => {
  it('converts the hand-checked values', () => {
    expect(americanToDecimal(-110)).toBeCloseTo(1.9091, 4); // 1 + 100/110
    expect(americanToDecimal(250)).toBe(3.5); // 1 + 250/100
    expect(americanToDecimal(150)).toBe(2.5);
    expect(americanToDecimal(-200)).toBe(1.5);
    expect(americanToDecimal(100)).toBe(2);
    expect(americanToDecimal(-100)).toBe(2);
  });

  it('refuses values that are not American odds', () => {
    expect(americanToDecimal(8)).toBeNull();
    expect(americanToDecimal(-99)).toBeNull();
    expect(americanToDecimal(Number.NaN)).toBeNull();
  });

  it('round-trips: decimal back to American gives the same odds', () => {
    // ±100 are both even money (2.0), so the inverse is only unique away from them.
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 100_000 }), fc.boolean(), (magnitude, favourite) => {
        const american = favourite ? -magnitude : magnitude;
        const decimal = americanToDecimal(american)!;
        const back = decimal >= 2 ? (decimal - 1) * 100 : -100 / (decimal - 1);
        expect(decimal).toBeGreaterThan(1);
        expect(back).toBeCloseTo(american, 6);
      }),
    );
  });

  it('expresses spreads as the home handicap', () => {
    expect(homeHandicap('home', 7)).toBe(-7);
    expect(homeHandicap('away', 7)).toBe(7);
    expect(homeHandicap('home', -3.5)).toBe(-3.5); // NFL writes the favourite's spread negative
    expect(Object.is(homeHandicap('home', 0), 0)).toBe(true);
    expect(spreadOdds(-0).map((o) => Object.is(o.line, 0))).toEqual([true, true]);
  });
});

describe('zoned time', () => {
  it('converts local kick-offs on both sides of the clock changes', () => {
    expect(zonedToUtc('2019-08-09', '20:00', 'Europe/London').toISOString()).toBe('2019-08-09T19:00:00.000Z');
    expect(zonedToUtc('2019-12-26', '12:30', 'Europe/London').toISOString()).toBe('2019-12-26T12:30:00.000Z');
    // The last Sunday of March: 03:00 in London is already BST.
    expect(zonedToUtc('2019-03-31', '03:00', 'Europe/London').toISOString()).toBe('2019-03-31T02:00:00.000Z');
    expect(zonedToUtc('2020-10-24', '15:30', 'Europe/Berlin').toISOString()).toBe('2020-10-24T13:30:00.000Z');
    expect(zonedToUtc('2020-10-25', '15:30', 'Europe/Berlin').toISOString()).toBe('2020-10-25T14:30:00.000Z');
    expect(zonedToUtc('2020-01-10', '19:30', 'America/New_York').toISOString()).toBe('2020-01-11T00:30:00.000Z');
  });

  it('gives the local calendar date of an instant', () => {
    expect(localDate(new Date('2019-08-31T23:30:00Z'), 'Europe/London')).toBe('2019-09-01');
    expect(localDate(new Date('2019-12-31T23:30:00Z'), 'Europe/London')).toBe('2019-12-31');
    expect(localDate(new Date('2020-01-11T02:00:00Z'), 'America/New_York')).toBe('2020-01-10');
  });
});

describe('JSON element lines', () => {
  it('finds the line each element of the top-level array starts on, ignoring brackets in strings', () => {
    const text = [
      '{',
      '  "name": "a [tricky] \\"matches\\": [",', // line 2
      '  "other": {"matches": [1, 2]},',
      '  "matches": [',
      '    {"team1": "x]}"},', // line 5
      '    {',
      '      "nested": [[1], {"a": [2]}]', // element starts on 6
      '    }, {"b": 1}', // third element on line 8
      '  ]',
      '}',
    ].join('\n');
    expect(arrayElementLines(text, 'matches')).toEqual([5, 6, 8]);
    expect(arrayElementLines('{"matches": []}', 'matches')).toEqual([]);
    expect(arrayElementLines('{"rounds": []}', 'matches')).toBeNull();
  });
});

describe('cell values', () => {
  it('reads numbers strictly', () => {
    expect(parseWholeNumber('12')).toBe(12);
    expect(parseWholeNumber(' -3 ')).toBe(-3);
    expect(parseWholeNumber('3x')).toBeNull();
    expect(parseWholeNumber('')).toBeNull();
    expect(parseWholeNumber('1.5')).toBeNull();
    expect(parseDecimal('189.5')).toBe(189.5);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal(' ')).toBeNull();
    expect(parseDecimal('1e3')).toBeNull();
    expect(parseBoolean('TRUE')).toBe(true);
    expect(parseBoolean('False')).toBe(false);
    expect(parseBoolean('yes')).toBeNull();
  });

  it('reads dates and season names', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2019-02-29')).toBe(false);
    expect(usDateToIso('9/2/1966')).toBe('1966-09-02');
    expect(usDateToIso('2/30/2019')).toBeNull();
    expect(usDateToIso('2019-02-03')).toBeNull();
    expect(splitSeasonName(2008)).toBe('2007-08');
    expect(splitSeasonName(2000)).toBe('1999-00');
  });
});
