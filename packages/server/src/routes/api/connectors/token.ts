import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import type { AppDeps } from '../../../app-deps';
import {
  auditKeyUse,
  type ConnectorActor,
  explainNotConnected,
  failureReason,
  type KeyUse,
  resolveConnectorActor,
  resolveEndUser,
} from '../../../plugins/api-key-auth';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

const tokenSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: z.string().nullable(),
  /**
   * The values the connector's preset keeps from the provider (Salesforce's `instance_url`),
   * for apps that call the API themselves; absent when it keeps none.
   */
  metadata: z.record(z.string(), z.string()).optional(),
});

/** The token of the user (or end user) the key acts for. */
async function accessTokenFor(deps: AppDeps, connectorId: string, actor: ConnectorActor) {
  await resolveEndUser(deps, actor);
  if (!actor.userId) throw new LatchkeyError('acting_user_required');
  return deps.accessTokens.get(connectorId, actor.userId);
}

/** Hands a user's access token to an application key with `tokens:read` (never a browser). */
export const registerGetToken: RegisterRoute = (app, deps) => {
  typed(app).get('/api/connectors/:id/_token', {
    schema: { tags: ['proxy'], params: idParamsSchema, response: { 200: tokenSchema } },
    // The answer is built just below with exactly these fields: it is documented by
    // the schema, not checked against it again on every call.
    serializerCompiler: () => (data) => JSON.stringify(data),
    handler: async (request, reply) => {
      const use: KeyUse = {};
      try {
        const actor = resolveConnectorActor(request, 'tokens:read');
        use.actor = actor;
        const connector = await deps.store.connectors.findById(request.params.id);
        if (!connector) throw new LatchkeyError('connector_not_found');
        use.connector = connector;
        if (connector.authMode !== 'per-user') throw new LatchkeyError('connector_not_per_user');
        const token = await accessTokenFor(deps, connector.id, actor).catch((error) =>
          explainNotConnected(deps, request, actor, error, connector.id),
        );
        await auditKeyUse(deps, request, use, 'success', 'token');
        reply.header('cache-control', 'no-store');
        return {
          accessToken: token.accessToken,
          tokenType: token.tokenType,
          expiresAt: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
          ...(token.metadata ? { metadata: token.metadata } : {}),
        };
      } catch (error) {
        await auditKeyUse(deps, request, use, 'failure', failureReason(error));
        throw error;
      }
    },
  });
};
