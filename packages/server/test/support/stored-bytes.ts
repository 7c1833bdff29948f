import { readDatabaseBytes } from './database-files';
import { queryDatabase, type WithDatabase } from './database-queries';

/**
 * What the service's database holds, as close to the disk as a test can read it, to scan
 * for secrets in clear: SQLite's file, WAL and shared-memory bytes; on PostgreSQL (whose
 * files belong to the server) every row of every table, as text.
 */
export async function storedBytes(
  service: WithDatabase,
): Promise<{ name: string; bytes: Buffer }[]> {
  if (service.database.dialect === 'sqlite') return readDatabaseBytes(service.database.file);
  const tables = await queryDatabase<{ name: string }>(
    service,
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  );
  return Promise.all(
    tables.map(async ({ name }) => {
      const [row] = await queryDatabase<{ text: string | null }>(
        service,
        `select string_agg(t::text, E'\\n') as text from "${name}" t`,
      );
      return { name: `table ${name}`, bytes: Buffer.from(row?.text ?? '') };
    }),
  );
}
