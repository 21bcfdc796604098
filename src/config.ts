// Environment → typed configuration, validated once at boot. Nothing else reads process.env.
// Every setting has a default that makes the embedded mode (PGlite under ./data, in-process
// cache and worker) work with no configuration at all.
import { resolve } from 'node:path';

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
  corsOrigins: string[] | '*';
  /** Folder of real historical data used by the real-data suite, evaluations and benchmarks. */
  realDataDir: string;
  dbPoolMax: number;
  bodyLimitBytes: number;
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

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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
    corsOrigins: cors === null || cors === '*' ? '*' : cors.split(',').map((s) => s.trim()).filter(Boolean),
    realDataDir: resolve(str(env, 'SHARPLINE_DATA_DIR') ?? '../shared/data'),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 200),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
  };
  return { ...config, ...overrides };
}
