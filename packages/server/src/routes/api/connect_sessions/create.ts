import {
  connectSessionCreatedSchema,
  createConnectSession,
  createConnectSessionSchema,
  LatchkeyError,
} from '@latchkey/core';
import type { FastifyRequest } from 'fastify';
import { requireEndUsersPermission } from '../../../plugins/end-user-access';
import { type RegisterRoute, typed } from '../../route';

/** Only an application's key with `end_users` makes connect sessions: it vouches for the id. */
function requireEndUsersKey(request: FastifyRequest) {
  const key = request.apiKey;
  if (!key) {
    if (!request.user) throw new LatchkeyError('unauthenticated');
    throw new LatchkeyError('api_key_required', 'Connect sessions are made by API keys only.');
  }
  requireEndUsersPermission(key);
  return key;
}

export const registerCreateConnectSession: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connect_sessions', {
    schema: {
      tags: ['end users'],
      body: createConnectSessionSchema,
      response: { 201: connectSessionCreatedSchema },
    },
    handler: async (request, reply) => {
      const key = requireEndUsersKey(request);
      await app.connectSessionLimit.check(request, reply);
      const created = await createConnectSession(deps, {
        ...request.body,
        apiKeyId: key.id,
        createEndUser: true,
      });
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  });
};
