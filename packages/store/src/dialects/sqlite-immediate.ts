import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

/**
 * Transactions that take SQLite's write lock at `begin`, waiting out the busy timeout. A
 * deferred `begin` reads first and upgrades later; in WAL mode another process (a second
 * instance, the CLI) committing in between makes that upgrade fail at once with
 * SQLITE_BUSY instead of waiting. In one process nothing changes: Kysely already runs one
 * transaction at a time on SQLite's single connection.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite runs DDL inside transactions; saying so makes Kysely's migrator run each batch of
 * migrations in one, which with `begin immediate` is the lock that keeps two instances
 * starting together from migrating at once (Kysely's SQLite adapter takes no lock).
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
