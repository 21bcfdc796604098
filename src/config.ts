// Environment → typed configuration, validated once at boot. Nothing else reads process.env.
// Every setting has a default that makes the embedded mode (PGlite under ./data, in-process
// cache and worker) work with no configuration at all.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cronParser from 'cron-parser';
import type { AnalysisSettings } from './modules/analysis/engine.js';
import { parseAsOf } from './platform/clock.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL connection string; null selects the embedded PGlite database. */
  databaseUrl: string | null;
  /** Where the embedded mode keeps its files (PGlite database, generated secrets). */
  dataDir: string;
  redisUrl: string | null;
  logLevel: LogLevel;
  /** Run the job worker inside `serve` (default: yes in embedded mode, no with DATABASE_URL). */
  workerInProcess: boolean;
  /** Seed the demo dataset when `start` finds an empty database. */
  seedDemoOnEmpty: boolean;
  /** SHARPLINE_AS_OF: `serve`/`worker` start their clock at this instant (then real time passes); null = now. */
  asOf: Date | null;
  corsOrigins: string[] | '*';
  /** Folder of real historical data used by the real-data suite, evaluations and benchmarks. */
  realDataDir: string;
  dbPoolMax: number;
  bodyLimitBytes: number;
  /** Trust X-Forwarded-* from a reverse proxy: true (any) or a list of proxy addresses/CIDRs. */
  trustProxy: boolean | string[];
  /** HS256 signing secret for access tokens; null → generated once into dataDir/secret.key. */
  jwtSecret: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** The first admin, created by `sharpline users create-admin` (and at start-up) when set. */
  adminEmail: string | null;
  adminPassword: string | null;
  /** argon2id cost; the defaults are OWASP's minimum (19 MiB, 2 passes). */
  passwordHashMemoryKib: number;
  passwordHashIterations: number;
  rateLimit: RateLimitConfig;
  loginThrottle: LoginThrottleConfig;
  /** Entries the in-process cache keeps (used when no Redis is configured). */
  cacheMaxEntries: number;
  /** Serve read endpoints from the response cache (off: always from the database). */
  cacheResponses: boolean;
  /** /health reuses a dependency check younger than this many milliseconds (0: never). */
  healthProbeMaxAgeMs: number;
  /** How often the server looks for a data change or training to re-warm the props model state (ms; 0: never). */
  propsWarmIntervalMs: number;
  /** Value analysis: horizon, stake caps and the lineup optimiser's caps (docs/value-analysis.md). */
  analysis: AnalysisSettings;
  /** The business-rules YAML read at first use and by POST /admin/reload-business-rules. */
  businessRulesFile: string;
  /** Provider connectors (docs/connectors.md): a source without a key is off. */
  connectors: ConnectorsConfig;
  schedules: ScheduleConfig;
  /** News documents (docs/documents.md). */
  documents: DocumentsConfig;
  /**
   * MODEL_SETTINGS: how a full training sets the main model's and Elo's settings — 'nested'
   * (default): chosen per competition on its own two-year backtest (docs/model-quality.md,
   * decision 0035); 'fixed': the sport's settings as tuned in engine/params.ts.
   */
  modelSettings: 'nested' | 'fixed';
}

export interface DocumentsConfig {
  /** DOCUMENT_FEEDS: feed/page URLs fetched by the scheduled ingest; none: the job runs and reports it has nothing to do. */
  feeds: string[];
  /** CRON_DOCUMENTS: when the feeds are fetched (UTC; default every 2 hours, seed 002); '' or off turns the schedule off. */
  ingestCron: string;
  /** NEWS_FEATURES_IN_TRAINING: attach each training match's news features (both teams, as of its day) to the training history; off by default. */
  newsFeaturesInTraining: boolean;
}

export interface ProviderConfig {
  apiKey: string | null;
  baseUrl: string;
}

export interface ConnectorsConfig {
  footballData: ProviderConfig & { competitions: string[] };
  apiFootball: ProviderConfig & { leagues: string[]; season: number | null; lineupWindowHours: number };
  oddsApi: ProviderConfig & { sports: string[]; regions: string; markets: string; playerMarkets: string[] };
  /** Minutes after which a source with no successful fetch is stale. */
  staleAfterMinutes: number;
  /** Cron (UTC) of each source's scheduled sync; '' turns the schedule off. */
  schedules: { footballData: string; apiFootball: string; oddsApi: string };
}

/** Seed 002's other schedules (cron, UTC; '' turns one off). docs/connectors.md lists them. */
export interface ScheduleConfig {
  /** Re-read the finished seasons before the current one from each fixtures source (daily 03:00). */
  history: string;
  /** How many seasons back the history job reads (`sharpline backfill --seasons N` takes its own N). */
  historySeasons: number;
  /** Retrain the models (daily 04:00). */
  retrain: string;
  /** Generate predictions for upcoming matches (every 4 h). */
  predictions: string;
}

/** One fixed window: at most `max` requests per `windowSeconds`. */
export interface RateWindow {
  max: number;
  windowSeconds: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Per API key (seed 001: burst 20/s, 100/min, 1000/h). */
  apiKey: RateWindow[];
  /** Per signed-in user (access token). */
  user: RateWindow[];
  /** Per client IP for anonymous callers. */
  anonymous: RateWindow[];
  /** Named per-route policies (seed 004's analysis limits), applied per caller on top. */
  routes: Record<string, RateWindow>;
}

export interface LoginThrottleConfig {
  /** Failed logins allowed per account (email) per window. */
  maxFailuresPerAccount: number;
  /** Failed logins allowed per client IP per window. */
  maxFailuresPerIp: number;
  windowSeconds: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === null) return fallback;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected an integer, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `expected ${min}..${max}, got ${n}`);
  return n;
}

/** Comma- or whitespace-separated http(s) URLs. */
function feedUrls(env: Env, name: string): string[] {
  const v = str(env, name);
  if (v === null) return [];
  const urls = v.split(/[\s,]+/).filter((u) => u.length > 0);
  for (const u of urls) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError(name, `expected http(s) URLs separated by commas, got "${u}"`);
  }
  return [...new Set(urls)];
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = str(env, name);
  if (v === null) return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(name, `expected true or false, got "${v}"`);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const v = str(env, name);
  if (v === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  }
  return v;
}

const DURATION_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "20/1s" → {max: 20, windowSeconds: 1}. */
function rateWindow(name: string, text: string): RateWindow {
  const m = /^(\d{1,9})\s*\/\s*(\d{1,6})?\s*([smhd])$/.exec(text.trim());
  if (!m) throw new ConfigError(name, `expected limits like "20/1s,100/1m,1000/1h", got "${text}"`);
  const windowSeconds = Number(m[2] ?? '1') * DURATION_SECONDS[m[3]!]!;
  if (Number(m[1]) < 1 || windowSeconds < 1) throw new ConfigError(name, `limits and windows must be positive, got "${text}"`);
  return { max: Number(m[1]), windowSeconds };
}

function rateWindows(env: Env, name: string, fallback: string): RateWindow[] {
  const v = str(env, name) ?? fallback;
  return v
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => rateWindow(name, part));
}

/** Seed 004: analysis 1 per 30 s per user, progress 10/min, results 30/min; plus sign-up and login. */
const DEFAULT_ROUTE_LIMITS = 'analysis.start=1/30s;analysis.progress=10/1m;analysis.results=30/1m;auth.register=20/1h;auth.login=30/1m';

function routeLimits(env: Env): Record<string, RateWindow> {
  const out: Record<string, RateWindow> = {};
  // Defaults first, then the operator's entries override or add by name.
  for (const source of [DEFAULT_ROUTE_LIMITS, str(env, 'RATE_LIMIT_ROUTES') ?? '']) {
    for (const entry of source.split(';').map((e) => e.trim()).filter(Boolean)) {
      const eq = entry.indexOf('=');
      const policy = entry.slice(0, eq).trim();
      if (eq < 1 || !/^[a-z0-9_.-]+$/i.test(policy)) throw new ConfigError('RATE_LIMIT_ROUTES', `expected name=limit entries separated by ";", got "${entry}"`);
      out[policy] = rateWindow('RATE_LIMIT_ROUTES', entry.slice(eq + 1));
    }
  }
  return out;
}

function trustProxy(env: Env): boolean | string[] {
  const v = str(env, 'TRUST_PROXY');
  if (v === null || /^(0|false|no|off)$/i.test(v)) return false;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function jwtSecret(env: Env): string | null {
  const v = str(env, 'JWT_SECRET');
  if (v !== null && Buffer.byteLength(v, 'utf8') < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 bytes (e.g. `openssl rand -base64 48`)');
  return v;
}

/** A fraction in (0, 1]. */
function fraction(env: Env, name: string, fallback: number): number {
  const v = str(env, name);
  if (v === null) return fallback;
  const x = Number(v);
  if (!(x > 0 && x <= 1)) throw new ConfigError(name, `expected a number in (0, 1], got "${v}"`);
  return x;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function asOf(env: Env): Date | null {
  const v = str(env, 'SHARPLINE_AS_OF');
  if (v === null) return null;
  const d = parseAsOf(v);
  if (!d) throw new ConfigError('SHARPLINE_AS_OF', `expected an ISO-8601 date-time with a timezone (e.g. 2024-03-15T12:00:00Z) or a date, got "${v}"`);
  return d;
}

/** A cron expression (UTC, five fields); set but empty (or "off") turns the schedule off. */
function cron(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const v = raw.trim();
  if (v === '' || v.toLowerCase() === 'off') return '';
  if (v.split(/\s+/).length !== 5) throw new ConfigError(name, `expected a five-field cron expression (UTC) or "off", got "${v}"`);
  try {
    cronParser.parseExpression(v, { tz: 'UTC' });
  } catch (err) {
    throw new ConfigError(name, `not a cron expression: "${v}" (${(err as Error).message})`);
  }
  return v;
}

function modelSettings(env: Env): 'nested' | 'fixed' {
  const v = str(env, 'MODEL_SETTINGS') ?? 'nested';
  if (v !== 'nested' && v !== 'fixed') throw new ConfigError('MODEL_SETTINGS', 'expected nested or fixed');
  return v;
}

function list(env: Env, name: string, fallback: string): string[] {
  return (str(env, name) ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  const cors = str(env, 'CORS_ORIGINS');
  const config: Config = {
    host: str(env, 'HOST') ?? '0.0.0.0',
    port: int(env, 'PORT', 8000, 0, 65535),
    databaseUrl,
    dataDir: resolve(str(env, 'SHARPLINE_HOME') ?? './data'),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    logLevel,
    workerInProcess: bool(env, 'WORKER_IN_PROCESS', databaseUrl === null),
    seedDemoOnEmpty: bool(env, 'SEED_DEMO_ON_EMPTY', true),
    asOf: asOf(env),
    corsOrigins: cors === null || cors === '*' ? '*' : cors.split(',').map((s) => s.trim()).filter(Boolean),
    realDataDir: resolve(str(env, 'SHARPLINE_DATA_DIR') ?? '../shared/data'),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 200),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    trustProxy: trustProxy(env),
    jwtSecret: jwtSecret(env),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400),
    adminEmail: str(env, 'SHARPLINE_ADMIN_EMAIL'),
    adminPassword: str(env, 'SHARPLINE_ADMIN_PASSWORD'),
    passwordHashMemoryKib: int(env, 'PASSWORD_HASH_MEMORY_KIB', 19_456, 1024, 1_048_576),
    passwordHashIterations: int(env, 'PASSWORD_HASH_ITERATIONS', 2, 1, 20),
    rateLimit: {
      enabled: bool(env, 'RATE_LIMIT_ENABLED', true),
      apiKey: rateWindows(env, 'RATE_LIMIT_API_KEY', '20/1s,100/1m,1000/1h'),
      user: rateWindows(env, 'RATE_LIMIT_USER', '20/1s,300/1m,5000/1h'),
      anonymous: rateWindows(env, 'RATE_LIMIT_ANONYMOUS', '20/1s,120/1m,2000/1h'),
      routes: routeLimits(env),
    },
    loginThrottle: {
      maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 10_000),
      maxFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100_000),
      windowSeconds: int(env, 'LOGIN_THROTTLE_WINDOW_SECONDS', 900, 1, 86_400),
    },
    cacheMaxEntries: int(env, 'CACHE_MAX_ENTRIES', 10_000, 10, 10_000_000),
    cacheResponses: bool(env, 'CACHE_RESPONSES', true),
    healthProbeMaxAgeMs: int(env, 'HEALTH_PROBE_MAX_AGE_MS', 1000, 0, 60_000),
    propsWarmIntervalMs: int(env, 'PROPS_WARM_INTERVAL_MS', 2000, 0, 3_600_000),
    businessRulesFile: resolve(str(env, 'BUSINESS_RULES_FILE') ?? fileURLToPath(new URL('../config/business-rules.example.yaml', import.meta.url))),
    modelSettings: modelSettings(env),
    documents: {
      feeds: feedUrls(env, 'DOCUMENT_FEEDS'),
      ingestCron: cron(env, 'CRON_DOCUMENTS', '0 */2 * * *'),
      newsFeaturesInTraining: bool(env, 'NEWS_FEATURES_IN_TRAINING', false),
    },
    connectors: {
      footballData: {
        apiKey: str(env, 'FOOTBALL_DATA_API_KEY'),
        baseUrl: str(env, 'FOOTBALL_DATA_BASE_URL') ?? 'https://api.football-data.org/v4',
        competitions: list(env, 'FOOTBALL_DATA_COMPETITIONS', 'PL'),
      },
      apiFootball: {
        apiKey: str(env, 'API_FOOTBALL_KEY'),
        baseUrl: str(env, 'API_FOOTBALL_BASE_URL') ?? 'https://v3.football.api-sports.io',
        leagues: list(env, 'API_FOOTBALL_LEAGUES', '39'),
        season: str(env, 'API_FOOTBALL_SEASON') === null ? null : int(env, 'API_FOOTBALL_SEASON', 2024, 1900, 2100),
        lineupWindowHours: int(env, 'API_FOOTBALL_LINEUP_HOURS', 2, 0, 48),
      },
      oddsApi: {
        apiKey: str(env, 'ODDS_API_KEY'),
        baseUrl: str(env, 'ODDS_API_BASE_URL') ?? 'https://api.the-odds-api.com/v4',
        sports: list(env, 'ODDS_API_SPORTS', 'soccer_epl'),
        regions: str(env, 'ODDS_API_REGIONS') ?? 'uk,eu',
        markets: str(env, 'ODDS_API_MARKETS') ?? 'h2h,spreads,totals',
        playerMarkets: list(env, 'ODDS_API_PLAYER_MARKETS', ''),
      },
      staleAfterMinutes: int(env, 'DATA_SOURCE_STALE_MINUTES', 24 * 60, 1, 7 * 24 * 60),
      schedules: {
        footballData: cron(env, 'SYNC_CRON_FOOTBALL_DATA', '*/15 * * * *'),
        apiFootball: cron(env, 'SYNC_CRON_API_FOOTBALL', '0 */2 * * *'),
        oddsApi: cron(env, 'SYNC_CRON_ODDS_API', '*/30 * * * *'),
      },
    },
    schedules: {
      history: cron(env, 'CRON_HISTORY', '0 3 * * *'),
      historySeasons: int(env, 'HISTORY_SEASONS', 1, 1, 20),
      retrain: cron(env, 'CRON_RETRAIN', '0 4 * * *'),
      predictions: cron(env, 'CRON_PREDICTIONS', '0 */4 * * *'),
    },
    analysis: {
      horizonDays: int(env, 'ANALYSIS_HORIZON_DAYS', 14, 1, 365),
      maxStake: fraction(env, 'ANALYSIS_MAX_STAKE', 0.05),
      modelSd: fraction(env, 'ANALYSIS_MODEL_SD', 0.04),
      maxTotalStake: fraction(env, 'ANALYSIS_MAX_TOTAL_STAKE', 0.5),
      maxStakePerMatch: fraction(env, 'ANALYSIS_MAX_STAKE_PER_MATCH', 0.2),
      maxBetsPerMatch: int(env, 'ANALYSIS_MAX_BETS_PER_MATCH', 2, 1, 50),
      maxBetsPerSport: str(env, 'ANALYSIS_MAX_BETS_PER_SPORT') === null ? null : int(env, 'ANALYSIS_MAX_BETS_PER_SPORT', 10, 1, 500),
    },
  };
  return { ...config, ...overrides };
}
