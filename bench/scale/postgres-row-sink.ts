import pg from 'pg';
import type { RowSink } from './row-sink';
import { multiRowInsert, rowRanges, rowsPerStatement } from './seed-batches';

/** The protocol's limit: a bind message counts its parameters in 16 bits. */
const POSTGRES_MAX_PARAMETERS = 65_535;

/**
 * Multi-row inserts in one transaction. The next batch is built (and its tokens sealed)
 * while PostgreSQL inserts the previous one, so both cores work.
 */
export async function openPostgresRowSink(databaseUrl: string): Promise<RowSink> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('begin');
  return {
    async insertRows(table, columns, rowCount, rowAt) {
      const size = rowsPerStatement(columns.length, POSTGRES_MAX_PARAMETERS);
      let previous: Promise<unknown> = Promise.resolve();
      for (const { start, count } of rowRanges(rowCount, size)) {
        const values: unknown[] = [];
        for (let index = start; index < start + count; index += 1) values.push(...rowAt(index));
        await previous;
        previous = client.query(multiRowInsert(table, columns, count, 'postgres'), values);
      }
      await previous;
    },
    async finish() {
      await client.query('commit');
      // Fresh statistics and a visibility map, as autovacuum would leave them in production.
      await client.query('vacuum analyze users, connections');
      await client.end();
    },
  };
}
