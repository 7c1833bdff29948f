import Database from 'better-sqlite3';
import { SQLITE_PRAGMAS } from '../packages/store/src/dialects/sqlite';

/**
 * The baseline's storage: a table of the same size holding the same ciphertexts, keyed by
 * (connector, user) as its primary key, in its own SQLite file with the service's pragmas.
 */
export function buildBaselineTable(latchkeyFile: string, baselineFile: string): number {
  const db = new Database(baselineFile);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  db.exec(`
    create table tokens (
      connector_id text not null,
      user_id text not null,
      id text not null,
      credentials text not null,
      expires_at integer,
      primary key (connector_id, user_id)
    )`);
  db.prepare('attach database ? as latchkey').run(latchkeyFile);
  const { changes } = db
    .prepare(
      `insert into tokens
       select connector_id, user_id, id, credentials, expires_at
       from latchkey.connections where credentials is not null`,
    )
    .run();
  db.exec('detach database latchkey');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return changes;
}
