import type { ConnectionRepository, ConnectionStatus } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export function connectionsRepository(db: Kysely<Database>): ConnectionRepository {
  return {
    async statusesForUser(userId) {
      const rows = await db
        .selectFrom('connections')
        .select(['connector_id', 'status'])
        .where('user_id', '=', userId)
        .execute();
      return new Map(rows.map((r) => [r.connector_id, r.status as ConnectionStatus]));
    },
    async deleteForConnector(connectorId) {
      const result = await db
        .deleteFrom('connections')
        .where('connector_id', '=', connectorId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
