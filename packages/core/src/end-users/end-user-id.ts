import { randomUUID } from 'node:crypto';

/**
 * End users' ids carry their own prefix: a key may act for a user by id (`on_behalf`), and
 * must never reach an end user's connections that way (only `end_users`, by external id).
 */
const END_USER_ID_PREFIX = 'eu_';

export function newEndUserId(): string {
  return `${END_USER_ID_PREFIX}${randomUUID()}`;
}

export function isEndUserId(id: string): boolean {
  return id.startsWith(END_USER_ID_PREFIX);
}
