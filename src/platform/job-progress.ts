// Progress reporting for a running job. A handler calls progress() as often as it likes;
// the reporter keeps at most one database write in flight and folds every update made
// meanwhile into the next one. progress() never waits for the database, because on PGlite
// (one connection) a handler that reports from inside its own transaction would otherwise
// wait for that very transaction to end: a deadlock. flush() is awaited before the job's
// final state is written, so the last progress can never overwrite 'completed'.

export interface ProgressUpdate {
  /** 0-100. */
  percent?: number;
  stage?: string;
  counts?: Record<string, number>;
  message?: string;
}

export interface ProgressReporter {
  report(update: ProgressUpdate): void;
  flush(): Promise<void>;
}

function merge(a: ProgressUpdate, b: ProgressUpdate): ProgressUpdate {
  return { ...a, ...b };
}

export function createProgressReporter(
  write: (update: ProgressUpdate) => Promise<void>,
  onWriteError: (err: unknown) => void,
): ProgressReporter {
  let pending: ProgressUpdate | null = null;
  let writing: Promise<void> | null = null;

  function pump(): void {
    if (writing !== null || pending === null) return;
    const update = pending;
    pending = null;
    writing = write(update).then(
      () => undefined,
      (err: unknown) => onWriteError(err),
    );
    void writing.then(() => {
      writing = null;
      pump();
    });
  }

  return {
    report(update) {
      pending = pending === null ? { ...update } : merge(pending, update);
      pump();
    },
    async flush() {
      while (writing !== null) await writing;
    },
  };
}

/** Clamp a percentage to the 0-100 integers the job record stores. */
export function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.max(0, Math.min(100, Math.round(p))) : 0;
}
