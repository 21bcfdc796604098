// Rate limits per caller: API keys (seed 001: burst 20/s, 100/min, 1000/h), signed-in
// users, and client IPs for anonymous callers, plus named per-route policies (seed 004's
// analysis limits) counted per caller on top. Built on @fastify/rate-limit's limiters with
// a store over our window counters (clock-aligned, Redis or memory).
//
// Every response carries X-RateLimit-Limit/-Remaining/-Reset for the binding window (the
// one with the fewest requests left), X-RateLimit-Policy listing all windows, and a 429
// carries Retry-After. Reset is an epoch second, as in seed 001's example.
import fastifyRateLimit, { normalizeIP, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitConfig, RateWindow } from '../../config.js';
import '../auth/identity.js';
import type { Clock } from '../clock.js';
import type { WindowCounter } from './counter.js';
import { TooManyRequestsError } from './errors.js';

/** Routes that are watched by machines: never refused, counted for nobody. */
const EXEMPT_URLS = new Set(['/health', '/api/health', '/api/v1/health', '/metrics']);

export interface RateLimitOptions {
  config: RateLimitConfig;
  counter: WindowCounter;
  clock: Clock;
  /** Called once per refused request (metrics). */
  onRefused?: (tier: string) => void;
}

/** A @fastify/rate-limit store counting in our clock-aligned windows. */
export function counterStore(counter: WindowCounter, clock: Clock): FastifyRateLimitStoreCtor {
  type Callback = Parameters<FastifyRateLimitStore['incr']>[1];
  const answer = (p: Promise<{ count: number; resetAtMs: number }>, now: number, cb: Callback) =>
    p.then(
      (r) => cb(null, { current: r.count, ttl: Math.max(0, r.resetAtMs - now) }),
      (err: Error) => cb(err),
    );
  return class CounterStore implements FastifyRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number) {
      const now = clock.now().getTime();
      void answer(counter.hit(key, timeWindow, now), now, cb);
    }
    read(key: string, cb: Callback, timeWindow: number) {
      const now = clock.now().getTime();
      void answer(counter.peek(key, timeWindow, now), now, cb);
    }
    child() {
      return this;
    }
  };
}

type Tier = 'apiKey' | 'user' | 'anonymous';

function subjectOf(req: FastifyRequest): { tier: Tier; subject: string } {
  const id = req.auth;
  if (id?.kind === 'api_key' && id.apiKeyId !== null) return { tier: 'apiKey', subject: `key:${id.apiKeyId}` };
  if (id) return { tier: 'user', subject: `user:${id.userId}` };
  return { tier: 'anonymous', subject: `ip:${normalizeIP(req.ip)}` };
}

interface Outcome {
  window: RateWindow;
  remaining: number;
  resetAtMs: number;
  exceeded: boolean;
}

type Limiter = (req: FastifyRequest) => Promise<Outcome | null>;

function policyHeader(windows: RateWindow[]): string {
  return windows.map((w) => `${w.max};w=${w.windowSeconds}`).join(', ');
}

async function rateLimit(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const { config, clock } = opts;
  await app.register(fastifyRateLimit, { global: false, store: counterStore(opts.counter, clock), skipOnError: false });

  const limiterFor = (window: RateWindow, keyOf: (req: FastifyRequest) => string): Limiter => {
    const check = app.createRateLimit({ max: window.max, timeWindow: window.windowSeconds * 1000, keyGenerator: keyOf });
    return async (req) => {
      const r = await check(req);
      if (r.isAllowed) return null;
      return { window, remaining: r.remaining, resetAtMs: clock.now().getTime() + r.ttl, exceeded: r.isExceeded };
    };
  };
  const bySubject = (req: FastifyRequest) => subjectOf(req).subject;
  const tiers: Record<Tier, { windows: RateWindow[]; limiters: Limiter[] }> = {
    apiKey: { windows: config.apiKey, limiters: config.apiKey.map((w) => limiterFor(w, bySubject)) },
    user: { windows: config.user, limiters: config.user.map((w) => limiterFor(w, bySubject)) },
    anonymous: { windows: config.anonymous, limiters: config.anonymous.map((w) => limiterFor(w, bySubject)) },
  };
  const policies = new Map<string, Limiter>();
  for (const [name, window] of Object.entries(config.routes)) {
    policies.set(name, limiterFor(window, (req) => `route:${name}:${subjectOf(req).subject}`));
  }

  // A route naming a policy nobody configured is a programming error: fail at start-up.
  app.addHook('onRoute', (route) => {
    const policy = route.config?.rateLimitPolicy;
    if (policy !== undefined && !policies.has(policy)) {
      throw new Error(`route ${route.method} ${route.url} names rate-limit policy "${policy}", which config.rateLimit.routes does not define`);
    }
  });

  const limit = async (req: FastifyRequest, reply: FastifyReply) => {
    const routeConfig = req.routeOptions.config;
    const { tier } = subjectOf(req);
    const policy = routeConfig.rateLimitPolicy;
    const limiters = [...tiers[tier].limiters];
    const windows = [...tiers[tier].windows];
    if (policy !== undefined) {
      limiters.push(policies.get(policy)!);
      windows.push(config.routes[policy]!);
    }
    const outcomes = (await Promise.all(limiters.map((l) => l(req)))).filter(
      (o): o is Outcome => o !== null,
    );
    if (outcomes.length === 0) return;
    // The binding window: fewest requests left; on a tie the longer window (the quota).
    const binding = outcomes.reduce((a, b) =>
      b.remaining < a.remaining || (b.remaining === a.remaining && b.window.windowSeconds > a.window.windowSeconds) ? b : a,
    );
    const exceeded = outcomes.filter((o) => o.exceeded);
    const shown = exceeded.length > 0 ? exceeded.reduce((a, b) => (b.resetAtMs > a.resetAtMs ? b : a)) : binding;
    reply.header('x-ratelimit-limit', shown.window.max);
    reply.header('x-ratelimit-remaining', exceeded.length > 0 ? 0 : binding.remaining);
    reply.header('x-ratelimit-reset', Math.round(shown.resetAtMs / 1000));
    reply.header('x-ratelimit-policy', policyHeader(windows));
    if (exceeded.length === 0) return;
    // Every exceeded window must reset before a retry can succeed.
    const retryAfter = Math.max(1, Math.ceil((shown.resetAtMs - clock.now().getTime()) / 1000));
    reply.header('retry-after', retryAfter);
    opts.onRefused?.(policy !== undefined && exceeded.some((o) => o.window === config.routes[policy]) ? `route:${policy}` : tier);
    throw new TooManyRequestsError(`Rate limit exceeded: at most ${shown.window.max} requests per ${shown.window.windowSeconds} s; retry in ${retryAfter} s`, retryAfter, {
      limit: shown.window.max,
      window_seconds: shown.window.windowSeconds,
      retry_after_seconds: retryAfter,
    });
  };
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    // Watched by machines: not counted, not refused, and no counter read (a health probe
    // asked thousands of times a second costs no round trip to the limit store), and no
    // promise either.
    const route = req.routeOptions;
    if (route.config.rateLimitExempt === true || EXEMPT_URLS.has(route.url ?? '')) return done();
    limit(req, reply).then(() => done(), done);
  });
}

export const rateLimitPlugin = fp(rateLimit, { name: 'sharpline-rate-limit' });
