import { endUserViewSchema, toEndUserView } from '@latchkey/core';
import { z } from 'zod';
import { requireEndUserManager } from '../../../plugins/end-user-access';
import { type RegisterRoute, typed, withoutNul } from '../../route';

const PAGE_SIZE = 100;

/** The cursor is the last external id of the page, opaque to clients. */
const encodeCursor = (externalId: string) => Buffer.from(externalId).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

export const registerListEndUsers: RegisterRoute = (app, deps) => {
  typed(app).get('/api/end_users', {
    schema: {
      tags: ['end users'],
      querystring: z.strictObject({ cursor: withoutNul(z.string().max(400)).optional() }),
      response: {
        200: z.object({ endUsers: z.array(endUserViewSchema), nextCursor: z.string().optional() }),
      },
    },
    handler: async (request) => {
      requireEndUserManager(request);
      const after = request.query.cursor ? decodeCursor(request.query.cursor) : undefined;
      const page = await deps.store.endUsers.page(PAGE_SIZE, after);
      const last = page.at(-1);
      return {
        endUsers: page.map(toEndUserView),
        ...(page.length === PAGE_SIZE && last ? { nextCursor: encodeCursor(last.externalId) } : {}),
      };
    },
  });
};
