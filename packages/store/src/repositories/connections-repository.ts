import type {
  ConnectedConnection,
  ConnectionMetadata,
  ConnectionRepository,
  ConnectionStatus,
  ReauthRequiredConnection,
  RefreshFailure,
  StoredConnection,
} from '@latchkey/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { ConnectionsTable, Database } from '../database';

const nullableNumber = (value: number | null) => (value === null ? null : Number(value));

type StateField =
  | 'status'
  | 'sealedCredentials'
  | 'expiresAt'
  | 'refreshExpiresAt'
  | 'refreshFailure';
type ConnectionState =
  | Pick<ConnectedConnection, StateField>
  | Pick<ReauthRequiredConnection, StateField>;

/** The row's status, checked: a value the code does not know fails here, not further on. */
function toStatus(status: string): ConnectionStatus {
  if (status === 'connected' || status === 'reauth_required') return status;
  throw new Error(`connection status ${JSON.stringify(status)} is not one Latchkey writes`);
}

/** The state columns as the union: tokens exactly when the connection is connected. */
function toState(row: Selectable<ConnectionsTable>): ConnectionState {
  const status = toStatus(row.status);
  switch (status) {
    case 'connected':
      if (row.credentials === null) throw new Error('a connected connection without tokens');
      return {
        status,
        sealedCredentials: row.credentials,
        expiresAt: nullableNumber(row.expires_at),
        refreshExpiresAt: nullableNumber(row.refresh_expires_at),
        refreshFailure: toRefreshFailure(row),
      };
    case 'reauth_required':
      return {
        status,
        sealedCredentials: null,
        expiresAt: null,
        refreshExpiresAt: null,
        refreshFailure: null,
      };
  }
}

/** A failure is recorded with both its code and its cool-down, or not at all. */
function toRefreshFailure(row: Selectable<ConnectionsTable>): RefreshFailure | null {
  if (row.last_error === null || row.next_attempt_at === null) return null;
  return {
    code: row.last_error,
    failures: Number(row.refresh_failures),
    nextAttemptAt: Number(row.next_attempt_at),
  };
}

const metadataSchema = z.record(z.string(), z.string());

function toMetadata(json: string | null): ConnectionMetadata | null {
  return json === null ? null : metadataSchema.parse(JSON.parse(json));
}

export function toConnection(row: Selectable<ConnectionsTable>): StoredConnection {
  return {
    id: row.id,
    connectorId: row.connector_id,
    userId: row.user_id,
    ...toState(row),
    scopes: row.scopes,
    metadata: toMetadata(row.metadata),
    account: row.account,
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastUsedAt: Number(row.last_used_at),
    lastRefreshedAt: nullableNumber(row.last_refreshed_at),
  };
}

function toRow(connection: StoredConnection): Insertable<ConnectionsTable> {
  return {
    id: connection.id,
    connector_id: connection.connectorId,
    user_id: connection.userId,
    status: connection.status,
    scopes: connection.scopes,
    credentials: connection.sealedCredentials,
    metadata: connection.metadata === null ? null : JSON.stringify(connection.metadata),
    account: connection.account,
    expires_at: connection.expiresAt,
    refresh_expires_at: connection.refreshExpiresAt,
    version: connection.version,
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
    last_used_at: connection.lastUsedAt,
    last_refreshed_at: connection.lastRefreshedAt,
    ...refreshFailureColumns(connection.refreshFailure),
  };
}

function refreshFailureColumns(failure: RefreshFailure | null) {
  return {
    refresh_failures: failure?.failures ?? 0,
    last_error: failure?.code ?? null,
    next_attempt_at: failure?.nextAttemptAt ?? null,
  };
}

function toConnectedConnection(row: Selectable<ConnectionsTable>): ConnectedConnection {
  const connection = toConnection(row);
  if (connection.status !== 'connected') throw new Error('a due connection is not connected');
  return connection;
}

export function connectionsRepository(db: Kysely<Database>): ConnectionRepository {
  const byOwner = (connectorId: string, userId: string) =>
    db
      .selectFrom('connections')
      .selectAll()
      .where('connector_id', '=', connectorId)
      .where('user_id', '=', userId);
  return {
    async listForUser(userId) {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('connector_id')
        .execute();
      return rows.map(toConnection);
    },
    async find(connectorId, userId) {
      const row = await byOwner(connectorId, userId).executeTakeFirst();
      return row && toConnection(row);
    },
    async save(connection) {
      const row = toRow(connection);
      // The id goes with the credentials: their ciphertext is sealed to it (AAD).
      const { connector_id: _c, user_id: _u, created_at: _at, ...changes } = row;
      await db
        .insertInto('connections')
        .values(row)
        .onConflict((oc) => oc.columns(['connector_id', 'user_id']).doUpdateSet(changes))
        .execute();
    },
    async replaceIfVersion(connection, expectedVersion) {
      const { id, connector_id: _c, user_id: _u, created_at: _at, ...changes } = toRow(connection);
      const result = await db
        .updateTable('connections')
        .set(changes)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async recordRefreshFailure(id, expectedVersion, failure) {
      const result = await db
        .updateTable('connections')
        .set(refreshFailureColumns(failure))
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .where('status', '=', 'connected')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async dueForRefresh(connectorId, limits, limit) {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('connector_id', '=', connectorId)
        .where('status', '=', 'connected')
        .where((eb) =>
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', limits.now)]),
        )
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', limits.expiringBefore),
            eb('refresh_expires_at', '<=', limits.expiringBefore),
            ...(limits.obtainedBefore === null
              ? []
              : [eb('updated_at', '<=', limits.obtainedBefore)]),
          ]),
        )
        .orderBy('updated_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toConnectedConnection);
    },
    async touch(id, now, minIntervalMs) {
      await db
        .updateTable('connections')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where('last_used_at', '<', now - minIntervalMs)
        .execute();
    },
    async take(connectorId, userId) {
      const row = await db
        .deleteFrom('connections')
        .where('connector_id', '=', connectorId)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toConnection(row);
    },
    async takeForConnector(connectorId) {
      const rows = await db
        .deleteFrom('connections')
        .where('connector_id', '=', connectorId)
        .returningAll()
        .execute();
      return rows.map(toConnection);
    },
    async takeForUser(userId) {
      const rows = await db
        .deleteFrom('connections')
        .where('user_id', '=', userId)
        .returningAll()
        .execute();
      return rows.map(toConnection);
    },
    async takeUnusedSince(cutoff) {
      const rows = await db
        .deleteFrom('connections')
        .where('last_used_at', '<', cutoff)
        .returningAll()
        .execute();
      return rows.map(toConnection);
    },
  };
}
