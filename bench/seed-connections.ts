import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createApiKey, createConnector, sealCredentials } from '@latchkey/core';
import Database from 'better-sqlite3';
import type { Service } from '../packages/server/src/service';

export const CONNECTOR_COUNT = 100;
export const USER_COUNT = 1_000;
/** Fresh for the whole run: no refresh may happen during the load phases. */
export const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

/** What the load generator needs to address any of the stored connections. */
export interface SeededConnections {
  connectorIds: string[];
  userIds: string[];
  apiKey: string;
  connectionCount: number;
}

/**
 * 1,000 users × 100 connectors = 100,000 connections, every user connected to every
 * connector (an organisation with its integrations). Connectors go through
 * `createConnector`; users and connections are inserted in one transaction of prepared
 * statements, with tokens sealed by the service's own vault, as `saveConnectionTokens` does.
 */
export async function seedConnections(
  service: Service,
  upstreamUrl: string,
): Promise<SeededConnections> {
  const connectorIds = await createBenchConnectors(service, upstreamUrl);
  const userIds = Array.from({ length: USER_COUNT }, () => randomUUID());
  insertUsersAndConnections(service, connectorIds, userIds);
  const apiKey = await createBenchApiKey(service);
  return { connectorIds, userIds, apiKey, connectionCount: connectorIds.length * USER_COUNT };
}

/** The connectors every user is connected to, through `createConnector`. */
export async function createBenchConnectors(service: Service, upstreamUrl: string) {
  const connectorIds: string[] = [];
  for (let i = 0; i < CONNECTOR_COUNT; i += 1) {
    const connector = await createConnector(service.deps, connectorInput(i, upstreamUrl));
    connectorIds.push(connector.id);
  }
  return connectorIds;
}

/** The admin's key that every load run uses, on behalf of any user. */
export async function createBenchApiKey(service: Service): Promise<string> {
  const { deps } = service;
  const admin = await deps.store.users.findByUsername('admin');
  if (!admin) throw new Error('the admin account is missing');
  const { key } = await createApiKey(
    deps.store,
    { name: 'bench', permissions: ['proxy', 'tokens:read', 'on_behalf'] },
    admin.id,
    deps.now(),
  );
  return key;
}

/** Random tokens sealed by the service's own vault, as `saveConnectionTokens` does. */
export function sealBenchCredentials(service: Service, connectionId: string): string {
  return sealCredentials(service.deps.vault, connectionId, {
    accessToken: randomBytes(32).toString('base64url'),
    tokenType: 'Bearer',
    refreshToken: randomBytes(32).toString('base64url'),
  });
}

function connectorInput(index: number, upstreamUrl: string) {
  // The provider endpoints are never called: every token stays fresh during the bench.
  const provider = 'http://127.0.0.1:9';
  return {
    name: `Bench connector ${index}`,
    provider: 'custom' as const,
    authMode: 'per-user' as const,
    config: {
      authorizationUrl: `${provider}/authorize`,
      tokenUrl: `${provider}/token`,
      scope: 'read write',
      clientId: `bench-client-${index}`,
      apiBaseUrl: `${upstreamUrl}/v1/`,
    },
    secrets: { clientSecret: randomBytes(24).toString('base64url') },
  };
}

function insertUsersAndConnections(service: Service, connectorIds: string[], userIds: string[]) {
  const { now } = service.deps;
  const db = new Database(join(service.deps.config.dataDir, 'latchkey.sqlite'));
  db.pragma('busy_timeout = 5000');
  const insertUser = db.prepare(
    `insert into users (id, username, role, password_hash, created_at, updated_at)
     values (?, ?, 'viewer', 'bench:no-login', ?, ?)`,
  );
  const insertConnection = db.prepare(
    `insert into connections (id, connector_id, user_id, status, scopes, credentials,
       expires_at, refresh_expires_at, version, created_at, updated_at, last_used_at)
     values (?, ?, ?, 'connected', 'read write', ?, ?, null, 1, ?, ?, ?)`,
  );
  const at = now();
  db.transaction(() => {
    userIds.forEach((userId, i) => {
      insertUser.run(userId, `bench-user-${i}`, at, at);
    });
    for (const userId of userIds) {
      for (const connectorId of connectorIds) {
        const id = randomUUID();
        const sealed = sealBenchCredentials(service, id);
        insertConnection.run(id, connectorId, userId, sealed, at + TOKEN_LIFETIME_MS, at, at, at);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
