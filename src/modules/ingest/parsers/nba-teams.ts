// NBA team codes of the betting archive (lower-case, ESPN-style: gs, sa, utah) → one
// name per franchise. A franchise that moved or was renamed keeps its current name for
// all its seasons (the archive itself uses one code across eras: bkn for the New Jersey
// years, okc for Seattle's last season, cha for the Bobcats, no for the Hornets), and the
// old or short names are aliases so other sources' spellings land on the same team.

export interface NbaFranchise {
  name: string;
  otherNames: string[];
}

const FRANCHISES: Record<string, NbaFranchise> = {
  atl: { name: 'Atlanta Hawks', otherNames: [] },
  bkn: { name: 'Brooklyn Nets', otherNames: ['New Jersey Nets'] },
  bos: { name: 'Boston Celtics', otherNames: [] },
  cha: { name: 'Charlotte Hornets', otherNames: ['Charlotte Bobcats'] },
  chi: { name: 'Chicago Bulls', otherNames: [] },
  cle: { name: 'Cleveland Cavaliers', otherNames: [] },
  dal: { name: 'Dallas Mavericks', otherNames: [] },
  den: { name: 'Denver Nuggets', otherNames: [] },
  det: { name: 'Detroit Pistons', otherNames: [] },
  gs: { name: 'Golden State Warriors', otherNames: [] },
  hou: { name: 'Houston Rockets', otherNames: [] },
  ind: { name: 'Indiana Pacers', otherNames: [] },
  lac: { name: 'Los Angeles Clippers', otherNames: ['LA Clippers'] },
  lal: { name: 'Los Angeles Lakers', otherNames: [] },
  mem: { name: 'Memphis Grizzlies', otherNames: [] },
  mia: { name: 'Miami Heat', otherNames: [] },
  mil: { name: 'Milwaukee Bucks', otherNames: [] },
  min: { name: 'Minnesota Timberwolves', otherNames: [] },
  no: { name: 'New Orleans Pelicans', otherNames: ['New Orleans Hornets', 'New Orleans/Oklahoma City Hornets'] },
  ny: { name: 'New York Knicks', otherNames: [] },
  okc: { name: 'Oklahoma City Thunder', otherNames: ['Seattle SuperSonics'] },
  orl: { name: 'Orlando Magic', otherNames: [] },
  phi: { name: 'Philadelphia 76ers', otherNames: [] },
  phx: { name: 'Phoenix Suns', otherNames: [] },
  por: { name: 'Portland Trail Blazers', otherNames: [] },
  sa: { name: 'San Antonio Spurs', otherNames: [] },
  sac: { name: 'Sacramento Kings', otherNames: [] },
  tor: { name: 'Toronto Raptors', otherNames: [] },
  utah: { name: 'Utah Jazz', otherNames: [] },
  wsh: { name: 'Washington Wizards', otherNames: [] },
};

/** Codes other spellings of the archive use for the same franchises. */
const CODE_ALIASES: Record<string, string> = {
  nj: 'bkn',
  bk: 'bkn',
  bro: 'bkn',
  brk: 'bkn',
  sea: 'okc',
  noh: 'no',
  nok: 'no',
  nop: 'no',
  cho: 'cha',
  gsw: 'gs',
  sas: 'sa',
  uta: 'utah',
  was: 'wsh',
  nyk: 'ny',
  pho: 'phx',
};

/** The franchise for a code, or undefined for a code we do not know. */
export function nbaFranchise(code: string): NbaFranchise | undefined {
  const c = code.trim().toLowerCase();
  return FRANCHISES[CODE_ALIASES[c] ?? c];
}

/** Every (other name → current name) pair, for the alias table. */
export function nbaOtherNames(): { alias: string; team: string }[] {
  return Object.values(FRANCHISES).flatMap((f) => f.otherNames.map((alias) => ({ alias, team: f.name })));
}
