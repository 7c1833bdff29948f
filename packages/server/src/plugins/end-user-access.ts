import { LatchkeyError } from '@latchkey/core';
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
  if (!key.permissions.includes('end_users')) throw new LatchkeyError('api_key_forbidden');
  return { apiKeyId: key.id };
}
