// The job engine's public types: definitions, the handler's context, options, and the
// engine's interface. The implementation is in jobs.ts.
import type { jobProgress } from '../db/schema/index.js';
import type { ProgressUpdate } from './job-progress.js';

export interface JobContext<P> {
  id: string;
  data: P;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  /**
   * Record progress. Returns at once (the write happens in the background, coalesced with
   * later updates), so it is safe to call from inside a database transaction.
   */
  progress(update: ProgressUpdate): Promise<void>;
}

export type JobHandler<P, R extends Record<string, unknown>> = (ctx: JobContext<P>) => Promise<R>;

export interface JobDefinition<P = never, R extends Record<string, unknown> = Record<string, unknown>> {
  queue: string;
  handler: JobHandler<P, R>;
  /** Retries after the first failure (default 2: three attempts in all). */
  retryLimit?: number;
  /** Seconds before the first retry (default 5); doubled each time with retryBackoff. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInMinutes?: number;
  /** Jobs of this queue one process runs at the same time (default 1). */
  concurrency?: number;
  /**
   * pg-boss queue policy (default 'short': one queued job per key). 'stately' also allows only
   * one *active* job per key, so a scheduled job never runs twice at once across workers.
   */
  policy?: 'short' | 'stately';
  /** Cron schedule (UTC) for periodic jobs, with the payload to send. */
  schedule?: { cron: string; data: P };
}

export type JobProgressRow = typeof jobProgress.$inferSelect;

export type JobLog = (level: 'info' | 'warn' | 'error', message: string, err?: unknown) => void;

export interface JobEngineOptions {
  log?: JobLog;
  /** How long stop() waits for running jobs before giving up on them (default 10 s, inside the 15 s grace period of `serve`). */
  stopTimeoutMs?: number;
  /** How often an idle worker asks for work (default 1 s; enqueue wakes local workers at once). */
  pollingIntervalSeconds?: number;
}

export interface EnqueueOptions {
  /**
   * At most one queued job per key and queue: enqueueing again while one with the same key
   * is still waiting returns the waiting job's id instead of adding another.
   */
  singletonKey?: string;
}

export interface JobEngine {
  define<P, R extends Record<string, unknown>>(def: JobDefinition<P, R>): void;
  /** Start pg-boss; with `work`, consume the defined queues; with `schedule`, install cron schedules. */
  start(opts: { work: boolean; schedule?: boolean }): Promise<void>;
  enqueue<P extends object>(queue: string, data: P, opts?: EnqueueOptions): Promise<string>;
  /** Run a defined job in this process, recording progress exactly as a worker would. */
  runInline<P extends object>(queue: string, data: P, onProgress?: (u: ProgressUpdate) => void): Promise<Record<string, unknown>>;
  get(id: string): Promise<JobProgressRow | null>;
  list(limit: number, queue?: string): Promise<JobProgressRow[]>;
  /** Jobs waiting, waiting to retry or running, per defined queue (pg-boss's own view). */
  queueDepth(): Promise<Record<string, number>>;
  /** The defined queues with a cron schedule (what a scheduling process installs), by queue name. */
  schedules(): { queue: string; cron: string }[];
  readonly started: boolean;
  /** Stop taking jobs, wait for the running ones to finish (up to stopTimeoutMs), stop pg-boss. */
  stop(): Promise<void>;
}
