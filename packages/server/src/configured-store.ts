import { type OpenedStore, openStore, parseDatabaseUrl } from '@latchkey/store';
import type { Logger } from 'pino';
import { type Config, ConfigError } from './config';
import { failureSummary } from './logger';

/**
 * The database the configuration names, opened as the service and the CLI both need it:
 * what fails in its background work (an idle pooled connection, SQLite's checkpoint worker)
 * is logged, never lost.
 */
export function openConfiguredStore(config: Config, logger: Logger): Promise<OpenedStore> {
  return openStore(parseDatabaseUrlOrThrow(config.databaseUrl), {
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    onIdleError: (error) =>
      logger.warn({ failure: failureSummary(error) }, 'database connection lost while idle'),
    onCheckpointFailure: (error) =>
      logger.warn(
        { failure: failureSummary(error) },
        'background checkpoints stopped; the database checkpoints on its commits again',
      ),
  });
}

function parseDatabaseUrlOrThrow(url: string) {
  try {
    return parseDatabaseUrl(url);
  } catch (error) {
    throw new ConfigError(`LATCHKEY_DATABASE_URL: ${(error as Error).message}`);
  }
}
