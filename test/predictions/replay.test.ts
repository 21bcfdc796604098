// A season replayed through the product with the as-of clock (issue #16): a simulated league
// written as football-data.co.uk CSV files, evaluated walk-forward by `sharpline evaluate
// --forecasts`; then, in a second home, history up to one matchday imported, that matchday's
// fixtures imported without results, `train --as-of` and `predict --as-of`, and each
// prediction read through GET /api/v1/predictions/match/{id}. The models' probabilities must
// be the ones evaluate reported for the same matches, and the stored prediction says which
// instant it was made for.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { dixonColesMatrix } from '../../src/models/dixon-coles.js';
import { outcome1x2 } from '../../src/models/markets.js';
import { seededRandom } from '../../src/models/random.js';
import { doubleRoundRobin, randomStrengths } from '../../src/models/simulate-league.js';
import { sampleIndex } from '../../src/models/random.js';
import { fixedClock } from '../../src/platform/clock.js';
import { openRuntime } from '../../src/runtime.js';
import { addDays } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'sharpline-replay-'));
const homeEval = join(root, 'evaluate-home');
const homeReplay = join(root, 'replay-home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sharpline(home: string, args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? home, SHARPLINE_HOME: home, LOG_LEVEL: 'silent', SEED_DEMO_ON_EMPTY: 'false' };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/cli/index.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Three seasons of a 12-team league, a round every Saturday from the first Saturday of August.
const TEAMS = ['Ashford Town', 'Bexley Rovers', 'Carrow Athletic', 'Dunmore United', 'Elsworth City', 'Fairhaven', 'Glenmoor', 'Harwick Albion', 'Ilford Vale', 'Juniper Park', 'Kestrel Wanderers', 'Lyndon Forest'];
const SEASON_STARTS = ['2016-08-06', '2017-08-05', '2018-08-04'];
const REPLAY_ROUND = 12;
const REPLAY_DAY = addDays(SEASON_STARTS[2]!, 7 * REPLAY_ROUND); // 2018-10-27
const HEADER = 'Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,AvgH,AvgD,AvgA';

interface Row { date: string; home: string; away: string; hg: number; ag: number; odds: [number, number, number] }

function simulate(): Row[][] {
  const random = seededRandom(20181027);
  const truth = randomStrengths(TEAMS.length, 0.35, random);
  const rounds = doubleRoundRobin(TEAMS.length);
  return SEASON_STARTS.map((start) =>
    rounds.flatMap((round, r) =>
      round.map(([h, a]) => {
        const m = dixonColesMatrix(Math.exp(0.1 + 0.25 + truth.attack[h]! - truth.defence[a]!), Math.exp(0.1 + truth.attack[a]! - truth.defence[h]!), -0.08, 12);
        const cell = sampleIndex(random, m.p);
        const p = outcome1x2(m);
        const price = (q: number) => Math.round((1 / (q * 1.05 * Math.exp(0.04 * random.normal()))) * 100) / 100;
        return { date: addDays(start, 7 * r), home: TEAMS[h]!, away: TEAMS[a]!, hg: Math.floor(cell / (m.maxGoals + 1)), ag: cell % (m.maxGoals + 1), odds: [price(p.home), price(p.draw), price(p.away)] as [number, number, number] };
      }),
    ),
  );
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
function csv(rows: Row[], withResult: (r: Row) => boolean): string {
  const lines = rows.map((r) => {
    const played = withResult(r);
    const ftr = r.hg > r.ag ? 'H' : r.hg < r.ag ? 'A' : 'D';
    return ['E0', dmy(r.date), '15:00', r.home, r.away, played ? r.hg : '', played ? r.ag : '', played ? ftr : '', ...r.odds].join(',');
  });
  return `${HEADER}\n${lines.join('\n')}\n`;
}

type Probabilities = { home: number; draw: number; away: number };
const evaluated = new Map<string, Record<string, Probabilities>>();

beforeAll(async () => {
  const seasons = simulate();
  const files = seasons.map((rows, s) => {
    const file = join(root, `season-${s}.csv`);
    writeFileSync(file, csv(rows, () => true));
    return file;
  });
  // The replay's view of the third season: results before the replayed matchday, that
  // matchday's fixtures with opening prices and no scores, nothing after it.
  const partial = join(root, 'season-2-as-of.csv');
  writeFileSync(partial, csv(seasons[2]!.filter((r) => r.date <= REPLAY_DAY), (r) => r.date < REPLAY_DAY));
  for (const [home, list] of [[homeEval, files], [homeReplay, [files[0]!, files[1]!, partial]]] as const) {
    const imported = await sharpline(home, ['import', 'football-data', ...list, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
  }
}, 240_000);

describe('a season replayed through the CLI and the API with the as-of clock', () => {
  it('evaluate exports each match with the cut-off its models were fitted to', async () => {
    const out = join(root, 'forecasts.csv');
    const res = await sharpline(homeEval, ['evaluate', '--competition', 'england-premier-league', '--seasons', '2018-19..2018-19', '--models', 'elo,dixon-coles', '--refit-days', '7', '--forecasts', out, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/wrote 132 matches' forecasts/);
    const report = JSON.parse(res.stdout);
    expect(report.forecasts).toBeUndefined();
    expect(report).toMatchObject({ margin_method: 'shin', refit_days: 7 });
    const [head, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(0, 9)).toEqual(['match_id', 'competition', 'season', 'date', 'home_team', 'away_team', 'cutoff', 'home_score', 'away_score']);
    expect(lines).toHaveLength(132);
    for (const line of lines) {
      const cell = line.split(',');
      const get = (name: string) => cell[cols.indexOf(name)]!;
      // Weekly rounds, weekly refits: every round is fitted on the results before its own day.
      expect(get('cutoff')).toBe(get('date'));
      if (get('date') !== REPLAY_DAY) continue;
      const probs = (m: string): Probabilities => ({ home: Number(get(`${m}_home`)), draw: Number(get(`${m}_draw`)), away: Number(get(`${m}_away`)) });
      evaluated.set(`${get('home_team')}|${get('away_team')}`, { elo: probs('elo'), 'dixon-coles': probs('dixon-coles') });
    }
    expect(evaluated.size).toBe(6);
  }, 240_000);

  it('train and predict as of the matchday make the forecasts evaluate made, served with their as-of instant', async () => {
    const asOf = `${REPLAY_DAY}T09:00:00Z`;
    const trained = await sharpline(homeReplay, ['train', '--competition', 'england-premier-league', '--quick', '--as-of', asOf, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const t = JSON.parse(trained.stdout);
    expect(t.trained[0].artifacts.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['elo', 'dixon-coles']));
    expect(t.generated.matches).toBe(6);
    const predicted = await sharpline(homeReplay, ['predict', '--as-of', asOf, '--days', '6', '--no-settle', '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(JSON.parse(predicted.stdout)).toMatchObject({ as_of: `${REPLAY_DAY}T09:00:00.000Z`, generated: { matches: 6, inserted: 0 } });

    const clock = fixedClock(asOf);
    const config = loadConfig({ SHARPLINE_HOME: homeReplay, RATE_LIMIT_ENABLED: 'false', SEED_DEMO_ON_EMPTY: 'false' }, { logLevel: 'silent' });
    const runtime = await openRuntime(config, clock);
    const app = await buildApp({ config, database: runtime.database, jobs: runtime.jobs, clock, logger: false });
    try {
      const list = await app.inject({ method: 'GET', url: `/api/v1/matches?date_from=${REPLAY_DAY}&date_to=${REPLAY_DAY}&page_size=50` });
      expect(list.statusCode, list.body).toBe(200);
      const fixtures = list.json().items as { id: number; home_team: { name: string }; away_team: { name: string } }[];
      expect(fixtures).toHaveLength(6);
      let compared = 0;
      for (const m of fixtures) {
        const res = await app.inject({ method: 'GET', url: `/api/v1/predictions/match/${m.id}` });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { as_of: string; created_at: string; models: { model: string; win_probability: Probabilities; as_of: string }[] };
        expect(body.as_of).toBe(`${REPLAY_DAY}T09:00:00.000Z`);
        // created_at is the real time of writing, not the replayed instant.
        expect(body.created_at > '2025-01-01').toBe(true);
        const want = evaluated.get(`${m.home_team.name}|${m.away_team.name}`)!;
        expect(want, `${m.home_team.name} v ${m.away_team.name} in evaluate's export`).toBeDefined();
        for (const kind of ['elo', 'dixon-coles']) {
          const got = body.models.find((x) => x.model === kind)!;
          expect(got.as_of).toBe(body.as_of);
          for (const side of ['home', 'draw', 'away'] as const) expect(Math.abs(got.win_probability[side] - want[kind]![side])).toBeLessThan(1e-4);
          compared++;
        }
      }
      expect(compared).toBe(12);
    } finally {
      await app.close();
      await runtime.close();
    }
  }, 240_000);
});
