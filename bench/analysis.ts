// One analysis run over the demo dataset's whole remaining season (ANALYSIS horizon 365
// days): seeds the demo data and its predictions into BENCH_DATABASE_URL (or in-memory
// PGlite) when empty, then times the analysis.run job's work (pricing, rules, storing) and a
// lineup request. `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sl_analysis npx tsx bench/analysis.ts`
import { loadConfig } from '../src/config.js';
import { openDatabase, queryRows, sql } from '../src/db/client.js';
import { runAnalysis, rulesPortOf, type AnalysisRequest } from '../src/modules/analysis/engine.js';
import { createAnalysisService } from '../src/modules/analysis/service.js';
import { insertRun } from '../src/modules/analysis/repository.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { generatePredictions } from '../src/modules/predictions/generation.js';
import { createRulesService } from '../src/modules/rules/service.js';
import { fixedClock } from '../src/platform/clock.js';
import { createJobEngine } from '../src/platform/jobs.js';

const url = process.env.BENCH_DATABASE_URL ?? null;
const database = await openDatabase({ url, poolMax: 5 });
await database.migrate();
const clock = fixedClock('2024-03-15T12:00:00Z');
const config = loadConfig({});
const settings = { ...config.analysis, horizonDays: 365 };
const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from matches`);
if (n === 0) {
  process.stderr.write('seeding the demo dataset and its predictions…\n');
  await seedDemo({ database, clock }, { seed: 7 });
  await generatePredictions({ db: database.db, clock }, { horizonDays: 365 });
}
// The demo's upcoming fixtures carry ~1,200 prices; seven more (generated) bookmakers quoting
// each of them with their own noise make the run price over 5,000.
const [{ m } = { m: 0 }] = await queryRows<{ m: number }>(database.db, sql`select count(*)::int as m from bookmakers where code like 'bench-%'`);
if (m === 0) {
  for (let b = 1; b <= 7; b++) {
    await database.db.execute(sql`insert into bookmakers (code, name) values (${`bench-${b}`}, ${`Bench book ${b}`})`);
    await database.db.execute(sql`insert into odds (match_id, bookmaker_id, market, selection, line, price, phase, captured_at, source)
      select o.match_id, (select id from bookmakers where code = ${`bench-${b}`}), o.market, o.selection, o.line,
        round((1 + (o.price - 1) * (0.96 + 0.08 * ((abs(hashtext(o.id::text || ${String(b)})) % 1000) / 1000.0)))::numeric, 2)::float8, 'snapshot', ${clock.now().toISOString()}::timestamptz - interval '1 hour', 'bench'
      from odds o join matches mt on mt.id = o.match_id
      where mt.status = 'scheduled' and o.phase in ('opening', 'closing') and o.source <> 'bench'
      on conflict do nothing`);
  }
}
const rules = rulesPortOf(createRulesService({ db: database.db, clock, file: config.businessRulesFile }));
const [user] = await queryRows<{ id: number }>(database.db, sql`insert into users (email, password_hash, role) values (${`bench-${Date.now()}@example.com`}, 'x', 'user') returning id`);
const req: AnalysisRequest = { sports: null, min_confidence: 50, max_results: 500, lineup_sizes: [10], user_id: String(user!.id), bookmakers: null, markets: null, kelly_fraction: 0.25, bankroll: 1000 };
const times: number[] = [];
let summary: Awaited<ReturnType<typeof runAnalysis>> | null = null;
let lastId = '';
for (let i = 0; i < 3; i++) {
  const id = `analysis_bench_${Date.now()}_${i}`;
  await insertRun(database.db, { id, requestedBy: user!.id, rulesUserId: req.user_id, status: 'queued', request: req as unknown as Record<string, unknown>, createdAt: clock.now(), updatedAt: clock.now() });
  const t0 = performance.now();
  summary = await runAnalysis({ db: database.db, clock, settings, rules }, id, req, async () => undefined);
  times.push(performance.now() - t0);
  await database.db.execute(sql`update analysis_runs set status = 'completed' where id = ${id}`);
  lastId = id;
}
const service = createAnalysisService({ db: database.db, clock, jobs: createJobEngine(database, clock), settings, rules });
const l0 = performance.now();
const lineups = await service.lineups({ userId: user!.id, role: 'user' }, lastId, [10]);
const lineupMs = performance.now() - l0;
const lu = (lineups.lineups as { bets: unknown[] }[])[0]!;
times.sort((a, b) => a - b);
console.log(`engine ${database.kind}; prices ${summary!.offers}, priced sides ${summary!.priced}, +EV ${summary!.opportunities} (${summary!.filtered} filtered), matches ${summary!.matches}`);
console.log(`analysis run: median ${(times[1]! / 1000).toFixed(2)} s (runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`);
console.log(`lineup of 10 from the run's allowed legs (with loading): ${lineupMs.toFixed(0)} ms, ${lu.bets.length} bets`);
await database.close();
