// The soccer competitions the file formats of this folder name, spelled exactly as the
// football-data importer spells them (E0 → england-premier-league, D1 → germany-bundesliga,
// ...), so that a match from openfootball or FPL and the same match from football-data.co.uk
// land on one competition and therefore one row.
import type { CompetitionRef } from '../types.js';

export const ENGLAND_PREMIER_LEAGUE: CompetitionRef = {
  code: 'england-premier-league',
  name: 'Premier League',
  sport: 'soccer',
  country: 'England',
  timezone: 'Europe/London',
};

export const GERMANY_BUNDESLIGA: CompetitionRef = {
  code: 'germany-bundesliga',
  name: 'Bundesliga',
  sport: 'soccer',
  country: 'Germany',
  timezone: 'Europe/Berlin',
};

export const SPAIN_LALIGA: CompetitionRef = {
  code: 'spain-laliga',
  name: 'La Liga',
  sport: 'soccer',
  country: 'Spain',
  timezone: 'Europe/Madrid',
};

export const ITALY_SERIE_A: CompetitionRef = {
  code: 'italy-serie-a',
  name: 'Serie A',
  sport: 'soccer',
  country: 'Italy',
  timezone: 'Europe/Rome',
};

export const FRANCE_LIGUE_1: CompetitionRef = {
  code: 'france-ligue-1',
  name: 'Ligue 1',
  sport: 'soccer',
  country: 'France',
  timezone: 'Europe/Paris',
};
