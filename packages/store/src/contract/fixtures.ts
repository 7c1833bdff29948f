import type {
  AuditEvent,
  ConnectedConnection,
  PendingRevocation,
  ReauthRequiredConnection,
  Store,
  StoredApiKey,
  StoredConnectionEvent,
  StoredOAuthState,
  StoredPerUserConnector,
  StoredWebhookEndpoint,
  UserRecord,
} from '@latchkey/core';
import { vi } from 'vitest';

/** A time past 2^32 ms, where a bigint read back as text or a 32-bit integer would show. */
export const T0 = 1_700_000_000_000;

export function user(id: string, patch: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    username: `name-of-${id}`,
    role: 'viewer',
    passwordHash: `scrypt$not-a-real-hash-${id}`,
    createdAt: T0,
    updatedAt: T0,
    ...patch,
  };
}

export function connector(
  id: string,
  patch: Partial<StoredPerUserConnector> = {},
): StoredPerUserConnector {
  return {
    id,
    name: `Connector ${id}`,
    provider: 'custom',
    authMode: 'per-user',
    config: {
      authorizationUrl: 'https://idp.example/authorize',
      tokenUrl: 'https://idp.example/token',
      clientId: 'client',
      apiBaseUrl: 'https://api.example',
    },
    sealedSecrets: `lk1.ka.secrets-${id}`,
    configVersion: 1,
    createdAt: T0,
    updatedAt: T0,
    ...patch,
  };
}

export function connection(
  connectorId: string,
  userId: string,
  patch: Partial<ConnectedConnection> = {},
): ConnectedConnection {
  return {
    id: `connection-${connectorId}-${userId}`,
    connectorId,
    userId,
    status: 'connected',
    scopes: 'read write',
    account: 'user@example.test',
    metadata: null,
    sealedCredentials: `lk1.ka.credentials-${connectorId}-${userId}`,
    expiresAt: T0 + 3_600_000,
    refreshExpiresAt: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    lastUsedAt: T0,
    lastRefreshedAt: null,
    refreshFailure: null,
    ...patch,
  };
}

/** The same connection after its grant died: no tokens left. */
export function reauthRequiredConnection(
  connectorId: string,
  userId: string,
): ReauthRequiredConnection {
  return {
    ...connection(connectorId, userId),
    status: 'reauth_required',
    sealedCredentials: null,
    expiresAt: null,
    refreshExpiresAt: null,
    refreshFailure: null,
  };
}

export function oauthState(
  stateHash: string,
  connectorId: string,
  userId: string,
  patch: Partial<StoredOAuthState> = {},
): StoredOAuthState {
  return {
    stateHash,
    connectorId,
    userId,
    browserHash: `browser-${stateHash}`,
    sealedCodeVerifier: `lk1.ka.verifier-${stateHash}`,
    returnUrl: 'http://localhost:5601/app',
    tokenEndpoint: 'https://idp.example/token',
    issuer: 'https://idp.example',
    configVersion: 1,
    createdAt: T0,
    expiresAt: T0 + 600_000,
    connectSessionHash: null,
    ...patch,
  };
}

export function revocation(id: string, patch: Partial<PendingRevocation> = {}): PendingRevocation {
  return {
    id,
    connectorId: 'connector-1',
    userId: 'user-1',
    sealedToken: `lk1.ka.token-${id}`,
    sealedClient: `lk1.ka.client-${id}`,
    tokenTypeHint: 'refresh_token',
    attempts: 0,
    nextAttemptAt: T0,
    createdAt: T0,
    ...patch,
  };
}

export function auditEvent(id: string, patch: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    createdAt: T0,
    action: 'api_key_used',
    outcome: 'success',
    reason: null,
    actorUserId: null,
    apiKeyId: null,
    subjectUserId: 'user-1',
    connectorId: 'connector-1',
    details: null,
    ...patch,
  };
}

export function apiKey(id: string, patch: Partial<StoredApiKey> = {}): StoredApiKey {
  return {
    id,
    name: `app ${id}`,
    keyHash: `hash-of-${id}`,
    permissions: ['proxy', 'tokens:read'],
    createdBy: 'user-1',
    createdAt: T0,
    lastUsedAt: null,
    revokedAt: null,
    ...patch,
  };
}

export function webhookEndpoint(
  id: string,
  patch: Partial<StoredWebhookEndpoint> = {},
): StoredWebhookEndpoint {
  return {
    id,
    url: `https://hooks.example/${id}`,
    events: ['connection.created', 'connection.deleted'],
    sealedSecret: `lk1.ka.webhook-secret-${id}`,
    sealedPreviousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
    createdAt: T0,
    updatedAt: T0,
    ...patch,
  };
}

export function connectionEvent(
  id: string,
  patch: Partial<StoredConnectionEvent> = {},
): StoredConnectionEvent {
  return {
    id,
    type: 'connection.created',
    connectorId: 'connector-1',
    userId: 'user-1',
    endUserId: null,
    reason: null,
    createdAt: T0,
    ...patch,
  };
}

/** `user-1` and `connector-1`, which most rows point at. */
export async function seedOwners(store: Store): Promise<void> {
  await store.users.insert(user('user-1'));
  await store.connectors.insert(connector('connector-1'));
}

/** Lets other queued callbacks and I/O run (a batch flush, a racing read). */
export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Moves the read caches' clock (`performance.now`) `ms` ahead, as if that time had passed;
 * the contract's `afterEach` puts it back.
 */
export function skipCacheTime(ms: number): void {
  const real = performance.now.bind(performance);
  vi.spyOn(performance, 'now').mockImplementation(() => real() + ms);
}
