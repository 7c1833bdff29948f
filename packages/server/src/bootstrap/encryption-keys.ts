import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const entry = `${generateKeyEntry()}\n`;
  if (!publishKeyFile(file, entry)) {
    // Another instance starting at the same moment won: use its key, never a second one.
    return readFileSync(file, 'utf8');
  }
  logger.warn(
    { file },
    'generated an encryption key file; back it up with the database, or set LATCHKEY_ENCRYPTION_KEYS',
  );
  return entry;
}

/**
 * Writes the key file whole, then links it into place: `link` fails if the file exists, so
 * a key is never overwritten, and no instance can read a half-written file. False when
 * another process published one first.
 */
function publishKeyFile(file: string, content: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

function parseKeyFile(file: string, content: string): EncryptionKey[] {
  try {
    return parseEncryptionKeys(content.split('\n').join(','));
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}
