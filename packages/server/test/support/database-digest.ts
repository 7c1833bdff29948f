import type { WithDatabase } from './database-queries';
import type { DatabaseDigest, DigestReader } from './digest-tables';
import { openPostgresDigest } from './postgres-digest';
import { openSqliteDigest } from './sqlite-digest';

export type { DatabaseDigest, DigestReader } from './digest-tables';

export interface RowChange {
  table: string;
  key: string;
  kind: 'added' | 'removed' | 'changed';
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * Opens a reader of a live service's database, SQLite file or PostgreSQL database, kept
 * open beside the service. Every table is read, so tables added later are covered without
 * being named here. Tables named `appendOnly` (they grow with every request) are digested
 * as their row count and highest insertion mark only; `rowsAfter` reads what was added.
 */
export async function openDatabaseDigest(
  { database }: WithDatabase,
  appendOnly: readonly string[] = [],
): Promise<DigestReader> {
  if (database.dialect === 'postgres') return openPostgresDigest(database.url, appendOnly);
  return openSqliteDigest(database.file, appendOnly);
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

/**
 * The rows `work` added, removed or changed in the service's database, every table read
 * whole before and after: what a refusal must leave empty.
 */
export async function changesMadeBy(
  service: WithDatabase,
  work: () => Promise<unknown>,
): Promise<RowChange[]> {
  const reader = await openDatabaseDigest(service);
  try {
    const before = await reader.read();
    await work();
    return diffDigests(before, await reader.read());
  } finally {
    await reader.close();
  }
}
