import {
  connectorViewSchema,
  ensureSessionEndUser,
  LatchkeyError,
  listConnectorsForUser,
  sessionAllowsConnector,
} from '@latchkey/core';
import { z } from 'zod';
import { type RegisterRoute, typed } from '../../route';

const sessionViewSchema = z.object({
  endUser: z.object({ externalId: z.string(), displayName: z.string().optional() }),
  expiresAt: z.string(),
  returnUrl: z.string().optional(),
  connectors: z.array(connectorViewSchema),
});

/** What the hosted connect page shows: whose session, until when, and which connectors. */
export const registerGetConnectSession: RegisterRoute = (app, deps) => {
  typed(app).get('/api/connect_session', {
    schema: { tags: ['end users'], response: { 200: sessionViewSchema } },
    handler: async (request, reply) => {
      const session = request.connectSession;
      if (!session) throw new LatchkeyError('connect_session_invalid');
      const endUser = await ensureSessionEndUser(deps, session);
      const connectors = await listConnectorsForUser(deps, endUser.id);
      reply.header('cache-control', 'no-store');
      return {
        endUser: {
          externalId: endUser.externalId,
          ...(endUser.displayName !== null ? { displayName: endUser.displayName } : {}),
        },
        expiresAt: new Date(session.expiresAt).toISOString(),
        ...(session.returnUrl !== null ? { returnUrl: session.returnUrl } : {}),
        connectors: connectors.filter(
          (c) => c.authMode === 'per-user' && sessionAllowsConnector(session, c.id),
        ),
      };
    },
  });
};
