import pg from 'pg';
import {
  appendOnlySummary,
  type DatabaseDigest,
  type DigestReader,
  insertionMark,
  ROW_ID,
  rowsByKey,
} from './digest-tables';

/**
 * The insertion mark of an append-only table's rows: the id of the transaction that
 * inserted each. Not the audit's UUIDv7 id: it is time-ordered only to the millisecond, and
 * a test service's clock stands still. Transaction ids only grow (a test cluster never
 * wraps them), and the digest is read when no transaction of the service is open.
 */
const INSERTED_BY = 'xmin::text::bigint';

interface Table {
  name: string;
  key: string[];
}

/** A table as `selectTable` reads it: every row, or an append-only table's summary. */
type TableRows = Record<string, unknown>[] | { count: number; max: number | null };

/**
 * Reads a live service's PostgreSQL database through a connection of its own. All tables
 * come in one statement, every row rendered as JSON by PostgreSQL (bigint as a number, as
 * SQLite answers), so that digests of one run compare. A table without a primary key is
 * keyed by its `ctid`, as SQLite's by rowid.
 */
export async function openPostgresDigest(
  url: string,
  appendOnly: readonly string[],
): Promise<DigestReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await tablesOf(client);
  const readAll = tables.map((table) => selectTable(table, appendOnly)).join('\nunion all\n');
  return {
    async read() {
      const result = await client.query<{ name: string; rows: TableRows }>(readAll);
      const digest: DatabaseDigest = new Map();
      for (const { name, rows } of result.rows) {
        const key = tables.find((table) => table.name === name)?.key ?? [];
        digest.set(name, summaryOrRows(rows, key));
      }
      return digest;
    },
    async rowsAfter(table, digest) {
      const result = await client.query<{ row: Record<string, unknown> }>(
        `select row_to_json(t) as row from "${table}" t where ${INSERTED_BY} > $1 order by ${INSERTED_BY}`,
        [insertionMark(digest, table)],
      );
      return result.rows.map(({ row }) => row);
    },
    close: () => client.end(),
  };
}

/** The service's tables (not the migrator's) and their primary key columns, in order. */
async function tablesOf(client: pg.Client): Promise<Table[]> {
  const result = await client.query<{ name: string; key: string[] }>(
    `select t.table_name as name,
       array_remove(array_agg(k.column_name::text order by k.ordinal_position), null) as key
     from information_schema.tables t
     left join information_schema.table_constraints c
       on c.table_schema = t.table_schema and c.table_name = t.table_name
       and c.constraint_type = 'PRIMARY KEY'
     left join information_schema.key_column_usage k
       on k.constraint_schema = c.constraint_schema and k.constraint_name = c.constraint_name
     where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       and t.table_name not like 'kysely\\_%'
     group by t.table_name`,
  );
  return result.rows;
}

/** One row (name, rows as JSON) per table: the whole table, or an append-only summary. */
function selectTable({ name, key }: Table, appendOnly: readonly string[]): string {
  const table = `"${name.replace(/"/g, '""')}"`;
  const literal = `'${name.replace(/'/g, "''")}'`;
  if (appendOnly.includes(name)) {
    return `select ${literal} as name, (select json_build_object('count', count(*), 'max', max(${INSERTED_BY})) from ${table}) as rows`;
  }
  const rowId = key.length ? '' : `ctid::text as "${ROW_ID}", `;
  return `select ${literal} as name, (select coalesce(json_agg(t), '[]'::json) from (select ${rowId}* from ${table}) t) as rows`;
}

function summaryOrRows(rows: TableRows, key: readonly string[]): Map<string, string> {
  return Array.isArray(rows) ? rowsByKey(rows, key) : appendOnlySummary(rows.count, rows.max);
}
