import type { AuthSettings } from './connectors/connector-schema';
import type { Role } from './users/roles';

/**
 * The storage interface the domain depends on. `@latchkey/store` implements it with Kysely
 * for SQLite and PostgreSQL; nothing here knows which. Times are epoch milliseconds.
 */
export interface Store {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly connectors: ConnectorRepository;
  readonly connections: ConnectionRepository;
  readonly oauthStates: OAuthStateRepository;
  readonly pendingRevocations: PendingRevocationRepository;
  readonly audit: AuditRepository;
  readonly leases: LeaseRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly sealedValues: SealedValueRepository;
  /** Runs `work` in one database transaction; the store passed in is bound to it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface UserRecord {
  id: string;
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  /**
   * Inserts `user` only if the table holds no user at all, atomically: of several instances
   * starting at once, exactly one gets `true`; the others get `false`, never an error.
   */
  insertIfNoUsers(user: UserRecord): Promise<boolean>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  update(
    id: string,
    patch: Partial<Pick<UserRecord, 'role' | 'passwordHash'>> & { updatedAt: number },
  ): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  countByRole(role: Role): Promise<number>;
  count(): Promise<number>;
}

export interface SessionRecord {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  find(idHash: string): Promise<SessionRecord | undefined>;
  delete(idHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export type AuthMode = 'shared' | 'per-user';

/** What every connector row holds, whatever its auth mode; the secrets are sealed JSON. */
interface StoredConnectorBase {
  id: string;
  name: string;
  provider: string;
  sealedSecrets: string;
  /** Bumped whenever OAuth-relevant settings change; flows started before are void. */
  configVersion: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * A connector as stored: its auth mode decides the shape of its config (and, through the
 * config's credential type, of its secrets).
 */
export type StoredConnector = StoredConnectorBase & AuthSettings;
export type StoredPerUserConnector = Extract<StoredConnector, { authMode: 'per-user' }>;
export type StoredSharedConnector = Extract<StoredConnector, { authMode: 'shared' }>;

export interface ConnectorRepository {
  insert(connector: StoredConnector): Promise<void>;
  findById(id: string): Promise<StoredConnector | undefined>;
  findByName(name: string): Promise<StoredConnector | undefined>;
  list(): Promise<StoredConnector[]>;
  update(connector: StoredConnector): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

/** What every connection row holds, whatever its state. */
interface StoredConnectionBase {
  id: string;
  connectorId: string;
  userId: string;
  scopes: string | null;
  version: number;
  createdAt: number;
  /**
   * While `connected`: when its tokens were obtained (code exchange or refresh), so that
   * `expiresAt - updatedAt` is the access token's lifetime. Nothing else may move it.
   */
  updatedAt: number;
  lastUsedAt: number;
}

/** A connection with tokens: they are one sealed JSON document. */
export interface ConnectedConnection extends StoredConnectionBase {
  status: 'connected';
  sealedCredentials: string;
  /** Epoch ms; null when the provider did not say. */
  expiresAt: number | null;
  refreshExpiresAt: number | null;
}

/** A connection whose grant is gone: its tokens were dropped, the user must connect again. */
export interface ReauthRequiredConnection extends StoredConnectionBase {
  status: 'reauth_required';
  sealedCredentials: null;
  expiresAt: null;
  refreshExpiresAt: null;
}

/** One user's connection to one connector; its state decides whether it holds tokens. */
export type StoredConnection = ConnectedConnection | ReauthRequiredConnection;
export type ConnectionStatus = StoredConnection['status'];

export interface ConnectionRepository {
  /** The caller's connection status per connector id; absent means not connected. */
  statusesForUser(userId: string): Promise<Map<string, ConnectionStatus>>;
  find(connectorId: string, userId: string): Promise<StoredConnection | undefined>;
  /** Inserts or replaces the one connection of (connector, user). */
  save(connection: StoredConnection): Promise<void>;
  /** Replaces the row only if its version is still `expectedVersion` (optimistic lock). */
  replaceIfVersion(connection: StoredConnection, expectedVersion: number): Promise<boolean>;
  /** Records use, at most once per `minIntervalMs`, so reads stay reads. */
  touch(id: string, now: number, minIntervalMs: number): Promise<void>;
  /** Deletes and returns the connection, atomically, so only one caller gets its tokens. */
  take(connectorId: string, userId: string): Promise<StoredConnection | undefined>;
  /** Deletes and returns every connection of the connector, in one statement. */
  takeForConnector(connectorId: string): Promise<StoredConnection[]>;
  /** Deletes and returns every connection of the user, in one statement. */
  takeForUser(userId: string): Promise<StoredConnection[]>;
  /** Deletes and returns the connections last used before `cutoff`, in one statement. */
  takeUnusedSince(cutoff: number): Promise<StoredConnection[]>;
}

/** A started authorization flow; keyed by the SHA-256 of its state. */
export interface StoredOAuthState {
  stateHash: string;
  connectorId: string;
  userId: string;
  /** SHA-256 of the browser-binding cookie. */
  browserHash: string;
  sealedCodeVerifier: string;
  returnUrl: string | null;
  tokenEndpoint: string;
  issuer: string | null;
  configVersion: number;
  createdAt: number;
  expiresAt: number;
}

export interface OAuthStateRepository {
  insert(state: StoredOAuthState): Promise<void>;
  find(stateHash: string): Promise<StoredOAuthState | undefined>;
  /** Deletes and returns the flow in one statement: a state can be consumed once only. */
  consume(stateHash: string): Promise<StoredOAuthState | undefined>;
  deleteExpired(now: number): Promise<number>;
}

export type TokenTypeHint = 'refresh_token' | 'access_token';

/** A token revocation that waits for the retry job (it failed, or was queued without trying). */
export interface PendingRevocation {
  id: string;
  /** The connector the token was issued through; it may be deleted since. */
  connectorId: string;
  userId: string;
  sealedToken: string;
  /**
   * The connector settings and client secret that revoke the token, sealed: the revocation
   * outlives the connector. Null in rows queued before this copy was kept.
   */
  sealedClient: string | null;
  tokenTypeHint: TokenTypeHint;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export interface PendingRevocationRepository {
  insert(revocation: PendingRevocation): Promise<void>;
  due(now: number, limit: number): Promise<PendingRevocation[]>;
  reschedule(id: string, attempts: number, nextAttemptAt: number): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface AuditEvent {
  id: string;
  createdAt: number;
  action: string;
  outcome: 'success' | 'failure';
  reason: string | null;
  actorUserId: string | null;
  apiKeyId: string | null;
  subjectUserId: string | null;
  connectorId: string | null;
  /** What the event concerns in more detail, as JSON: field names and counts, never a secret. */
  details: AuditDetails | null;
}

export type AuditDetails = Record<string, unknown>;

export interface AuditRepository {
  append(event: AuditEvent): Promise<void>;
  /** Newest first; `before` is the last event of the previous page. */
  page(limit: number, before?: { createdAt: number; id: string }): Promise<AuditEvent[]>;
  /**
   * Deletes at most `limit` events created before `cutoff`, oldest first, in one statement;
   * returns how many. Bounded, so that a large backlog never holds the database for long.
   */
  deleteOlderThan(cutoff: number, limit: number): Promise<number>;
}

/**
 * Named, expiring leases: the database half of every lock (a job run, a token refresh), so
 * that instances sharing a database never do the same work twice at once. A lease that is
 * not released (a crashed holder) frees itself when it expires.
 */
export interface LeaseRepository {
  tryAcquire(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** A column that holds vault ciphertext, for key rotation. */
export interface SealedColumn {
  table: string;
  column: string;
}

export interface SealedValue {
  rowId: string;
  sealed: string;
}

export interface SealedValueRepository {
  readonly columns: readonly SealedColumn[];
  /** Rows of `column` after `afterRowId` in row id order, at most `limit`. */
  page(column: SealedColumn, afterRowId: string, limit: number): Promise<SealedValue[]>;
  /** Compare-and-swap: replaces the value only if it is still `expected`. */
  replace(column: SealedColumn, rowId: string, expected: string, next: string): Promise<boolean>;
}

export const API_KEY_PERMISSIONS = ['proxy', 'tokens:read', 'on_behalf'] as const;
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

/** An application's key; only the SHA-256 of the key is stored. */
export interface StoredApiKey {
  id: string;
  name: string;
  keyHash: string;
  permissions: ApiKeyPermission[];
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyRepository {
  insert(key: StoredApiKey): Promise<void>;
  findByHash(keyHash: string): Promise<StoredApiKey | undefined>;
  list(): Promise<StoredApiKey[]>;
  revoke(id: string, now: number): Promise<boolean>;
  touch(id: string, now: number, minIntervalMs: number): Promise<void>;
}
