import Database from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_PRAGMAS } from '../packages/store/src/dialects/sqlite';

/** A stored token as the baselines read it: the row id (the seal's AAD) and the ciphertext. */
export interface TokenRow {
  id: string;
  credentials: string;
  expires_at: number | null;
}

/** Where the token-reading baselines find a (connector, user)'s sealed token. */
export interface BaselineTokens {
  find(connectorId: string, userId: string): TokenRow | undefined | Promise<TokenRow | undefined>;
  close(): Promise<void>;
}

/**
 * `BENCH_BASELINE_POSTGRES_URL`: Latchkey's own `connections` table on PostgreSQL, through a
 * pool and a named (prepared) statement. Otherwise `BENCH_BASELINE_DB`: the SQLite table of
 * the same ciphertexts keyed by (connector, user) (`baseline-table.ts`).
 */
export function openBaselineTokens(env: NodeJS.ProcessEnv): BaselineTokens {
  const postgresUrl = env.BENCH_BASELINE_POSTGRES_URL;
  if (postgresUrl) return openPostgresTokens(postgresUrl);
  const file = env.BENCH_BASELINE_DB;
  if (!file) throw new Error('BENCH_BASELINE_DB or BENCH_BASELINE_POSTGRES_URL is required');
  return openSqliteTokens(file);
}

function openSqliteTokens(file: string): BaselineTokens {
  const db = new Database(file, { readonly: true });
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  const select = db.prepare<[string, string], TokenRow>(
    'select id, credentials, expires_at from tokens where connector_id = ? and user_id = ?',
  );
  return {
    find: (connectorId, userId) => select.get(connectorId, userId),
    close: async () => {
      db.close();
    },
  };
}

/** As many connections as Latchkey's pool has by default (`LATCHKEY_DATABASE_POOL_SIZE`). */
const POSTGRES_POOL_SIZE = 10;

function openPostgresTokens(url: string): BaselineTokens {
  const pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE });
  // bigint arrives as a string: the baseline answers the same JSON as Latchkey.
  const parseBigint = (value: string | null) => (value === null ? null : Number(value));
  return {
    async find(connectorId, userId) {
      const result = await pool.query<{ id: string; credentials: string; expires_at: string }>({
        name: 'baseline-token',
        text: `select id, credentials, expires_at from connections
               where connector_id = $1 and user_id = $2 and credentials is not null`,
        values: [connectorId, userId],
      });
      const row = result.rows[0];
      return row && { ...row, expires_at: parseBigint(row.expires_at) };
    },
    close: () => pool.end(),
  };
}
