import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LatchkeyError } from '../errors/latchkey-error';
import { type EncryptionKey, findKey } from './encryption-keys';

/** Where a ciphertext lives; bound into the AAD so a ciphertext cannot be moved elsewhere. */
export interface SecretLocation {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

export interface Vault {
  readonly activeKeyId: string;
  encrypt(plaintext: string, location: SecretLocation): string;
  decrypt(sealed: string, location: SecretLocation): string;
  keyIdOf(sealed: string): string;
}

const FORMAT = 'lk1';
const IV_BYTES = 12;
// Node accepts truncated GCM tags unless told the length (see docs/security.md).
const TAG_BYTES = 16;

/**
 * AES-256-GCM vault. Sealed form: `lk1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 * The AAD names the format, key id, table, column and row.
 */
export function createVault(keys: readonly EncryptionKey[]): Vault {
  const active = keys[0];
  if (!active) throw new Error('the vault needs at least one key');
  return {
    activeKeyId: active.id,
    encrypt: (plaintext, location) => seal(active, plaintext, location),
    decrypt: (sealed, location) => open(keys, sealed, location),
    keyIdOf: (sealed) => splitSealed(sealed).keyId,
  };
}

function additionalData(keyId: string, location: SecretLocation): Buffer {
  return Buffer.from(
    JSON.stringify([FORMAT, keyId, location.table, location.column, location.rowId]),
  );
}

function seal(key: EncryptionKey, plaintext: string, location: SecretLocation): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(key.id, location));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, key.id, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

function open(keys: readonly EncryptionKey[], sealed: string, location: SecretLocation): string {
  const { keyId, iv, ciphertext, tag } = splitSealed(sealed);
  const key = findKey(keys, keyId);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw decryptionFailed();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId, location));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw decryptionFailed();
  }
}

function splitSealed(sealed: string) {
  const parts = sealed.split('.');
  const [format, keyId, iv, ciphertext, tag] = parts;
  if (
    parts.length !== 5 ||
    format !== FORMAT ||
    !keyId ||
    !iv ||
    ciphertext === undefined ||
    !tag
  ) {
    throw decryptionFailed();
  }
  return {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
}

function decryptionFailed(): LatchkeyError {
  return new LatchkeyError('decryption_failed');
}
