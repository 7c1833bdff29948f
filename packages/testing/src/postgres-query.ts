import pg from 'pg';

// PostgreSQL answers `bigint` columns and `count(*)` as strings (they may exceed 2^53);
// the tests' numbers (epoch milliseconds, counts) never do, and compare as SQLite's.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format),
};

/**
 * Runs one statement on a test's PostgreSQL database through a connection of its own,
 * beside the live service, and returns the rows. `?` placeholders, as in SQLite, become
 * `$1`, `$2`…, so that one statement serves both databases.
 */
export async function queryPostgres<Row>(
  url: string,
  statement: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    let n = 0;
    const text = statement.replace(/\?/g, () => `$${++n}`);
    const result = await client.query(text, [...params]);
    return result.rows;
  } finally {
    await client.end();
  }
}
