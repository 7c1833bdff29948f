import { hash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: states, browser bindings and session ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What we store instead of a bearer value: a database leak then yields nothing usable.
 * One-shot `hash`: no Hash object per call (API keys are hashed on every call).
 */
export function sha256(value: string): string {
  return hash('sha256', value, 'base64url');
}
