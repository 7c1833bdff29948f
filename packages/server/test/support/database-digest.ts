import BetterSqlite3 from 'better-sqlite3';

/** Every row of every table, by table and primary key, each row as JSON. */
export type DatabaseDigest = Map<string, Map<string, string>>;

export interface RowChange {
  table: string;
  key: string;
  kind: 'added' | 'removed' | 'changed';
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * Reads a live service's SQLite file through one read-only connection kept open beside it
 * (SQLite shares its locks within the process, so this never disturbs the service). Every
 * table is read, so tables added later are covered without being named here. Tables named
 * `appendOnly` (they grow with every request) are digested as their row count and highest
 * rowid only; `rowsAfter` reads what was added to them.
 */
export function openDatabaseDigest(file: string, appendOnly: readonly string[] = []) {
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
      ? db.prepare(`select count(*) as "$count", max(rowid) as "$max" from "${name}"`)
      : db.prepare(`select rowid as "$rowid", * from "${name}"`),
  }));
  return {
    read(): DatabaseDigest {
      const digest: DatabaseDigest = new Map();
      for (const table of tables) {
        if (appendOnly.includes(table.name)) {
          const row = table.select.get() as Record<string, unknown>;
          digest.set(table.name, new Map(Object.entries(row).map(([k, v]) => [k, String(v)])));
          continue;
        }
        const rows = new Map<string, string>();
        for (const row of table.select.all() as Record<string, unknown>[]) {
          const { $rowid, ...columns } = row;
          const key = table.key.length ? table.key.map((c) => columns[c]).join('|') : $rowid;
          rows.set(String(key), JSON.stringify(columns));
        }
        digest.set(table.name, rows);
      }
      return digest;
    },
    /** The rows of an append-only table past the highest rowid of a digest. */
    rowsAfter(table: string, digest: DatabaseDigest): Record<string, unknown>[] {
      const max = Number(digest.get(table)?.get('$max') ?? 0) || 0;
      return db
        .prepare(`select * from "${table}" where rowid > ? order by rowid`)
        .all(max) as Record<string, unknown>[];
    },
    close: () => db.close(),
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

/** Every row added, removed or changed from `before` to `after`. */
export function diffDigests(before: DatabaseDigest, after: DatabaseDigest): RowChange[] {
  const changes: RowChange[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(table) ?? new Map<string, string>();
    const now = after.get(table) ?? new Map<string, string>();
    for (const [key, row] of old) {
      const next = now.get(key);
      if (next === undefined)
        changes.push({ table, key, kind: 'removed', before: JSON.parse(row) });
      else if (next !== row) {
        changes.push({
          table,
          key,
          kind: 'changed',
          before: JSON.parse(row),
          after: JSON.parse(next),
        });
      }
    }
    for (const [key, row] of now) {
      if (!old.has(key)) changes.push({ table, key, kind: 'added', after: JSON.parse(row) });
    }
  }
  return changes;
}

/** The columns whose values differ between the two versions of a changed row. */
export function changedColumns(change: RowChange): string[] {
  const names = new Set([...Object.keys(change.before ?? {}), ...Object.keys(change.after ?? {})]);
  return [...names].filter(
    (name) => JSON.stringify(change.before?.[name]) !== JSON.stringify(change.after?.[name]),
  );
}
