import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

type Pragma = (this: Database.Database, source: string, options?: object) => unknown;

const INTERVAL_MS = 250;

/**
 * Prototype of a fix in `packages/store/src/dialects/sqlite.ts`: with WAL, SQLite
 * checkpoints on the commit that crosses 1,000 pages, inside that statement — i.e. on the
 * event loop, with an fsync of the WAL and of the database. Every request in flight waits.
 * Here the service's connection never checkpoints (`wal_autocheckpoint = 0`) and a worker
 * thread with its own connection runs a PASSIVE checkpoint every 250 ms.
 */
export function disableAutomaticCheckpoints(): void {
  const prototype = Database.prototype as unknown as { pragma: Pragma };
  const pragma = prototype.pragma;
  prototype.pragma = function pragmaWithoutAutoCheckpoint(source, options) {
    const result = pragma.call(this, source, options);
    if (/^journal_mode\s*=\s*WAL$/i.test(source)) pragma.call(this, 'wal_autocheckpoint = 0');
    return result;
  };
}

export function checkpointInBackground(databaseFile: string): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const db = new (require(workerData.driver))(workerData.file);
     db.pragma('busy_timeout = 5000');
     setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), ${INTERVAL_MS});`,
    { eval: true, workerData: { driver, file: databaseFile } },
  );
  worker.unref();
  return worker;
}
