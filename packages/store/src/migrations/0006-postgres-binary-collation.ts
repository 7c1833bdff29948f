import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Usernames and connector names sort in code point order, as SQLite's BINARY collation
 * sorts them. A PostgreSQL database created with a language collation (`en_US.UTF-8`)
 * would sort them otherwise (`alice` before `Zed`), so these columns get the "C" collation.
 * Nothing to do on SQLite.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table users alter column username type text collate "C"`.execute(db);
  await sql`alter table connectors alter column name type text collate "C"`.execute(db);
}
