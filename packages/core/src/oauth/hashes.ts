import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: states, browser bindings and session ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What we store instead of a bearer value: a database leak then yields nothing usable. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
