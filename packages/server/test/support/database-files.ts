import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DATABASE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The raw bytes of the database file and its WAL and shared-memory files, as on disk.
 *
 * Read by another process (`cat`), never opened here: this process holds the live service's
 * SQLite connection, and closing any descriptor of the file in it would drop all of the
 * process's POSIX locks on it (https://www.sqlite.org/howtocorrupt.html, §2.2). Another
 * process, a CLI run, could then think itself alone and checkpoint the WAL away.
 * (`queryDatabase` and the like go through SQLite, which keeps such descriptors open.)
 */
export function readDatabaseBytes(file: string): { name: string; bytes: Buffer }[] {
  return [file, `${file}-wal`, `${file}-shm`]
    .filter((name) => existsSync(name))
    .map((name) => ({
      name,
      bytes: execFileSync('cat', [name], { maxBuffer: DATABASE_FILE_MAX_BYTES }),
    }));
}
