import Database from 'better-sqlite3';

type Prepare = (this: Database.Database, sql: string) => Database.Statement;

const MAX_STATEMENTS = 500;

/**
 * Prototype of a fix in `packages/store/src/dialects/sqlite.ts`: Kysely's SQLite driver
 * calls `db.prepare(sql)` for every query, so SQLite parses and plans the same statement on
 * every request. Kysely's SQL text is parameterised (stable), so a per-connection cache of
 * prepared statements is safe; here it is patched into better-sqlite3 for this process.
 */
export function cachePreparedStatements(): void {
  const prototype = Database.prototype as unknown as { prepare: Prepare };
  const prepare = prototype.prepare;
  const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
  prototype.prepare = function cachedPrepare(sql) {
    let cache = caches.get(this);
    if (!cache) {
      cache = new Map();
      caches.set(this, cache);
    }
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare.call(this, sql);
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
}
