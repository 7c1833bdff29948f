import { LatchkeyError, type StoredApiKey } from '@latchkey/core';
import type { FastifyRequest } from 'fastify';
import { requirePrivilege } from './sessions';

/** Who manages end users: an admin, or an application's key with `end_users`. */
export interface EndUserManager {
  actorUserId?: string;
  apiKeyId?: string;
}

export function requireEndUserManager(request: FastifyRequest): EndUserManager {
  const key = request.apiKey;
  if (!key) return { actorUserId: requirePrivilege(request, 'users:manage').id };
  requireEndUsersPermission(key);
  return { apiKeyId: key.id };
}

/**
 * A key reaches end users (manages them, acts for them, makes their connect sessions) only
 * with the `end_users` permission: `403 api_key_forbidden` otherwise, `message` saying why.
 */
export function requireEndUsersPermission(key: StoredApiKey, message?: string): void {
  if (!key.permissions.includes('end_users')) throw new LatchkeyError('api_key_forbidden', message);
}
