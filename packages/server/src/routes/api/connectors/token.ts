import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import {
  auditKeyUse,
  explainNotConnected,
  failureReason,
  type KeyUse,
  resolveConnectorActor,
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
        if (!actor.userId) throw new LatchkeyError('acting_user_required');
        const token = await deps.accessTokens
          .get(connector.id, actor.userId)
          .catch((error) => explainNotConnected(deps, actor, error));
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
