import type {
  ConnectSessionRepository,
  FoundConnectSession,
  StoredConnectSession,
} from '@latchkey/core';
import type { Kysely, Selectable } from 'kysely';
import type { ConnectSessionsTable, Database } from '../database';

function toConnectSession(row: Selectable<ConnectSessionsTable>): StoredConnectSession {
  return {
    tokenHash: row.token_hash,
    externalId: row.external_id,
    displayName: row.display_name,
    email: row.email,
    connectorIds: row.connector_ids === null ? null : (JSON.parse(row.connector_ids) as string[]),
    returnUrl: row.return_url,
    apiKeyId: row.api_key_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

/** A key that is gone, or revoked, no longer vouches for the sessions it made. */
function toFoundConnectSession(
  row: Selectable<ConnectSessionsTable> & { key_id: string | null; key_revoked_at: number | null },
): FoundConnectSession {
  const { key_id, key_revoked_at, ...session } = row;
  return { ...toConnectSession(session), apiKeyLive: key_id !== null && key_revoked_at === null };
}

export function connectSessionsRepository(db: Kysely<Database>): ConnectSessionRepository {
  return {
    async insert(session) {
      await db
        .insertInto('connect_sessions')
        .values({
          token_hash: session.tokenHash,
          external_id: session.externalId,
          display_name: session.displayName,
          email: session.email,
          connector_ids:
            session.connectorIds === null ? null : JSON.stringify(session.connectorIds),
          return_url: session.returnUrl,
          api_key_id: session.apiKeyId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async find(tokenHash) {
      const row = await db
        .selectFrom('connect_sessions')
        .leftJoin('api_keys', 'api_keys.id', 'connect_sessions.api_key_id')
        .selectAll('connect_sessions')
        .select(['api_keys.id as key_id', 'api_keys.revoked_at as key_revoked_at'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toFoundConnectSession(row);
    },
    async deleteForEndUser(externalId) {
      const result = await db
        .deleteFrom('connect_sessions')
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom('connect_sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
