// Prometheus metrics at /metrics: HTTP request counts and latency per route and status,
// seed 001's prediction_requests_total / prediction_latency_seconds / cache_hit_rate /
// model_inference_errors, job queue depth, database pool usage, rate-limit refusals and
// the default process metrics, and the provider connectors' per-source counters. Each app has its own registry (tests build many apps).
//
// For other modules: `app.metrics.predictionRequests.inc({ endpoint, status })`,
// `app.metrics.predictionLatency.observe({ endpoint }, seconds)`,
// `app.metrics.modelInferenceErrors.inc()`.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import type { Cache } from './cache/cache.js';
import type { JobEngine } from './jobs.js';
import { connectorTotals } from '../modules/connectors/metrics.js';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Tally {
  labels: { method: string; route: string; status_code: string };
  count: number;
  sum: number;
  /** Per bucket (not cumulative): observations in (previous bound, this bound]; last = above all. */
  buckets: Float64Array;
}

/**
 * The HTTP request counter and latency histogram as plain numbers per method, route and status,
 * handed to the registry as prom-client metric objects that are read at scrape time. A
 * request adds to one counter and one bucket; prom-client's own Counter and Histogram hash the
 * label set on every call (decision 0037). The exposition is the same: http_requests_total and
 * http_request_duration_seconds_{bucket,sum,count}.
 */
export class HttpTally {
  readonly #tallies = new Map<string, Tally>();

  record(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let t = this.#tallies.get(key);
    if (t === undefined) {
      t = { labels: { method, route, status_code: String(statusCode) }, count: 0, sum: 0, buckets: new Float64Array(HTTP_BUCKETS.length + 1) };
      this.#tallies.set(key, t);
    }
    t.count++;
    t.sum += seconds;
    let i = 0;
    while (i < HTTP_BUCKETS.length && seconds > HTTP_BUCKETS[i]!) i++;
    t.buckets[i]!++;
  }

  requestsMetric() {
    const name = 'http_requests_total';
    const help = 'HTTP requests by method, route template and status code';
    return {
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ name, help, type: 'counter', aggregator: 'sum', values: [...this.#tallies.values()].map((t) => ({ labels: t.labels, value: t.count })) }),
      reset: () => this.#tallies.clear(),
    };
  }

  durationMetric() {
    const name = 'http_request_duration_seconds';
    const help = 'HTTP request latency by method, route template and status code';
    return {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => {
        const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
        for (const t of this.#tallies.values()) {
          let cumulative = 0;
          HTTP_BUCKETS.forEach((le, i) => {
            cumulative += t.buckets[i]!;
            values.push({ labels: { le, ...t.labels }, value: cumulative, metricName: `${name}_bucket` });
          });
          values.push({ labels: { le: '+Inf', ...t.labels }, value: t.count, metricName: `${name}_bucket` });
          values.push({ labels: t.labels, value: t.sum, metricName: `${name}_sum` });
          values.push({ labels: t.labels, value: t.count, metricName: `${name}_count` });
        }
        return { name, help, type: 'histogram', aggregator: 'sum', values };
      },
      reset: () => this.#tallies.clear(),
    };
  }
}

export function createMetrics(deps: { database: Database; jobs: JobEngine; cache: Cache }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new HttpTally();
  registry.registerMetric(http.requestsMetric() as never);
  registry.registerMetric(http.durationMetric() as never);
  const predictionRequests = new Counter({
    name: 'prediction_requests_total',
    help: 'Total number of prediction requests',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
  });
  const predictionLatency = new Histogram({
    name: 'prediction_latency_seconds',
    help: 'Prediction latency in seconds',
    labelNames: ['endpoint'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [registry],
  });
  const modelInferenceErrors = new Counter({
    name: 'model_inference_errors',
    help: 'Total number of model inference errors',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const propsStateBuilds = new Counter({
    name: 'props_state_builds_total',
    help: "Player-props model states built (history load and refit), on a request's time or ahead of it by the warm-up after a data change or training",
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const propsSimulations = new Counter({
    name: 'props_simulations_total',
    help: "Player-props match simulations drawn (tier2, ensemble, parlays), on a request's time or ahead of it by the warm-up",
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429, by caller tier or route policy',
    labelNames: ['tier'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'cache_hit_rate',
    help: 'Cache hit rate (hits / reads since start)',
    registers: [registry],
    collect() {
      this.set(deps.cache.stats().hitRate);
    },
  });
  new Gauge({
    name: 'cache_errors',
    help: 'Cache operations that failed (Redis unreachable) since start',
    registers: [registry],
    collect() {
      this.set(deps.cache.stats().errors);
    },
  });
  const collectErrors = new Counter({
    name: 'metrics_collect_errors_total',
    help: 'Scrapes where a gauge could not be read (e.g. the database was down), by gauge',
    labelNames: ['gauge'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs waiting or running, by queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      // A scrape must not fail because the database is down: the gauge keeps its last
      // values and the failure is counted.
      let depth: Record<string, number>;
      try {
        depth = await deps.jobs.queueDepth();
      } catch {
        collectErrors.inc({ gauge: 'job_queue_depth' });
        return;
      }
      this.reset();
      for (const [queue, n] of Object.entries(depth)) this.set({ queue }, n);
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting clients)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = deps.database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  // The connectors' process-wide totals (src/modules/connectors/metrics.ts), read at scrape time.
  new Counter({
    name: 'data_source_requests_total',
    help: 'HTTP requests to each data provider, by outcome (2xx, 4xx, 429, 5xx, network)',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of connectorTotals().requests) this.inc({ source: r.source, outcome: r.outcome }, r.value);
    },
  });
  new Counter({
    name: 'data_source_errors_total',
    help: 'Failed exchanges with each data provider (network, 429, 4xx, 5xx) and 2xx answers that could not be used (malformed body, error envelope)',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of connectorTotals().errors) this.inc({ source: r.source }, r.value);
    },
  });
  new Counter({
    name: 'data_source_rows_written_total',
    help: 'Rows each data provider sync inserted or updated, by kind (matches, odds, odds_history, lineups, injuries, players)',
    labelNames: ['source', 'kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of connectorTotals().rows) this.inc({ source: r.source, kind: r.kind }, r.value);
    },
  });
  return { registry, http, predictionRequests, predictionLatency, modelInferenceErrors, rateLimited, propsStateBuilds, propsSimulations };
}

export type Metrics = ReturnType<typeof createMetrics>;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

async function metricsPlugin(app: FastifyInstance, deps: { database: Database; jobs: JobEngine; cache: Cache }): Promise<void> {
  const metrics = createMetrics(deps);
  app.decorate('metrics', metrics);

  // Callback style, no promise; plain numbers per method, route and status (HttpTally).
  app.addHook('onResponse', (req, reply, done) => {
    // The route template, never the raw URL: ids in paths would explode the label space.
    metrics.http.record(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    {
      config: { rateLimitExempt: true },
      schema: {
        operationId: 'getMetrics',
        tags: ['health'],
        summary: 'Prometheus metrics (text exposition format)',
        response: { 200: Type.String() },
      },
    },
    async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}

export default fp(metricsPlugin, { name: 'sharpline-metrics' });
