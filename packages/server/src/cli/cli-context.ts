import { loadCatalog } from '@latchkey/catalog';
import { type CoreDeps, createVault, NO_CORE_METRICS } from '@latchkey/core';
import pino from 'pino';
import { resolveEncryptionKeys } from '../bootstrap/encryption-keys';
import { loadConfig } from '../config';
import { openConfiguredStore } from '../configured-store';
import { createCoreDeps } from '../core-deps';
import { createServiceEgress } from '../egress';
import { createLogger } from '../logger';

/** What the service's domain code gets, built the same way, plus the CLI's output. */
export interface CliContext extends CoreDeps {
  out: (line: string) => void;
}

/** Opens the same database and keys the service uses, from the same environment. */
export async function openCliContext(out: (line: string) => void): Promise<CliContext> {
  const config = loadConfig();
  // Warnings go to stderr: stdout carries what a command answers (a password, a list).
  const logger = createLogger(
    config.logLevel === 'info' ? 'warn' : config.logLevel,
    pino.destination({ dest: 2, sync: true }),
  );
  const vault = createVault(resolveEncryptionKeys(config, logger));
  const store = await openConfiguredStore(config, logger);
  // No command sends anything today; the CLI's deps are the service's all the same.
  const egress = createServiceEgress(config, logger);
  // A command is over before anyone could scrape it: nothing to count.
  const metrics = NO_CORE_METRICS;
  const catalog = loadCatalog();
  return {
    ...createCoreDeps(config, { store, vault, now: Date.now, egress, metrics, catalog }),
    out,
  };
}
