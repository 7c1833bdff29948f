import { createVault, type Store, type Vault } from '@latchkey/core';
import { openStore, parseDatabaseUrl } from '@latchkey/store';
import { resolveEncryptionKeys } from '../bootstrap/encryption-keys';
import { loadConfig } from '../config';
import { createLogger } from '../logger';

export interface CliContext {
  store: Store;
  vault: Vault;
  out: (line: string) => void;
}

/** Opens the same database and keys the service uses, from the same environment. */
export async function openCliContext(out: (line: string) => void): Promise<CliContext> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const vault = createVault(resolveEncryptionKeys(config, logger));
  const store = await openStore(parseDatabaseUrl(config.databaseUrl));
  return { store, vault, out };
}
