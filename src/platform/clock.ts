/** The source of "now". Injected everywhere so tests and season replays can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is put; for tests and replays. */
export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(to) {
      current = new Date(to);
    },
  };
}

/**
 * A clock that starts at `asOf` when created and then moves forward with real time, for a
 * server or worker replaying the past: schedules, token lifetimes and rate windows still pass.
 */
export function offsetClock(asOf: Date, base: Clock = systemClock): Clock {
  const offset = asOf.getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset) };
}

const AS_OF = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses an as-of instant: ISO-8601 with a timezone (2024-03-15T12:00:00Z, ...+01:00) or a
 * bare date (midnight UTC). Returns null for anything else, so callers can say what they expected.
 */
export function parseAsOf(text: string): Date | null {
  const t = text.trim();
  if (!AS_OF.test(t)) return null;
  const d = new Date(t.length === 10 ? `${t}T00:00:00Z` : t);
  if (Number.isNaN(d.getTime())) return null;
  // Reject calendar overflow such as 2024-02-31 (Date rolls it into March).
  if (t.length === 10 && d.toISOString().slice(0, 10) !== t) return null;
  return d;
}
