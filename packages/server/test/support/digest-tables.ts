/** Every row of every table, by table and primary key, each row as JSON. */
export type DatabaseDigest = Map<string, Map<string, string>>;

/** One open reader of a live service's database; see `openDatabaseDigest`. */
export interface DigestReader {
  read(): Promise<DatabaseDigest>;
  /** The rows of an append-only table inserted after the given digest was read. */
  rowsAfter(table: string, digest: DatabaseDigest): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The column a reader adds for a table without a primary key: its physical row id. */
export const ROW_ID = '$rowid';

/** A table's rows by primary key (columns joined by `|`, else `ROW_ID`), each as JSON. */
export function rowsByKey(rows: Record<string, unknown>[], key: readonly string[]) {
  const digest = new Map<string, string>();
  for (const { [ROW_ID]: rowId, ...columns } of rows) {
    const id = key.length ? key.map((column) => columns[column]).join('|') : rowId;
    digest.set(String(id), JSON.stringify(columns));
  }
  return digest;
}

/** An append-only table as its row count (`$count`) and highest insertion mark (`$max`). */
export function appendOnlySummary(count: unknown, max: unknown): Map<string, string> {
  return new Map([
    ['$count', String(count)],
    ['$max', String(max)],
  ]);
}

/** The insertion mark an append-only table had in a digest (0 when it was empty). */
export function insertionMark(digest: DatabaseDigest, table: string): number {
  return Number(digest.get(table)?.get('$max') ?? 0) || 0;
}
