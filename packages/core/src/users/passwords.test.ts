import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './passwords';

/** Everything of a stored hash that decides what checking a password against it costs. */
function costOf(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  return {
    scheme,
    n,
    r,
    p,
    saltBytes: Buffer.from(salt ?? '', 'base64url').length,
    hashBytes: Buffer.from(hash ?? '', 'base64url').length,
  };
}

describe('the dummy password hash', () => {
  it('costs what a hash made now costs: same scheme, parameters and lengths', async () => {
    expect(costOf(DUMMY_PASSWORD_HASH)).toEqual(costOf(await hashPassword('a new password')));
  });

  it('matches no password', async () => {
    expect(await verifyPassword('', DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword('password', DUMMY_PASSWORD_HASH)).toBe(false);
  });
});
