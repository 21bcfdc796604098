// What each cross-cutting layer costs a request (issue 15): a Fastify app built up one layer
// at a time — the logger Sharpline configures, request ids, the HTTP conventions (security
// headers, version field), CORS, compression, metrics — each answering a tiny JSON route,
// each in a process of its own, measured one after the other.
//   npx tsx bench/overhead-layers.ts <stage> <port>     (one server; used by the driver)
//   npx tsx bench/overhead-layers.ts                     (the driver: every stage, a table)
// The figure that matters is the server's CPU time per request (lib.ts cpuNs), which barely
// moves when something else loads the machine; req/s is shown beside it.
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import Fastify, { type FastifyServerOptions } from 'fastify';
import httpConventions, { requestIdFrom, securityHeaders, serializeRequestForLog } from '../src/platform/http.js';

export const STAGES = ['hello', 'logger', 'request-id', 'conventions', 'cors', 'compress', 'metrics'] as const;

async function serve(stage: number, port: number) {
  const opts: FastifyServerOptions = { logger: false };
  if (stage >= 1) opts.logger = { level: 'warn', redact: { paths: ['password', '*.password', 'req.headers.authorization'], censor: '[redacted]' }, serializers: { req: serializeRequestForLog } };
  if (stage >= 2) opts.genReqId = requestIdFrom;
  const app = Fastify(opts);
  if (stage >= 3) await app.register(httpConventions, { securityHeaders: securityHeaders({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } }) });
  if (stage >= 4) await app.register(cors, { origin: true });
  if (stage >= 5) await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  if (stage >= 6) {
    const { Counter, Histogram, Registry } = await import('prom-client');
    const registry = new Registry();
    const c = new Counter({ name: 'r', help: 'r', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
    const h = new Histogram({ name: 'd', help: 'd', labelNames: ['method', 'route', 'status_code'], registers: [registry] });
    app.addHook('onResponse', async (req, reply) => {
      const labels = { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      c.inc(labels);
      h.observe(labels, reply.elapsedTime / 1000);
    });
  }
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port });
}

if (process.argv[2] !== undefined) {
  await serve(Number(process.argv[2]), Number(process.argv[3]));
} else {
  const { freePort, machine, measure, startProcess, stopProcess, waitFor } = await import('./lib.js');
  const duration = Number(process.env.BENCH_DURATION ?? 6);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const results = STAGES.map(() => [] as { rps: number; cpu: number }[]);
  // Rounds interleave the stages so a burst of load elsewhere does not land on one stage only.
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < STAGES.length; i++) {
      const port = await freePort();
      const child = startProcess(process.execPath, ['--import', 'tsx/esm', 'bench/overhead-layers.ts', String(i), String(port)], {});
      try {
        await waitFor(`http://127.0.0.1:${port}/`);
        const r = await measure(STAGES[i]!, `http://127.0.0.1:${port}/`, { duration, pid: child.pid });
        results[i]!.push({ rps: r.rps, cpu: r.cpu_us_per_req ?? NaN });
      } finally {
        await stopProcess(child);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const cpu = results.map((rs) => median(rs.map((r) => r.cpu)));
  const rps = results.map((rs) => median(rs.map((r) => r.rps)));
  const lines = STAGES.map((s, i) => `| + ${s} | ${rps[i]} | ${cpu[i]!.toFixed(1)} | ${i === 0 ? '–' : (cpu[i]! - cpu[i - 1]!).toFixed(1)} |`);
  process.stdout.write(
    `\n${machine()} — ${new Date().toISOString()} — ${rounds} rounds × ${duration} s, 50 connections, medians\n` +
      `| layer (cumulative) | req/s | server CPU µs/req | this layer µs/req |\n|---|---:|---:|---:|\n${lines.join('\n')}\n`,
  );
}
