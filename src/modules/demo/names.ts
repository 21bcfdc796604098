// Invented names for the demo leagues. Team names are fictional towns, chosen not to
// resemble any real club, so demo teams never merge with (or get flagged against) teams a
// real import creates. Player names mix accented and plain spellings so that name search
// has something to do.
import type { Random } from './random.js';
import { shuffled } from './common.js';

export interface DemoClub {
  name: string;
  shortName: string;
  abbreviation: string;
  city: string;
  venue: string;
}

const club = (name: string, abbreviation: string, city: string, venue: string): DemoClub => ({
  name,
  shortName: name.split(' ')[0]!,
  abbreviation,
  city,
  venue,
});

export const DEMO_SOCCER_CLUBS: DemoClub[] = [
  club('Ashbury Wanderers', 'ASH', 'Ashbury', 'Ashbury Lane'),
  club('Brackenfield Athletic', 'BRA', 'Brackenfield', 'The Bracken Ground'),
  club('Caldermoor Rovers', 'CAL', 'Caldermoor', 'Moorside Park'),
  club('Dunwick Harriers', 'DUN', 'Dunwick', 'Harrier Road'),
  club('Elmsford Albion', 'ELM', 'Elmsford', 'Elmsford Arena'),
  club('Fenhollow Town', 'FEN', 'Fenhollow', 'Hollow Meadow'),
  club('Glenharrow Rangers', 'GLE', 'Glenharrow', 'Glen Stadium'),
  club('Hartwell Forge', 'HAR', 'Hartwell', 'The Forge'),
  club('Ironbridge Vale', 'IRO', 'Ironbridge', 'Vale Park Road'),
  club('Kestrel Bay', 'KES', 'Kestrel Bay', 'Bayfront Stadium'),
  club('Larkspur Dynamo', 'LAR', 'Larkspur', 'Dynamo Field'),
  club('Marlowe Heath', 'MAR', 'Marlowe', 'Heath Lane'),
  club('Northcombe Mariners', 'NOR', 'Northcombe', 'The Quayside'),
  club('Oakhurst Corinthians', 'OAK', 'Oakhurst', 'Oakhurst Green'),
  club('Pellingham Sporting', 'PEL', 'Pellingham', 'Sporting Park'),
  club('Quarrydale Miners', 'QUA', 'Quarrydale', 'The Pithead'),
  club('Ravensholt Wolves', 'RAV', 'Ravensholt', 'Holt Road'),
  club('Saltmarsh Pilgrims', 'SAL', 'Saltmarsh', 'Pilgrim Way'),
  club('Thornbury Vikings', 'THO', 'Thornbury', 'Longship Stadium'),
  club('Wyncliffe Olympic', 'WYN', 'Wyncliffe', 'Cliff Top Arena'),
];

export const DEMO_BASKETBALL_CLUBS: DemoClub[] = [
  club('Harborview Comets', 'HBC', 'Harborview', 'Comet Center'),
  club('Sierra Vista Miners', 'SVM', 'Sierra Vista', 'Lode Arena'),
  club('Lakemont Lynx', 'LML', 'Lakemont', 'Lakemont Fieldhouse'),
  club('Prairie City Bison', 'PCB', 'Prairie City', 'Bison Dome'),
  club('Cobalt Bay Mariners', 'CBM', 'Cobalt Bay', 'Harbor Hall'),
  club('Redstone Foxes', 'RSF', 'Redstone', 'Foxden Arena'),
  club('Granite Falls Titans', 'GFT', 'Granite Falls', 'Titan Court'),
  club('Silverpine Owls', 'SPO', 'Silverpine', 'Pinecrest Arena'),
  club('Duneport Vipers', 'DPV', 'Duneport', 'Sand Pavilion'),
  club('Maple Ridge Hawks', 'MRH', 'Maple Ridge', 'Ridge Center'),
  club('Copper Canyon Suns', 'CCS', 'Copper Canyon', 'Canyon Arena'),
  club('Northgate Blizzard', 'NGB', 'Northgate', 'Glacier Garden'),
];

const FIRST_NAMES = [
  'Aaron', 'Adrián', 'Alfie', 'Amadou', 'André', 'Bastian', 'Ben', 'Bruno', 'Callum', 'Chidi',
  'Ciarán', 'Dániel', 'Darius', 'Diego', 'Eero', 'Elias', 'Emre', 'Étienne', 'Felipe', 'Finn',
  'Florian', 'Gonçalo', 'Hamza', 'Harvey', 'Iñaki', 'Isak', 'Jakub', 'Jamal', 'João', 'Jonas',
  'Kai', 'Kwame', 'Leon', 'Luca', 'Lukas', 'Malik', 'Marco', 'Mateo', 'Mikkel', 'Nico',
  'Noah', 'Oisín', 'Oliver', 'Omar', 'Pablo', 'Rafael', 'Reece', 'Rúben', 'Sami', 'Sebastián',
  'Søren', 'Theo', 'Tomás', 'Tyrese', 'Viktor', 'Wesley', 'Xavi', 'Yannick', 'Youssef', 'Zoltán',
];

const LAST_NAMES = [
  'Abara', 'Álvarez', 'Andersen', 'Asante', 'Bakker', 'Barros', 'Becker', 'Bellamy', 'Brennan', 'Castaño',
  'Chukwu', 'Costa', 'Dembélé', 'Doherty', 'Eriksen', 'Fagerlund', 'Falcão', 'Fischer', 'Gallagher', 'García',
  'Haaland', 'Hughes', 'Ibáñez', 'Jansen', 'Kaczmarek', 'Keane', 'Koné', 'Kowalski', 'Lindqvist', 'López',
  'MacLeod', 'Mensah', 'Moreau', 'Müller', 'Navarro', 'Nkemelu', 'Novák', 'Ó Briain', 'Okafor', 'Olsen',
  'Pereira', 'Petrović', 'Quinn', 'Rahman', 'Reyes', 'Rossi', 'Şahin', 'Santos', 'Schäfer', 'Silva',
  'Sørensen', 'Sullivan', 'Traoré', 'Tremblay', 'Varga', 'Vidal', 'Walsh', 'Weiß', 'Yilmaz', 'Żak',
];

/** `count` distinct full names, in an order fixed by the random stream. */
export function playerNames(random: Random, count: number): string[] {
  if (count > FIRST_NAMES.length * LAST_NAMES.length) throw new RangeError('not enough demo names');
  const combos: string[] = [];
  for (const f of FIRST_NAMES) for (const l of LAST_NAMES) combos.push(`${f} ${l}`);
  return shuffled(random, combos).slice(0, count);
}

const REFEREE_NAMES = ['Alan Pryce', 'Bethan Morgan', 'Colin Hartley', 'Dana Kerr', 'Ellis Ward', 'Fiona Blake', 'Graham Stott', 'Helen Marsh'];

export function refereeName(random: Random): string {
  return REFEREE_NAMES[random.int(0, REFEREE_NAMES.length - 1)]!;
}
