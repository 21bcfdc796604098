// football-data.co.uk division codes (Div column) → our competitions. The code is
// `${country}-${league}`, the same key the aggregated odds file builds from its country and
// league columns, so both sources land on one competition (and the big five share the
// constants other soccer parsers use).
import type { CompetitionRef } from '../types.js';
import { ENGLAND_PREMIER_LEAGUE, FRANCE_LIGUE_1, GERMANY_BUNDESLIGA, ITALY_SERIE_A, SPAIN_LALIGA } from './soccer-competitions.js';

const COUNTRY_ZONES: Record<string, string> = {
  England: 'Europe/London',
  Scotland: 'Europe/London',
  Germany: 'Europe/Berlin',
  Italy: 'Europe/Rome',
  Spain: 'Europe/Madrid',
  France: 'Europe/Paris',
  Netherlands: 'Europe/Amsterdam',
  Belgium: 'Europe/Brussels',
  Portugal: 'Europe/Lisbon',
  Turkey: 'Europe/Istanbul',
  Greece: 'Europe/Athens',
};

const league = (code: string, name: string, country: string): CompetitionRef => ({
  code,
  name,
  sport: 'soccer',
  country,
  timezone: COUNTRY_ZONES[country] ?? 'UTC',
});

export const DIVISIONS: Readonly<Record<string, CompetitionRef>> = {
  E0: ENGLAND_PREMIER_LEAGUE,
  E1: league('england-championship', 'Championship', 'England'),
  E2: league('england-league-one', 'League One', 'England'),
  E3: league('england-league-two', 'League Two', 'England'),
  EC: league('england-national-league', 'National League', 'England'),
  SC0: league('scotland-premiership', 'Premiership', 'Scotland'),
  SC1: league('scotland-championship', 'Championship', 'Scotland'),
  SC2: league('scotland-league-one', 'League One', 'Scotland'),
  SC3: league('scotland-league-two', 'League Two', 'Scotland'),
  D1: GERMANY_BUNDESLIGA,
  D2: league('germany-2-bundesliga', '2. Bundesliga', 'Germany'),
  I1: ITALY_SERIE_A,
  I2: league('italy-serie-b', 'Serie B', 'Italy'),
  SP1: SPAIN_LALIGA,
  SP2: league('spain-segunda-division', 'Segunda División', 'Spain'),
  F1: FRANCE_LIGUE_1,
  F2: league('france-ligue-2', 'Ligue 2', 'France'),
  N1: league('netherlands-eredivisie', 'Eredivisie', 'Netherlands'),
  B1: league('belgium-pro-league', 'Pro League', 'Belgium'),
  P1: league('portugal-primeira-liga', 'Primeira Liga', 'Portugal'),
  T1: league('turkey-super-lig', 'Süper Lig', 'Turkey'),
  G1: league('greece-super-league', 'Super League', 'Greece'),
};

export function competitionForDivision(div: string): CompetitionRef | null {
  return DIVISIONS[div.trim().toUpperCase()] ?? null;
}

const BY_CODE = new Map(Object.values(DIVISIONS).map((c) => [c.code, c]));

/** The competition of the aggregated file's (country, league) columns: "england", "premier-league". */
export function competitionForCountryLeague(country: string, leagueSlug: string): CompetitionRef | null {
  const c = country.trim().toLowerCase();
  const l = leagueSlug.trim().toLowerCase().replace(/\s+/g, '-');
  if (!/^[a-z][a-z0-9-]*$/.test(c) || !/^[a-z0-9][a-z0-9-]*$/.test(l)) return null;
  const code = `${c}-${l}`;
  const known = BY_CODE.get(code);
  if (known) return known;
  const countryName = c.replace(/(^|-)([a-z])/g, (_, sep: string, ch: string) => `${sep ? ' ' : ''}${ch.toUpperCase()}`);
  const name = l.replace(/(^|-)([a-z0-9])/g, (_, sep: string, ch: string) => `${sep ? ' ' : ''}${ch.toUpperCase()}`);
  return league(code, name, countryName);
}

/** "2015-16" for a date in a season that starts in July (or later) of 2015. */
export function seasonForDate(iso: string): string {
  const year = Number(iso.slice(0, 4));
  const start = Number(iso.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}
