import { LatchkeyError } from '../errors/latchkey-error';

export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const KEY_LENGTH_BYTES = 32;

/**
 * Parses `id:base64key[,id:base64key…]`. The first key encrypts; the others only decrypt,
 * which is what lets an operator rotate keys without downtime.
 */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('expected at least one key as id:base64key');
  const keys = entries.map(parseEncryptionKey);
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('key ids must be unique');
  return keys;
}

function parseEncryptionKey(entry: string): EncryptionKey {
  const separator = entry.indexOf(':');
  const id = entry.slice(0, separator);
  if (separator < 1 || !KEY_ID_PATTERN.test(id)) {
    throw new Error('each key must be id:base64key with an id of 1-32 letters, digits, _ or -');
  }
  const key = Buffer.from(entry.slice(separator + 1), 'base64');
  if (key.length !== KEY_LENGTH_BYTES) {
    throw new Error(`key "${id}" must be ${KEY_LENGTH_BYTES} bytes of base64`);
  }
  return { id, key };
}

export function findKey(keys: readonly EncryptionKey[], id: string): EncryptionKey {
  const key = keys.find((k) => k.id === id);
  if (!key) {
    throw new LatchkeyError(
      'unknown_encryption_key',
      `A stored secret was encrypted with key "${id}", which is not in LATCHKEY_ENCRYPTION_KEYS.`,
    );
  }
  return key;
}
