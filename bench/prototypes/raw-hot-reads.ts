import type {
  ApiKeyPermission,
  AuthMode,
  ConnectionStatus,
  ConnectorConfig,
  Role,
  Store,
} from '@latchkey/core';
import Database from 'better-sqlite3';

type Row = Record<string, string | number | null>;

const num = (value: string | number | null) => (value === null ? null : Number(value));

/**
 * Prototype measuring Kysely's share: the four reads every key call makes (key, acting user,
 * connector, connection) as statements prepared once on their own connection, with the
 * repositories' row mapping. What is left of the gain once prepared statements are cached
 * is Kysely building and compiling each query.
 */
export function rawHotReads(store: Store, databaseFile: string): void {
  const db = new Database(databaseFile, { readonly: true });
  const keyByHash = db.prepare('select * from api_keys where key_hash = ?');
  const userById = db.prepare('select * from users where id = ?');
  const connectorById = db.prepare('select * from connectors where id = ?');
  const connection = db.prepare('select * from connections where connector_id = ? and user_id = ?');
  store.apiKeys.findByHash = async (hash) => {
    const row = keyByHash.get(hash) as Row | undefined;
    return (
      row && {
        id: String(row.id),
        name: String(row.name),
        keyHash: String(row.key_hash),
        permissions: JSON.parse(String(row.permissions)) as ApiKeyPermission[],
        createdBy: String(row.created_by),
        createdAt: Number(row.created_at),
        lastUsedAt: num(row.last_used_at),
        revokedAt: num(row.revoked_at),
      }
    );
  };
  store.users.findById = async (id) => {
    const row = userById.get(id) as Row | undefined;
    return (
      row && {
        id: String(row.id),
        username: String(row.username),
        role: row.role as Role,
        passwordHash: String(row.password_hash),
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
      }
    );
  };
  store.connectors.findById = async (id) => {
    const row = connectorById.get(id) as Row | undefined;
    return (
      row && {
        id: String(row.id),
        name: String(row.name),
        provider: String(row.provider),
        authMode: row.auth_mode as AuthMode,
        config: JSON.parse(String(row.config)) as ConnectorConfig,
        sealedSecrets: String(row.secrets),
        configVersion: Number(row.config_version),
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
      }
    );
  };
  store.connections.find = async (connectorId, userId) => {
    const row = connection.get(connectorId, userId) as Row | undefined;
    return (
      row && {
        id: String(row.id),
        connectorId: String(row.connector_id),
        userId: String(row.user_id),
        status: row.status as ConnectionStatus,
        scopes: row.scopes === null ? null : String(row.scopes),
        sealedCredentials: row.credentials === null ? null : String(row.credentials),
        expiresAt: num(row.expires_at),
        refreshExpiresAt: num(row.refresh_expires_at),
        version: Number(row.version),
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
        lastUsedAt: Number(row.last_used_at),
      }
    );
  };
}
