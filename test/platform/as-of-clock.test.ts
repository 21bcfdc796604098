// The as-of clock: parsing the operator's instant, SHARPLINE_AS_OF in the config, and the
// offset clock that starts at the as-of instant and moves on with its base clock.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { fixedClock, offsetClock, parseAsOf } from '../../src/platform/clock.js';

describe('as-of clock', () => {
  it('parses ISO-8601 instants with a timezone and bare dates, nothing else', () => {
    expect(parseAsOf('2019-08-12T09:00:00Z')?.toISOString()).toBe('2019-08-12T09:00:00.000Z');
    expect(parseAsOf('2019-08-12T10:00+01:00')?.toISOString()).toBe('2019-08-12T09:00:00.000Z');
    expect(parseAsOf('2019-08-12')?.toISOString()).toBe('2019-08-12T00:00:00.000Z');
    for (const bad of ['2019-08-12T09:00:00', 'yesterday', '2019-02-31', '12/08/2019', '']) expect(parseAsOf(bad)).toBeNull();
  });

  it('reads SHARPLINE_AS_OF and rejects a bad one', () => {
    expect(loadConfig({ SHARPLINE_AS_OF: '2019-08-12T09:00:00Z' }).asOf?.toISOString()).toBe('2019-08-12T09:00:00.000Z');
    expect(loadConfig({}).asOf).toBeNull();
    expect(() => loadConfig({ SHARPLINE_AS_OF: 'last tuesday' })).toThrow(ConfigError);
  });

  it('starts an offset clock at the as-of instant and lets time pass', () => {
    const base = fixedClock('2026-01-01T00:00:00Z');
    const clock = offsetClock(new Date('2019-08-12T09:00:00Z'), base);
    expect(clock.now().toISOString()).toBe('2019-08-12T09:00:00.000Z');
    base.set('2026-01-01T01:30:00Z');
    expect(clock.now().toISOString()).toBe('2019-08-12T10:30:00.000Z');
  });
});
