// One HTTP client for every provider connector: authenticates the way the provider wants
// (a header or a query parameter), reads the provider's quota headers after every response,
// paces requests to stay under a per-minute allowance, honours Retry-After on 429, backs off
// on 5xx, and refuses to spend the last of a daily quota (QuotaExhaustedError), so a sync can
// stop cleanly with what it already committed (docs/decisions/0025).
// Waiting goes through an injected `sleep`, so tests run without waiting and never time.

export interface QuotaHeaders {
  /** Requests left in the provider's long window (day / month), first header present wins. */
  remaining: string[];
  /** Requests left in the current minute. */
  minuteRemaining?: string[];
  /** Seconds until the minute window resets. */
  minuteReset?: string[];
}

export interface ProviderClientOptions {
  source: string;
  baseUrl: string;
  auth: { header: string; value: string } | { query: string; value: string };
  quota: QuotaHeaders;
  /** Stop (QuotaExhaustedError) when at most this many requests are left in the long window. */
  reserve?: number;
  maxRetries?: number;
  /** First 5xx backoff in ms, doubled per retry. */
  backoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called after every HTTP exchange (metrics, health). */
  onRequest?: (event: { source: string; path: string; status: number | null; ok: boolean }) => void;
}

export interface QuotaState {
  remaining: number | null;
  minuteRemaining: number | null;
}

export class ProviderError extends Error {
  constructor(
    readonly source: string,
    message: string,
    readonly status: number | null,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** The provider's long-window quota is spent: nothing more is fetched in this run. */
export class QuotaExhaustedError extends ProviderError {
  constructor(source: string, readonly remaining: number) {
    super(source, `request quota exhausted (${remaining} left)`, 429);
    this.name = 'QuotaExhaustedError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function headerNumber(headers: Headers, names: string[] | undefined): number | null {
  for (const name of names ?? []) {
    const v = headers.get(name);
    if (v !== null && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date = new Date()): number | null {
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

export function createProviderClient(opts: ProviderClientOptions) {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const maxRetries = opts.maxRetries ?? 3;
  const backoffMs = opts.backoffMs ?? 500;
  const reserve = opts.reserve ?? 0;
  const quota: QuotaState = { remaining: null, minuteRemaining: null };
  let minuteResetMs = 60_000;
  let requests = 0;

  async function get<T = unknown>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if ('header' in opts.auth) headers[opts.auth.header] = opts.auth.value;
    else url.searchParams.set(opts.auth.query, opts.auth.value);

    for (let attempt = 0; ; attempt++) {
      if (quota.remaining !== null && quota.remaining <= reserve) throw new QuotaExhaustedError(opts.source, quota.remaining);
      // Pacing: the minute allowance is gone, wait for its window to reset.
      if (quota.minuteRemaining !== null && quota.minuteRemaining <= 0) {
        await sleep(minuteResetMs);
        quota.minuteRemaining = null;
      }
      let res: Response;
      try {
        requests++;
        res = await doFetch(url, { headers });
      } catch (err) {
        opts.onRequest?.({ source: opts.source, path, status: null, ok: false });
        if (attempt < maxRetries) {
          await sleep(backoffMs * 2 ** attempt);
          continue;
        }
        throw new ProviderError(opts.source, `request failed: ${err instanceof Error ? err.message : String(err)}`, null);
      }
      const remaining = headerNumber(res.headers, opts.quota.remaining);
      if (remaining !== null) quota.remaining = remaining;
      const minute = headerNumber(res.headers, opts.quota.minuteRemaining);
      if (minute !== null) quota.minuteRemaining = minute;
      const reset = headerNumber(res.headers, opts.quota.minuteReset);
      if (reset !== null) minuteResetMs = Math.max(0, reset * 1000);
      opts.onRequest?.({ source: opts.source, path, status: res.status, ok: res.ok });

      if (res.status === 429) {
        await res.body?.cancel();
        const wait = retryAfterMs(res.headers.get('retry-after'));
        if (attempt < maxRetries) {
          await sleep(wait ?? backoffMs * 2 ** attempt);
          continue;
        }
        throw new ProviderError(opts.source, `rate limited on ${path} after ${attempt + 1} attempts`, 429);
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        if (attempt < maxRetries) {
          await sleep(backoffMs * 2 ** attempt);
          continue;
        }
        throw new ProviderError(opts.source, `HTTP ${res.status} on ${path} after ${attempt + 1} attempts`, res.status);
      }
      const text = await res.text();
      if (!res.ok) throw new ProviderError(opts.source, `HTTP ${res.status} on ${path}: ${text.slice(0, 200)}`, res.status);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ProviderError(opts.source, `malformed JSON body on ${path}`, res.status);
      }
    }
  }

  return {
    get,
    quota,
    get requests() {
      return requests;
    },
  };
}
export type ProviderClient = ReturnType<typeof createProviderClient>;
