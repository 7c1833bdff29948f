import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

const querySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const eventSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  reason: z.string().nullable(),
  actorUserId: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  subjectUserId: z.string().nullable(),
  connectorId: z.string().nullable(),
  /** Structured context, e.g. the fields a connector update changed (docs/audit.md). */
  details: z.record(z.string(), z.unknown()).nullable(),
});

function encodeCursor(event: { createdAt: number; id: string }): string {
  return Buffer.from(`${event.createdAt}:${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (!createdAt || !id || !/^\d+$/.test(createdAt) || id.includes('\u0000')) {
    throw new LatchkeyError('validation_failed', 'cursor: not a cursor from a previous page');
  }
  return { createdAt: Number(createdAt), id };
}

export const registerListAudit: RegisterRoute = (app, deps) => {
  typed(app).get('/api/audit', {
    schema: {
      tags: ['audit'],
      querystring: querySchema,
      response: {
        200: z.object({ events: z.array(eventSchema), nextCursor: z.string().nullable() }),
      },
    },
    handler: async (request) => {
      requirePrivilege(request, 'audit:read');
      const { limit, cursor } = request.query;
      const events = await deps.store.audit.page(limit, cursor ? decodeCursor(cursor) : undefined);
      const last = events.at(-1);
      return {
        events: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() })),
        nextCursor: events.length === limit && last ? encodeCursor(last) : null,
      };
    },
  });
};
