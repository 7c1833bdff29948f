import { createVault } from '@latchkey/core';
import { openStore, parseDatabaseUrl } from '@latchkey/store';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app';
import type { AppDeps } from './app-deps';
import { ensureAdminAccount } from './bootstrap/admin-account';
import { resolveEncryptionKeys } from './bootstrap/encryption-keys';
import { type Config, ConfigError } from './config';

export interface Service {
  app: FastifyInstance;
  deps: AppDeps;
  close(): Promise<void>;
}

/** Opens storage, keys and the first admin, then builds the app: all `npm start` needs. */
export async function openService(
  config: Config,
  logger: Logger,
  options: { now?: () => number; announce?: (message: string) => void } = {},
): Promise<Service> {
  const vault = createVault(resolveEncryptionKeys(config, logger));
  const store = await openStore(parseDatabaseUrlOrThrow(config.databaseUrl));
  const now = options.now ?? Date.now;
  const deps: AppDeps = {
    config,
    logger,
    store,
    vault,
    now,
    endpointPolicy: { allowHttpLoopback: config.allowHttpLoopback },
  };
  await ensureAdminAccount({
    store,
    adminPassword: config.adminPassword,
    now: now(),
    logger,
    announce: options.announce ?? ((message) => process.stderr.write(message)),
  });
  const app = await buildApp(deps);
  return {
    app,
    deps,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

function parseDatabaseUrlOrThrow(url: string) {
  try {
    return parseDatabaseUrl(url);
  } catch (error) {
    throw new ConfigError(`LATCHKEY_DATABASE_URL: ${(error as Error).message}`);
  }
}
