// HTTP conventions shared by every route: request ids, the single error handler that maps
// every failure to the public error shape, the 404 handler, and `"version": "v1"` on
// every successful JSON object.
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError, errorTypeForStatus, type ErrorBody } from './errors.js';

export const API_VERSION = 'v1';
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Use the caller's X-Request-Id when it is sane, otherwise make one. */
export function requestIdFrom(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
}

const SECRET_QUERY_PARAMS = /([?&](?:token|access_token|api_key|key)=)[^&#]*/gi;
const SECRET_PATHS = /^(\/live\/)[^/?#]+/;

/** A request URL fit for logs: share and access tokens in the query or the live-page path hidden. */
export function redactUrlSecrets(url: string): string {
  return url.replace(SECRET_PATHS, '$1[redacted]').replace(SECRET_QUERY_PARAMS, '$1[redacted]');
}

/** Fastify's request log serializer, with secrets in the URL hidden. */
export function serializeRequestForLog(req: { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: redactUrlSecrets(req.url), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

type LogFn = (...args: unknown[]) => void;
interface BaseLogger {
  level: string;
  isLevelEnabled?(level: string): boolean;
  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): BaseLogger;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  silent: LogFn;
}

/**
 * A request's logger that becomes a real pino child (bindings, redaction, serializers) only
 * when the request writes a line at an enabled level. Fastify makes a child per request; with
 * redaction configured that costs about 2 µs, and at the default level most requests (every
 * cache hit, /health) never write one (decision 0037).
 */
export class LazyRequestLogger {
  #real: BaseLogger | null = null;
  constructor(
    private readonly parent: BaseLogger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private real(): BaseLogger {
    return (this.#real ??= this.parent.child(this.bindings));
  }

  private enabled(level: string): boolean {
    return this.#real !== null || (this.parent.isLevelEnabled ? this.parent.isLevelEnabled(level) : true);
  }

  get level(): string {
    return this.#real?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.real().level = level;
  }

  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): BaseLogger {
    return this.real().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    if (this.enabled('fatal')) this.real().fatal(...args);
  }
  error(...args: unknown[]): void {
    if (this.enabled('error')) this.real().error(...args);
  }
  warn(...args: unknown[]): void {
    if (this.enabled('warn')) this.real().warn(...args);
  }
  info(...args: unknown[]): void {
    if (this.enabled('info')) this.real().info(...args);
  }
  debug(...args: unknown[]): void {
    if (this.enabled('debug')) this.real().debug(...args);
  }
  trace(...args: unknown[]): void {
    if (this.enabled('trace')) this.real().trace(...args);
  }
  silent(): void {}
}

/**
 * Fastify's childLoggerFactory: a lazy child, unless the route asks for its own level or
 * serializers (then the real child at once, as Fastify would make it).
 */
export function lazyChildLoggerFactory(logger: unknown, bindings: Record<string, unknown>, opts: Record<string, unknown>): BaseLogger {
  const parent = logger as BaseLogger;
  if (opts.level !== undefined || opts.serializers !== undefined) return parent.child(bindings, opts);
  return new LazyRequestLogger(parent, bindings) as unknown as BaseLogger;
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: AjvIssue): string | undefined {
  const missing = issue.params?.missingProperty;
  if (typeof missing === 'string') return missing;
  const additional = issue.params?.additionalProperty;
  if (typeof additional === 'string') return additional;
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return path || undefined;
}

function valueAt(source: unknown, field: string | undefined): unknown {
  if (!field || source === null || typeof source !== 'object') return undefined;
  let cur: unknown = source;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function validationBody(error: FastifyError, request: FastifyRequest): Omit<ErrorBody, 'timestamp' | 'request_id'> {
  const issue = (error.validation?.[0] ?? {}) as AjvIssue;
  const context = error.validationContext ?? 'body';
  const field = fieldOf(issue);
  const source = context === 'querystring' ? request.query : context === 'params' ? request.params : context === 'headers' ? request.headers : request.body;
  const provided = valueAt(source, field);
  const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : context === 'headers' ? 'header' : 'body field';
  const message = field
    ? `${where} '${field}' ${issue.message ?? 'is invalid'}${provided !== undefined ? ` (got ${JSON.stringify(provided)})` : ''}`
    : `request ${context} ${issue.message ?? 'is invalid'}`;
  return {
    error: 'ValidationError',
    message,
    ...(field ? { field } : {}),
    ...(provided !== undefined ? { provided_value: provided } : {}),
    details: (error.validation ?? []).map((v) => ({ field: fieldOf(v as AjvIssue), rule: v.keyword, message: v.message })),
  };
}

export function sendError(reply: FastifyReply, status: number, body: Omit<ErrorBody, 'timestamp' | 'request_id'>): FastifyReply {
  const full: ErrorBody = { ...body, timestamp: new Date().toISOString(), request_id: String(reply.request.id) };
  return reply.code(status).type('application/json; charset=utf-8').send(full);
}

/**
 * The security headers helmet sets for these options, computed once. With the content
 * security policy off none of them depends on the request, so running helmet's middleware
 * chain per request (what @fastify/helmet does) repeats the same work each time.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown = null;
  helmet(options)({} as never, res as never, (err?: unknown) => {
    failed = err ?? null;
  });
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return headers;
}

/**
 * The security headers that mean something on a JSON response (OWASP REST Security Cheat
 * Sheet): no MIME sniffing, no framing, HTTPS only, who may embed it, no referrer. The rest of
 * helmet's set (cross-origin opener policy, origin-agent-cluster, DNS prefetch control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies, X-XSS-Protection: 0) governs how a
 * browser treats a document, and is sent on the HTML pages (decision 0033).
 */
export const API_SECURITY_HEADERS = ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'cross-origin-resource-policy', 'referrer-policy'] as const;

/** Routes that answer HTML documents, which get helmet's whole set. */
export const isDocumentRoute = (url: string | undefined) => url !== undefined && (url === '/docs' || url.startsWith('/docs/') || url.startsWith('/live/'));

async function httpConventions(app: FastifyInstance, opts: { securityHeaders?: Record<string, string> }): Promise<void> {
  const all = opts.securityHeaders ?? {};
  const documentHeaders = Object.entries(all);
  const apiHeaders = documentHeaders.filter(([name]) => (API_SECURITY_HEADERS as readonly string[]).includes(name));
  // One hook, no promise: every response's request id and security headers. Each header a
  // response carries costs it (bench/overhead-layers.ts), so JSON gets the ones that apply to it.
  app.addHook('onRequest', (request, reply, done) => {
    const headers = isDocumentRoute(request.routeOptions.url) ? documentHeaders : apiHeaders;
    for (const [name, value] of headers) reply.header(name, value);
    reply.header('x-request-id', request.id);
    done();
  });

  // A GET or HEAD has no body to inflate: @fastify/compress's request decompression hook
  // would only cost such a route time (this hook runs before the compress plugin's own).
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.decompress === undefined && methods.every((m) => m === 'GET' || m === 'HEAD')) route.decompress = false;
  });

  // Every successful JSON object says which API version produced it.
  app.addHook('preSerialization', (_request, reply, payload, done) => {
    if (reply.statusCode < 400 && payload !== null && typeof payload === 'object' && !Array.isArray(payload) && !Buffer.isBuffer(payload)) {
      const obj = payload as Record<string, unknown>;
      if (!('version' in obj)) return done(null, { ...obj, version: API_VERSION });
    }
    done(null, payload);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, error.statusCode, { error: error.errorType, message: error.message, ...error.extra });
    }
    if (error.validation) return sendError(reply, 400, validationBody(error, request));
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      // Never leak internals (SQL, stack traces, driver messages) to the caller.
      request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, status === 503 ? 503 : 500, {
        error: status === 503 ? 'ServiceUnavailable' : 'InternalError',
        message: status === 503 ? 'A dependency is unavailable; try again shortly' : 'Internal server error',
      });
    }
    if (status === 429) {
      return sendError(reply, 429, { error: 'TooManyRequests', message: error.message || 'Rate limit exceeded' });
    }
    return sendError(reply, status, { error: errorTypeForStatus(status), message: error.message });
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, {
      error: 'NotFound',
      message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
      resource: 'route',
      id: request.url.split('?')[0] ?? '',
    }),
  );
}

export default fp(httpConventions, { name: 'http-conventions' });
