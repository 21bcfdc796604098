// The operator's as-of clock (decision 0018). One-shot commands (`train`, `predict`,
// `evaluate`, `import`, `evaluate-props`) take `--as-of <date-time>` and run on a clock fixed
// at that instant, so a run is reproducible; `serve`, `start` and `worker` read
// SHARPLINE_AS_OF and run on a clock that starts there and moves on with real time.
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config.js';
import { fixedClock, offsetClock, parseAsOf, systemClock, type Clock } from '../platform/clock.js';

export function parseAsOfOption(value: string): Date {
  const d = parseAsOf(value);
  if (!d) throw new InvalidArgumentError('expected an ISO-8601 date-time with a timezone (e.g. 2024-03-15T12:00:00Z) or a date (YYYY-MM-DD, midnight UTC)');
  return d;
}

export function addAsOfOption(cmd: Command): Command {
  return cmd.option('--as-of <date-time>', 'run as if it were this instant (default: now, or SHARPLINE_AS_OF), e.g. to replay a season', parseAsOfOption);
}

/** The clock of a one-shot command: fixed at --as-of, else at SHARPLINE_AS_OF, else the system clock. */
export function commandClock(config: Config, asOf: Date | undefined): Clock {
  const at = asOf ?? config.asOf;
  return at ? fixedClock(at) : systemClock;
}

/** The clock of a long-running service: from SHARPLINE_AS_OF on, moving with real time. */
export function serviceClock(config: Config): Clock {
  return config.asOf ? offsetClock(config.asOf) : systemClock;
}
