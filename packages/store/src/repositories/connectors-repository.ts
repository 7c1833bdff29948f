import {
  type ConnectorRepository,
  parseStoredAuthSettings,
  type StoredConnector,
} from '@latchkey/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ConnectorsTable, Database } from '../database';

function toConnector(row: Selectable<ConnectorsTable>): StoredConnector {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    ...parseStoredAuthSettings(row.auth_mode, row.config),
    sealedSecrets: row.secrets,
    configVersion: Number(row.config_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRow(connector: StoredConnector): Insertable<ConnectorsTable> {
  return {
    id: connector.id,
    name: connector.name,
    provider: connector.provider,
    auth_mode: connector.authMode,
    config: JSON.stringify(connector.config),
    secrets: connector.sealedSecrets,
    config_version: connector.configVersion,
    created_at: connector.createdAt,
    updated_at: connector.updatedAt,
  };
}

export function connectorsRepository(db: Kysely<Database>): ConnectorRepository {
  return {
    async insert(connector) {
      await db.insertInto('connectors').values(toRow(connector)).execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom('connectors')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toConnector(row);
    },
    async findByName(name) {
      const row = await db
        .selectFrom('connectors')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toConnector(row);
    },
    async list() {
      const rows = await db.selectFrom('connectors').selectAll().orderBy('name').execute();
      return rows.map(toConnector);
    },
    async update(connector) {
      const { id, created_at: _createdAt, ...changes } = toRow(connector);
      const result = await db
        .updateTable('connectors')
        .set(changes)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(id) {
      const result = await db.deleteFrom('connectors').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
