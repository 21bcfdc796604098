// Sport codes the API accepts. Our codes are sport names (soccer, basketball,
// american_football); seed 000 filters by league acronym (NBA, NFL, MLB) and seed 004 lists
// nhl/ufc, so those are accepted as aliases of the sport they belong to.

/** Every sport the product knows, whether or not any data for it is stored yet. */
export const KNOWN_SPORT_CODES = [
  'soccer',
  'basketball',
  'american_football',
  'baseball',
  'ice_hockey',
  'tennis',
  'golf',
  'mma',
  'boxing',
  'esports',
  'cricket',
  'rugby',
] as const;

const SPORT_ALIASES: Record<string, string> = {
  nba: 'basketball',
  nfl: 'american_football',
  mlb: 'baseball',
  nhl: 'ice_hockey',
  ufc: 'mma',
  'american-football': 'american_football',
  'ice-hockey': 'ice_hockey',
};

/** The canonical sport code for what a caller typed, or null when it names no sport. */
export function canonicalSportCode(input: string): string | null {
  const key = input.trim().toLowerCase();
  const code = SPORT_ALIASES[key] ?? key;
  return (KNOWN_SPORT_CODES as readonly string[]).includes(code) ? code : null;
}

