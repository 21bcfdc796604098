// Shared benchmark plumbing: child-process servers on free ports and an autocannon run that
// records every response time, so p50/p95/p99 are exact rather than histogram buckets.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
}

export async function waitFor(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

/** A JSON caller for a benchmark's setup requests: throws on any status from 300 up. */
export function jsonClient(base: string) {
  return async (method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/**
 * How a benchmark starts the Sharpline CLI: `node <entry> serve`. By default the compiled
 * build, as `npm run build` makes it and as a deployment runs it (bin/sharpline.js prefers
 * dist/), built here into a directory of its own so the checkout's dist/ is left as it was;
 * BENCH_RUNTIME=tsx runs the TypeScript sources through tsx's loader instead. Under tsx every
 * named closure is wrapped in a naming helper each time it is created, which costs a request
 * path measurable CPU (docs/benchmarks.md, issue 15).
 */
export function sharplineEntry(root = '.'): { entry: string; runtime: 'compiled' | 'tsx' } {
  const dir = resolve(root);
  if (process.env.BENCH_RUNTIME === 'tsx') return { entry: join(dir, 'bin', 'sharpline.js'), runtime: 'tsx' };
  // The build's modules find package.json, config/ and node_modules one level above dist/.
  const out = mkdtempSync(join(tmpdir(), 'sharpline-build-'));
  // Removed when the benchmark exits (rm unlinks the symlinks, it does not follow them).
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  for (const name of ['package.json', 'config', 'node_modules']) symlinkSync(join(dir, name), join(out, name));
  process.stderr.write(`building ${dir} into ${out}/dist (BENCH_RUNTIME=tsx to run the sources)...\n`);
  execFileSync(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.build.json'), '--outDir', join(out, 'dist')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(dir, 'scripts', 'copy-build-assets.mjs'), join(out, 'dist')], { stdio: 'inherit' });
  return { entry: join(out, 'dist', 'cli', 'index.js'), runtime: 'compiled' };
}

export function startProcess(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => {
    const line = d.toString();
    if (/error/i.test(line)) process.stderr.write(`[${args.join(' ')}] ${line}`);
  });
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  });
}

export interface LatencyResult {
  name: string;
  url: string;
  connections: number;
  duration_s: number;
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  /** The server's CPU time (all its threads, user + system) per request, when its pid was given. */
  cpu_us_per_req?: number;
}

/**
 * CPU time a process has used, in nanoseconds: the sum over its threads of the scheduler's
 * run time (/proc/<pid>/task/<tid>/schedstat). Unlike req/s it barely moves when another
 * process competes for the cores, so it measures what a request costs the server.
 */
export function cpuNs(pid: number): number | null {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    return total;
  } catch {
    return null; // not Linux, or the process is gone
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export async function measure(
  name: string,
  url: string,
  opts: { connections?: number; duration?: number; headers?: Record<string, string>; pid?: number } = {},
): Promise<LatencyResult> {
  const connections = opts.connections ?? 50;
  const duration = opts.duration ?? 10;
  // Warm-up: JIT, connection pools, caches.
  await autocannon({ url, connections, duration: 2, headers: opts.headers });
  const times: number[] = [];
  const cpuBefore = opts.pid !== undefined ? cpuNs(opts.pid) : null;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration, headers: opts.headers }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  const cpuAfter = opts.pid !== undefined ? cpuNs(opts.pid) : null;
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  const cpu = cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? r((cpuAfter - cpuBefore) / 1000 / result.requests.total) : undefined;
  return {
    name,
    url,
    connections,
    duration_s: duration,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
    p50_ms: r(percentile(times, 50)),
    p95_ms: r(percentile(times, 95)),
    p99_ms: r(percentile(times, 99)),
    max_ms: r(times[times.length - 1] ?? NaN),
    ...(cpu !== undefined ? { cpu_us_per_req: cpu } : {}),
  };
}

export function table(rows: LatencyResult[]): string {
  const cpu = rows.some((x) => x.cpu_us_per_req !== undefined);
  const head = `| endpoint | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx |${cpu ? ' server CPU µs/req |' : ''}\n|---|---:|---:|---:|---:|---:|---:|${cpu ? '---:|' : ''}`;
  return [
    head,
    ...rows.map((x) => `| ${x.name} | ${x.rps} | ${x.p50_ms} | ${x.p95_ms} | ${x.p99_ms} | ${x.max_ms} | ${x.non2xx} |${cpu ? ` ${x.cpu_us_per_req ?? '–'} |` : ''}`),
  ].join('\n');
}
