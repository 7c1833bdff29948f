import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../errors/latchkey-error';
import { type EncryptionKey, parseEncryptionKeys } from './encryption-keys';
import { createVault, type SecretLocation } from './vault';

const OLD_KEY: EncryptionKey = { id: 'old', key: Buffer.alloc(32, 7) };
const NEW_KEY: EncryptionKey = { id: 'new', key: Buffer.alloc(32, 9) };
const HERE: SecretLocation = { table: 'connectors', column: 'secrets', rowId: 'row-1' };
const PLAINTEXT = '{"clientSecret":"vault-test-secret-ünïcødé"}';

/** Flips one bit of one base64url part of a sealed value (`lk1.kid.iv.ct.tag`). */
function flipBit(sealed: string, part: 2 | 3 | 4, byteIndex = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[byteIndex] = (bytes[byteIndex] as number) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

function failure(action: () => unknown): LatchkeyError {
  try {
    const result = action();
    throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  } catch (error) {
    expect(error).toBeInstanceOf(LatchkeyError);
    return error as LatchkeyError;
  }
}

describe('vault', () => {
  const vault = createVault([OLD_KEY]);

  it('round-trips, including empty and non-ASCII plaintext', () => {
    for (const text of [PLAINTEXT, '', '🔑'.repeat(100)]) {
      expect(vault.decrypt(vault.encrypt(text, HERE), HERE)).toBe(text);
    }
  });

  it('seals as lk1.<keyId>.<iv>.<ciphertext>.<tag> with a 12-byte IV and a 16-byte tag', () => {
    const sealed = vault.encrypt(PLAINTEXT, HERE);
    const [format, keyId, iv, ciphertext, tag, ...rest] = sealed.split('.');
    expect([format, keyId, rest]).toEqual(['lk1', 'old', []]);
    expect(Buffer.from(iv as string, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag as string, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext as string, 'base64url').toString('utf8')).not.toContain('secret');
    expect(sealed).not.toContain(PLAINTEXT);
  });

  it('gives different ciphertexts (and IVs) for the same plaintext twice', () => {
    const first = vault.encrypt(PLAINTEXT, HERE).split('.');
    const second = vault.encrypt(PLAINTEXT, HERE).split('.');
    expect(second[2]).not.toBe(first[2]);
    expect(second[3]).not.toBe(first[3]);
  });

  it.each([
    ['IV', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ] as const)('refuses a bit flip in the %s with decryption_failed', (_name, part) => {
    const sealed = vault.encrypt(PLAINTEXT, HERE);
    for (const byteIndex of [0, 5]) {
      const error = failure(() => vault.decrypt(flipBit(sealed, part, byteIndex), HERE));
      expect(error.code).toBe('decryption_failed');
      expect(error.message).not.toContain('vault-test-secret');
    }
  });

  it('refuses a truncated (4-byte) tag and an over-long one', () => {
    const parts = vault.encrypt(PLAINTEXT, HERE).split('.');
    const tag = Buffer.from(parts[4] as string, 'base64url');
    for (const wrongTag of [tag.subarray(0, 4), Buffer.concat([tag, Buffer.alloc(1)])]) {
      const sealed = [...parts.slice(0, 4), wrongTag.toString('base64url')].join('.');
      expect(failure(() => vault.decrypt(sealed, HERE)).code).toBe('decryption_failed');
    }
  });

  it.each([
    ['another row', { ...HERE, rowId: 'row-2' }],
    ['another column', { ...HERE, column: 'credentials' }],
    ['another table', { ...HERE, table: 'connections' }],
  ])('refuses a ciphertext moved to %s', (_name, elsewhere) => {
    const sealed = vault.encrypt(PLAINTEXT, HERE);
    expect(failure(() => vault.decrypt(sealed, elsewhere)).code).toBe('decryption_failed');
    expect(vault.decrypt(sealed, HERE)).toBe(PLAINTEXT);
  });

  it.each([
    ['another format', (s: string) => s.replace(/^lk1\./, 'lk0.')],
    ['a missing part', (s: string) => s.split('.').slice(0, 4).join('.')],
    ['an extra part', (s: string) => `${s}.AAAA`],
    ['plaintext', () => PLAINTEXT],
  ])('refuses a sealed value with %s', (_name, mangle) => {
    const sealed = mangle(vault.encrypt(PLAINTEXT, HERE));
    expect(failure(() => vault.decrypt(sealed, HERE)).code).toBe('decryption_failed');
  });

  it('refuses an unknown key id clearly and never falls back to plaintext', () => {
    const sealed = createVault([NEW_KEY]).encrypt(PLAINTEXT, HERE);
    const error = failure(() => vault.decrypt(sealed, HERE));
    expect(error.code).toBe('unknown_encryption_key');
    expect(error.message).toContain('"new"');
    expect(error.message).toContain('LATCHKEY_ENCRYPTION_KEYS');
    expect(error.message).not.toContain('vault-test-secret');
  });

  it('refuses a key id swapped for another configured key', () => {
    const both = createVault([NEW_KEY, OLD_KEY]);
    const sealed = both.encrypt(PLAINTEXT, HERE).replace(/^lk1\.new\./, 'lk1.old.');
    expect(failure(() => both.decrypt(sealed, HERE)).code).toBe('decryption_failed');
  });

  it('still decrypts rows written under an old key once a new key is active', () => {
    const before = vault.encrypt(PLAINTEXT, HERE);
    const rotated = createVault([NEW_KEY, OLD_KEY]);
    expect(rotated.activeKeyId).toBe('new');
    expect(rotated.keyIdOf(before)).toBe('old');
    expect(rotated.decrypt(before, HERE)).toBe(PLAINTEXT);
    const after = rotated.encrypt(PLAINTEXT, HERE);
    expect(rotated.keyIdOf(after)).toBe('new');
    expect(failure(() => vault.decrypt(after, HERE)).code).toBe('unknown_encryption_key');
  });
});

describe('parseEncryptionKeys', () => {
  const key = (id: string, bytes = 32) => `${id}:${Buffer.alloc(bytes, 3).toString('base64')}`;

  it('keeps the order (the first key encrypts) and tolerates spaces', () => {
    const keys = parseEncryptionKeys(` ${key('k2')} , ${key('k1')} `);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0]?.key).toEqual(Buffer.alloc(32, 3));
  });

  it.each([
    ['empty', '', /at least one key/],
    ['only commas', ' , ,', /at least one key/],
    ['31 bytes', key('k1', 31), /"k1" must be 32 bytes/],
    ['33 bytes', key('k1', 33), /"k1" must be 32 bytes/],
    ['no id', key(''), /id:base64key/],
    ['no separator', Buffer.alloc(32).toString('base64'), /id:base64key/],
    ['an id with a space', key('bad id'), /id:base64key/],
    ['an id of 33 characters', key('k'.repeat(33)), /id:base64key/],
    ['duplicate ids', `${key('k1')},${key('k1')}`, /unique/],
  ])('refuses %s without echoing key material', (_name, value, message) => {
    expect(() => parseEncryptionKeys(value)).toThrow(message);
    try {
      parseEncryptionKeys(value);
    } catch (error) {
      expect((error as Error).message).not.toContain(Buffer.alloc(30, 3).toString('base64'));
    }
  });
});
