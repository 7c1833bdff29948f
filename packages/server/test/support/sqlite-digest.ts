import BetterSqlite3 from 'better-sqlite3';
import {
  appendOnlySummary,
  type DatabaseDigest,
  type DigestReader,
  insertionMark,
  ROW_ID,
  rowsByKey,
} from './digest-tables';

/**
 * Reads a live service's SQLite file through one read-only connection kept open beside it
 * (SQLite shares its locks within the process, so this never disturbs the service).
 * Append-only tables are marked by their highest rowid.
 */
export function openSqliteDigest(file: string, appendOnly: readonly string[]): DigestReader {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const tables = (
    db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'",
      )
      .all() as { name: string }[]
  ).map(({ name }) => ({
    name,
    key: primaryKeyOf(db, name),
    select: appendOnly.includes(name)
      ? db.prepare(`select count(*) as count, max(rowid) as max from "${name}"`)
      : db.prepare(`select rowid as "${ROW_ID}", * from "${name}"`),
  }));
  return {
    async read() {
      const digest: DatabaseDigest = new Map();
      for (const table of tables) {
        if (appendOnly.includes(table.name)) {
          const { count, max } = table.select.get() as { count: number; max: number | null };
          digest.set(table.name, appendOnlySummary(count, max));
        } else {
          const rows = table.select.all() as Record<string, unknown>[];
          digest.set(table.name, rowsByKey(rows, table.key));
        }
      }
      return digest;
    },
    async rowsAfter(table, digest) {
      return db
        .prepare(`select * from "${table}" where rowid > ? order by rowid`)
        .all(insertionMark(digest, table)) as Record<string, unknown>[];
    },
    async close() {
      db.close();
    },
  };
}

function primaryKeyOf(db: BetterSqlite3.Database, table: string): string[] {
  const columns = db.prepare(`pragma table_info("${table}")`).all() as {
    name: string;
    pk: number;
  }[];
  return columns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}
