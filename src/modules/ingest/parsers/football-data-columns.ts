// What each column of a football-data.co.uk CSV means, worked out once per file from its
// header (columns come and go between seasons; see football-data.co.uk/notes.txt). Odds
// columns are <bookmaker prefix><C if closing><selection>: B365H, PSCH, BbMx>2.5, AvgC<2.5,
// B365AHH / PCAHA (Asian handicap prices, whose line is in AHh / AHCh, BbAHh for the
// BetBrain columns, or the bookmaker's own <prefix>AH in 2003-05 files). Counts such as
// Bb1X2, BbOU and BbAH (how many bookmakers were averaged) are not prices and are ignored.
import type { OddsMarket, OddsPhase } from '../../../db/schema/index.js';

/** Longest prefixes first, so BbMx is not read as B + bMx and PS before P. */
const BOOKMAKER_PREFIXES: [string, string][] = (
  [
    ['BbMx', 'betbrain_max'],
    ['BbAv', 'betbrain_avg'],
    ['B365', 'bet365'],
    ['BMGM', 'betmgm'],
    ['BFE', 'betfair_exchange'],
    ['BFD', 'betfred'],
    ['1XB', '1xbet'],
    ['Max', 'fd_market_max'],
    ['Avg', 'fd_market_avg'],
    ['BW', 'bwin'],
    ['IW', 'interwetten'],
    ['LB', 'ladbrokes'],
    ['PS', 'pinnacle'],
    ['SB', 'sportingbet'],
    ['WH', 'william_hill'],
    ['VC', 'betvictor'],
    ['BV', 'betvictor'],
    ['GB', 'gamebookers'],
    ['SJ', 'stan_james'],
    ['BS', 'blue_square'],
    ['SO', 'sporting_odds'],
    ['SY', 'stanleybet'],
    ['BF', 'betfair'],
    ['CL', 'coral'],
    ['P', 'pinnacle'],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

export interface OddsColumn {
  column: number;
  name: string;
  bookmaker: string;
  market: OddsMarket;
  selection: string;
  phase: OddsPhase;
  /** A fixed line (2.5 for over/under), or the column holding it (Asian handicap), or null for 1x2. */
  line: number | { column: number } | null;
}

const SIDE: Record<string, string> = { H: 'home', D: 'draw', A: 'away' };

export function oddsColumns(header: string[]): OddsColumn[] {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (h && !index.has(h)) index.set(h, i);
  });
  const out: OddsColumn[] = [];
  header.forEach((name, column) => {
    for (const [prefix, bookmaker] of BOOKMAKER_PREFIXES) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      let m = /^(C?)([HDA])$/.exec(rest);
      if (m) {
        out.push({ column, name, bookmaker, market: '1x2', selection: SIDE[m[2]!]!, phase: m[1] ? 'closing' : 'opening', line: null });
        return;
      }
      m = /^(C?)([<>])(\d+(?:\.\d+)?)$/.exec(rest);
      if (m) {
        const selection = m[2] === '>' ? 'over' : 'under';
        out.push({ column, name, bookmaker, market: 'over_under', selection, phase: m[1] ? 'closing' : 'opening', line: Number(m[3]) });
        return;
      }
      m = /^(C?)AH([HA])$/.exec(rest);
      if (m) {
        const closing = m[1] === 'C';
        const lineName = prefix.startsWith('Bb') ? 'BbAHh' : !closing && index.has(`${prefix}AH`) ? `${prefix}AH` : closing ? 'AHCh' : 'AHh';
        const lineColumn = index.get(lineName);
        // Prices without a line cannot be stored meaningfully.
        if (lineColumn === undefined) return;
        out.push({ column, name, bookmaker, market: 'asian_handicap', selection: SIDE[m[2]!]!, phase: closing ? 'closing' : 'opening', line: { column: lineColumn } });
        return;
      }
    }
  });
  return out;
}

/** Team statistic columns (home, away) → the key stored in team_match_stats.stats. */
export const TEAM_STAT_COLUMNS: [string, string, string][] = [
  ['HS', 'AS', 'shots'],
  ['HST', 'AST', 'shots_on_target'],
  ['HHW', 'AHW', 'woodwork'],
  ['HC', 'AC', 'corners'],
  ['HF', 'AF', 'fouls'],
  ['HFKC', 'AFKC', 'free_kicks_conceded'],
  ['HO', 'AO', 'offsides'],
  ['HY', 'AY', 'yellow_cards'],
  ['HR', 'AR', 'red_cards'],
  ['HBP', 'ABP', 'booking_points'],
];
