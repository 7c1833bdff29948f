import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests create their databases on; override with `TEST_POSTGRES_URL`. */
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestPostgresDatabase {
  /** The new database's URL, for `LATCHKEY_DATABASE_URL`. */
  url: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

/**
 * A database of its own (`CREATE DATABASE … TEMPLATE template0` takes a fraction of a
 * second), so that test files running in parallel never see each other's rows; or, with
 * `template`, a copy of a test's own database (no connection may be open on that one).
 */
export async function createTestPostgresDatabase(
  options: {
    /** An ICU collation such as `en-US`, as operators' databases often have; else the server's. */
    icuLocale?: string;
    adminUrl?: string;
    /** The name of the database to copy, schema and rows; else an empty one. */
    template?: string;
  } = {},
): Promise<TestPostgresDatabase> {
  const adminUrl = options.adminUrl ?? (process.env.TEST_POSTGRES_URL || DEFAULT_ADMIN_URL);
  const name = `lk_${randomBytes(8).toString('hex')}`;
  const locale = options.icuLocale
    ? ` locale_provider icu icu_locale '${options.icuLocale.replace(/[^A-Za-z0-9-]/g, '')}'`
    : '';
  const template = options.template?.replace(/[^A-Za-z0-9_]/g, '') ?? 'template0';
  await runAsAdmin(
    adminUrl,
    `create database "${name}" template "${template}" encoding 'UTF8'${locale}`,
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAsAdmin(adminUrl, `drop database if exists "${name}" with (force)`),
  };
}

async function runAsAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
