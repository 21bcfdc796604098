// Schedule features of a game — how rested each side is — computed from the fixture list
// alone (the dates of each team's earlier games), never from results, so they are known
// before tip-off for a scheduled game exactly as for a played one. Each feature is an
// indicator difference, home minus away, that the margin model turns into points with a
// fitted coefficient (models/margin.ts, game covariates).
//   back-to-back  played the day before (NBA: worth 1–3 points in the literature)
//   short-week    5 or fewer days since the previous game (NFL Thursday games)
//   bye           13 to 30 days since the previous game (NFL bye week; longer gaps are the off-season)

export const SCHEDULE_FEATURES = ['back-to-back', 'short-week', 'bye'] as const;
export type ScheduleFeature = (typeof SCHEDULE_FEATURES)[number];

export interface ScheduledGame {
  /** Day number (days since 1970-01-01) of the game's date. */
  day: number;
  home: number;
  away: number;
}

export interface Rest {
  /** Days since each side's previous game in the schedule; Infinity when it has none. */
  home: number;
  away: number;
}

/** Days-since-previous-game lookups over one competition's schedule. */
export class RestIndex {
  private readonly days = new Map<number, number[]>();

  /** `schedule`: every game that is or will be played (results and fixtures, not cancelled ones). */
  constructor(schedule: Iterable<ScheduledGame>) {
    for (const g of schedule) {
      for (const team of [g.home, g.away]) {
        let list = this.days.get(team);
        if (!list) this.days.set(team, (list = []));
        list.push(g.day);
      }
    }
    for (const list of this.days.values()) list.sort((a, b) => a - b);
  }

  /** Days since `team`'s last game dated strictly before `day` (Infinity when none). */
  daysSincePrevious(team: number, day: number): number {
    const list = this.days.get(team);
    if (!list) return Infinity;
    // Largest entry < day, by binary search.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? Infinity : day - list[lo - 1]!;
  }

  rest(game: ScheduledGame): Rest {
    return { home: this.daysSincePrevious(game.home, game.day), away: this.daysSincePrevious(game.away, game.day) };
  }
}

function indicator(feature: ScheduleFeature, days: number): number {
  switch (feature) {
    case 'back-to-back':
      return days === 1 ? 1 : 0;
    case 'short-week':
      return days <= 5 ? 1 : 0;
    case 'bye':
      return days >= 13 && days <= 30 ? 1 : 0;
  }
}

/** The game's covariates in the order of `features`: indicator(home) − indicator(away). */
export function scheduleCovariates(rest: Rest, features: readonly ScheduleFeature[]): number[] {
  return features.map((f) => indicator(f, rest.home) - indicator(f, rest.away));
}
