import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectionStatus, externalIdSchema, LatchkeyError } from '@latchkey/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../app-deps';
import { requireEndUsersPermission } from '../../../plugins/end-user-access';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

const MAX_WAIT_SECONDS = 60;
/** The store is re-read this often: a connection landing on another instance shows too. */
const POLL_INTERVAL_MS = 500;

const querySchema = z.strictObject({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
});

type Status = ConnectionStatus | 'not_connected';

/** Only an application's key with `end_users`, naming one of its end users. */
function requireEndUserCall(request: FastifyRequest): string {
  const key = request.apiKey;
  if (!key) throw new LatchkeyError(request.user ? 'api_key_required' : 'unauthenticated');
  requireEndUsersPermission(key);
  const parsed = externalIdSchema.safeParse(request.headers['x-latchkey-end-user']);
  if (!parsed.success) throw new LatchkeyError('acting_user_required');
  return parsed.data;
}

async function statusOf(deps: AppDeps, connectorId: string, externalId: string): Promise<Status> {
  // Read each time: the end user may be created while the agent waits.
  const endUser = await deps.store.endUsers.findByExternalId(externalId);
  if (!endUser) return 'not_connected';
  const connection = await deps.store.connections.find(connectorId, endUser.id);
  return connection?.status ?? 'not_connected';
}

/**
 * `GET /api/connectors/:id/_connection_status?wait=N`: an agent waits (long poll, N ≤ 60 s)
 * for its end user to connect instead of polling fast. Answers as soon as the connection
 * is `connected`, or with the status it has when the wait is over or the caller left.
 */
export const registerConnectionStatus: RegisterRoute = (app, deps) => {
  typed(app).get('/api/connectors/:id/_connection_status', {
    schema: {
      tags: ['end users'],
      params: idParamsSchema,
      querystring: querySchema,
      response: {
        200: z.object({ status: z.enum(['connected', 'not_connected', 'reauth_required']) }),
      },
    },
    handler: async (request, reply) => {
      const externalId = requireEndUserCall(request);
      const connector = await deps.store.connectors.findById(request.params.id);
      if (!connector) throw new LatchkeyError('connector_not_found');
      if (connector.authMode !== 'per-user') throw new LatchkeyError('connector_not_per_user');
      const deadline = performance.now() + (request.query.wait ?? 0) * 1000;
      // Before the answer is sent, the response closes only when the caller has gone.
      let callerLeft = false;
      reply.raw.once('close', () => {
        callerLeft = true;
      });
      let status = await statusOf(deps, connector.id, externalId);
      while (status !== 'connected' && performance.now() < deadline && !callerLeft) {
        await sleep(Math.min(POLL_INTERVAL_MS, deadline - performance.now()));
        status = await statusOf(deps, connector.id, externalId);
      }
      reply.header('cache-control', 'no-store');
      return { status };
    },
  });
};
