import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the worker moves the WAL's frames into the database file. */
const CHECKPOINT_INTERVAL_MS = 250;
/** SQLite's own default: a commit that takes the WAL past this many pages checkpoints. */
const AUTOCHECKPOINT_PAGES = 1000;

export interface BackgroundCheckpoints {
  /** Ends the worker; the connection checkpoints on its own commits again. */
  stop(): Promise<void>;
}

/**
 * The worker's whole program: its own connection to the file, a PASSIVE checkpoint (which
 * never waits for, nor blocks, a reader or the writer) at each interval. An error ends it.
 * A string, not a module: the server is bundled into one file, and a worker's module would
 * need a path of its own beside it.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
`;

/**
 * Checkpoints off the event loop. In WAL mode SQLite checkpoints inside the commit that takes
 * the WAL past 1,000 pages: every request in flight then waits while the commit copies pages
 * into the database file and flushes both files to the disk: in a loop of audit commits, a
 * third of their cost (`docs/performance.md`). Here the connection never
 * checkpoints on its own (`wal_autocheckpoint = 0`) and a worker thread with a connection
 * of its own checkpoints every `intervalMs`. Should the worker fail or end, the
 * connection checkpoints on its commits again (`onFailure` says why): the WAL never grows
 * without bound. Closing the last connection checkpoints the rest, as always.
 */
export function checkpointInBackground(
  database: BetterSqlite3.Database,
  file: string,
  onFailure: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): BackgroundCheckpoints {
  database.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      intervalMs,
    },
  });
  // Never what keeps a process alive: the connection's close checkpoints what is left.
  worker.unref();
  let stopping = false;
  const handBack = () => {
    if (database.open) database.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = workerFailure(error);
  });
  worker.on('exit', (code) => {
    handBack();
    if (!stopping) onFailure(failure ?? new Error(`the checkpoint worker exited (${code})`));
  });
  return {
    async stop() {
      stopping = true;
      await worker.terminate();
      handBack();
    },
  };
}

/**
 * The worker's error as it crossed the thread: an `SqliteError` arrives as a bare object
 * with its `code` only (`SQLITE_CANTOPEN`), without a message.
 */
function workerFailure(error: unknown): Error {
  if (error instanceof Error && error.message) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new Error(`the checkpoint worker failed: ${typeof code === 'string' ? code : 'unknown'}`);
}
