import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EncryptionKey, KEY_LENGTH_BYTES, parseEncryptionKeys } from '@latchkey/core';
import type { Logger } from 'pino';
import { type Config, ConfigError } from '../config';

export const KEY_FILE_NAME = 'encryption-keys';

/** A fresh `id:base64key` entry; the id carries the date so operators can tell keys apart. */
export function generateKeyEntry(now = new Date()): string {
  const id = `k${now.toISOString().slice(0, 19).replace(/\D/g, '')}`;
  return `${id}:${randomBytes(KEY_LENGTH_BYTES).toString('base64')}`;
}

/**
 * Keys come from LATCHKEY_ENCRYPTION_KEYS; without it, from a key file in the data
 * directory, generated (mode 0600) on the first start with a warning.
 */
export function resolveEncryptionKeys(config: Config, logger: Logger): EncryptionKey[] {
  if (config.encryptionKeys) {
    try {
      return parseEncryptionKeys(config.encryptionKeys);
    } catch (error) {
      throw new ConfigError(`LATCHKEY_ENCRYPTION_KEYS: ${(error as Error).message}`);
    }
  }
  const file = join(config.dataDir, KEY_FILE_NAME);
  return parseKeyFile(file, readOrCreateKeyFile(file, config.dataDir, logger));
}

function readOrCreateKeyFile(file: string, dataDir: string, logger: Logger): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const entry = generateKeyEntry();
  // 'wx' fails if another process created the file meanwhile: never overwrite a key.
  writeFileSync(file, `${entry}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(
    { file },
    'generated an encryption key file; back it up with the database, or set LATCHKEY_ENCRYPTION_KEYS',
  );
  return entry;
}

function parseKeyFile(file: string, content: string): EncryptionKey[] {
  try {
    return parseEncryptionKeys(content.split('\n').join(','));
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}
