// The running state a walk-forward props evaluation (or a live predictor) keeps: per player,
// per position-in-team and per position, exponentially time-decayed counts and exposures of
// each stat (weight e^{−ξ·age in days}, the decay Dixon & Coles 1997 use for teams), each
// player's recent appearance minutes, and the undecayed appearance/hit tallies the two
// baselines need (league-average rate by position; player's season-to-date rate).
import type { CountHistory } from './tier1.js';

export const PROP_STATS = ['goals', 'assists', 'cards'] as const;
export type EvalStat = (typeof PROP_STATS)[number];

/** One player's line in one match (minutes > 0 for an appearance). */
export interface PlayerLine {
  playerId: number;
  teamId: number;
  position: string;
  minutes: number;
  goals: number;
  assists: number;
  /** Yellow plus red cards. */
  cards: number;
}

/** A finished match with every player line the data has. */
export interface PropsMatch {
  id: number;
  season: string;
  /** Days since 1970-01-01 of the match date. */
  day: number;
  home: number;
  away: number;
  homeGoals: number;
  awayGoals: number;
  lines: PlayerLine[];
}

interface Acc {
  c: number;
  e: number;
}

const newAccs = (): Record<EvalStat, Acc> => ({ goals: { c: 0, e: 0 }, assists: { c: 0, e: 0 }, cards: { c: 0, e: 0 } });

interface PlayerState {
  stats: Record<EvalStat, Acc>;
  recentMinutes: number[];
  seasonKey: string;
  seasonApps: number;
  seasonHits: Record<EvalStat, number>;
}

export class PropsHistory {
  private readonly players = new Map<number, PlayerState>();
  private readonly groups = new Map<string, Record<EvalStat, Acc>>();
  private readonly positionHits = new Map<string, { apps: number; hits: Record<EvalStat, number> }>();

  /** ξ per day; day0 anchors the growing weights e^{ξ(day − day0)} (no overflow over years). */
  constructor(
    private readonly xi: number,
    private readonly day0: number,
    private readonly keepMinutes = 12,
  ) {}

  private group(key: string): Record<EvalStat, Acc> {
    let g = this.groups.get(key);
    if (!g) {
      g = newAccs();
      this.groups.set(key, g);
    }
    return g;
  }

  /** Adds a finished match's appearances (minutes > 0). */
  add(match: PropsMatch): void {
    const w = Math.exp(this.xi * (match.day - this.day0));
    for (const line of match.lines) {
      if (!(line.minutes > 0)) continue;
      let p = this.players.get(line.playerId);
      if (!p) {
        p = { stats: newAccs(), recentMinutes: [], seasonKey: match.season, seasonApps: 0, seasonHits: { goals: 0, assists: 0, cards: 0 } };
        this.players.set(line.playerId, p);
      }
      if (p.seasonKey !== match.season) {
        p.seasonKey = match.season;
        p.seasonApps = 0;
        p.seasonHits = { goals: 0, assists: 0, cards: 0 };
      }
      const e = line.minutes / 90;
      const targets = [p.stats, this.group(`${line.position}|${line.teamId}`), this.group(line.position)];
      let pos = this.positionHits.get(line.position);
      if (!pos) {
        pos = { apps: 0, hits: { goals: 0, assists: 0, cards: 0 } };
        this.positionHits.set(line.position, pos);
      }
      pos.apps++;
      p.seasonApps++;
      for (const s of PROP_STATS) {
        for (const t of targets) {
          t[s].c += w * line[s];
          t[s].e += w * e;
        }
        if (line[s] > 0) {
          pos.hits[s]++;
          p.seasonHits[s]++;
        }
      }
      p.recentMinutes.unshift(line.minutes);
      if (p.recentMinutes.length > this.keepMinutes) p.recentMinutes.pop();
    }
  }

  private read(acc: Acc | undefined, day: number): CountHistory {
    if (!acc) return { count: 0, exposure90: 0 };
    const s = Math.exp(-this.xi * (day - this.day0));
    return { count: acc.c * s, exposure90: acc.e * s };
  }

  /** Decayed (player, position-in-team, position) histories of a stat as of `day`. */
  levels(stat: EvalStat, playerId: number, teamId: number, position: string, day: number): [CountHistory, CountHistory, CountHistory] {
    return [
      this.read(this.players.get(playerId)?.stats[stat], day),
      this.read(this.groups.get(`${position}|${teamId}`)?.[stat], day),
      this.read(this.groups.get(position)?.[stat], day),
    ];
  }

  recentMinutes(playerId: number): readonly number[] {
    return this.players.get(playerId)?.recentMinutes ?? [];
  }

  /** Baseline 1: share of the position's earlier appearances with the stat ≥ 1. */
  positionRate(stat: EvalStat, position: string): number {
    const pos = this.positionHits.get(position);
    // Half an appearance at 0.5 keeps the rate defined (and off 0) before any data.
    return pos ? (pos.hits[stat] + 0.25) / (pos.apps + 0.5) : 0.5;
  }

  /**
   * Baseline 2: the player's season-to-date hit rate, with one pseudo-appearance at the
   * position rate so a first appearance (or an unbroken run) does not predict 0 or 1.
   */
  seasonRate(stat: EvalStat, playerId: number, position: string, season: string): number {
    const prior = this.positionRate(stat, position);
    const p = this.players.get(playerId);
    if (!p || p.seasonKey !== season) return prior;
    return (p.seasonHits[stat] + prior) / (p.seasonApps + 1);
  }
}
