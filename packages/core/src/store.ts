import type { AuthSettings } from './connectors/connector-schema';
import type { ConnectionEventType } from './events/connection-event';
import type { Role } from './users/roles';

/**
 * The storage interface the domain depends on. `@latchkey/store` implements it with Kysely
 * for SQLite and PostgreSQL; nothing here knows which. `describeStoreContract` in
 * `packages/store/src/contract/` is this contract as tests that every dialect passes.
 *
 * Rules that hold for every method unless it says otherwise:
 * - Times are integer epoch milliseconds, read back as `number`s exactly as written.
 * - Text compares exactly (case and accents matter); lists sort in code point order.
 * - A write of a row that breaks a key (a taken username, an unknown user id) rejects and
 *   changes nothing.
 * - Several instances may share one database. What a method promises "across instances"
 *   holds between any two stores open on it; plain reads see committed writes only.
 * - A store handed to `transaction`'s work reads and writes inside that transaction, and
 *   never through a cache.
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
  readonly endUsers: EndUserRepository;
  readonly connectSessions: ConnectSessionRepository;
  readonly connectionEvents: ConnectionEventRepository;
  readonly webhooks: WebhookRepository;
  /**
   * Runs `work` in one database transaction with a store bound to it, and answers its
   * result. Its writes commit together when `work` resolves; when it throws, every one is
   * rolled back (audit events appended through it too) and the error is passed on.
   *
   * Transactions run one at a time, across instances too (SQLite's single writer; an
   * advisory lock on PostgreSQL), so a read in one can be trusted by the write after it
   * ("count the admins, then delete one"). Where the database cannot serialise them, one
   * fails with an error instead; never do both act on a stale read. Keep `work` short and
   * free of network calls: it holds up every other transaction. Statements outside
   * transactions do not wait for the lock, but never see a transaction's uncommitted rows.
   *
   * A `transaction` called on the store `work` received joins the outer one. Committing
   * drops every cached row of this store (see `connectors.findById`).
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** One cheap round trip to the database, for readiness probes; rejects when it is gone. */
  ping(): Promise<void>;
  /** Closes the database connections. Await every `audit.append` first: it may be queued. */
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

/**
 * Latchkey's own users: people who log in. End users share their table (so connections and
 * flows work for both alike) but no method here ever finds, lists, counts, changes or
 * deletes one: see `EndUserRepository`.
 */
export interface UserRepository {
  /** Rejects, storing nothing, when the id or the username is taken. */
  insert(user: UserRecord): Promise<void>;
  /**
   * Inserts `user` only if the table holds no user at all: of several instances starting at
   * once with the same first username, exactly one gets `true`; the others get `false`, never
   * an error. (On PostgreSQL the unique username is what settles the race.)
   */
  insertIfNoUsers(user: UserRecord): Promise<boolean>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Exact match: `Alice` and `alice` are two usernames. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  /** Every user, by username in code point order (`Zed` before `alice`). */
  list(): Promise<UserRecord[]>;
  /** Sets the fields given and `updatedAt`; `false` when no user has that id. */
  update(
    id: string,
    patch: Partial<Pick<UserRecord, 'role' | 'passwordHash'>> & { updatedAt: number },
  ): Promise<boolean>;
  /**
   * Deletes the user with their sessions, started flows and connections (without queueing
   * the revocation of their tokens: take the connections first for that). `false` when no
   * user has that id. Queued revocations stay.
   */
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
  /** Rejects when the user does not exist. */
  insert(session: SessionRecord): Promise<void>;
  /** The session, expired or not: the caller checks `expiresAt`. Never cached. */
  find(idHash: string): Promise<SessionRecord | undefined>;
  /** Deletes it if it exists (a logout); at once for every instance. */
  delete(idHash: string): Promise<void>;
  /** Deletes every session of the user, in one statement (a password change). */
  deleteForUser(userId: string): Promise<void>;
  /** Deletes the sessions with `expiresAt <= now`, in one statement; answers how many. */
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
  /** Rejects, storing nothing, when the id or the name (exact match) is taken. */
  insert(connector: StoredConnector): Promise<void>;
  /**
   * Read on every API call, so cached outside transactions, per store: a hit may be served
   * up to 2 s after the commit of another instance's change or deletion of the connector
   * (this store's own `update` and `delete`, and every commit of its transactions, drop the
   * entry at once).
   * A miss is not cached: a new connector shows at once. A read that began before a write
   * through this store never puts the old row back in the cache.
   */
  findById(id: string): Promise<StoredConnector | undefined>;
  /** Exact match; not cached. */
  findByName(name: string): Promise<StoredConnector | undefined>;
  /** Every connector, by name in code point order; not cached. */
  list(): Promise<StoredConnector[]>;
  /** Replaces every field but `id` and `createdAt`; `false` when no connector has that id. */
  update(connector: StoredConnector): Promise<boolean>;
  /**
   * Deletes the connector with its connections and started flows (take the connections
   * first to queue their revocation). Queued revocations stay. `false` when it did not exist.
   */
  delete(id: string): Promise<boolean>;
}

/**
 * The non-secret values a provider hands out with the tokens, kept by the connector's preset
 * (Salesforce's `instance_url`, Slack's `team_id`): by the preset's names for them.
 */
export type ConnectionMetadata = Readonly<Record<string, string>>;

/** What every connection row holds, whatever its state. */
interface StoredConnectionBase {
  id: string;
  connectorId: string;
  userId: string;
  /**
   * The scopes granted, as the token response said them (RFC 6749 §5.1), else as asked for;
   * null only for rows written before Latchkey kept them.
   */
  scopes: string | null;
  /** Who the user is at the provider (email, login…), for display; null when unknown. */
  account: string | null;
  /** Null when the connector keeps nothing; kept through a refresh and a reauth. */
  metadata: ConnectionMetadata | null;
  version: number;
  createdAt: number;
  /**
   * While `connected`: when its tokens were obtained (code exchange or refresh), so that
   * `expiresAt - updatedAt` is the access token's lifetime. Nothing else may move it.
   */
  updatedAt: number;
  lastUsedAt: number;
  /** When a refresh last renewed its tokens; null until the first one. */
  lastRefreshedAt: number | null;
}

/**
 * The last refresh failed for a reason that may pass (the provider was down): until
 * `nextAttemptAt` no refresh of the connection goes to the provider.
 */
export interface RefreshFailure {
  /** The error code the refresh failed with (`provider_unavailable`). */
  code: string;
  /** Failures in a row since the last success: the cool-down doubles with each. */
  failures: number;
  nextAttemptAt: number;
}

/** A connection with tokens: they are one sealed JSON document. */
export interface ConnectedConnection extends StoredConnectionBase {
  status: 'connected';
  sealedCredentials: string;
  /** Epoch ms; null when the provider did not say. */
  expiresAt: number | null;
  refreshExpiresAt: number | null;
  /** Null while its refreshes succeed; a new row or a successful refresh clears it. */
  refreshFailure: RefreshFailure | null;
}

/** A connection whose grant is gone: its tokens were dropped, the user must connect again. */
export interface ReauthRequiredConnection extends StoredConnectionBase {
  status: 'reauth_required';
  sealedCredentials: null;
  expiresAt: null;
  refreshExpiresAt: null;
  refreshFailure: null;
}

/** One user's connection to one connector; its state decides whether it holds tokens. */
export type StoredConnection = ConnectedConnection | ReauthRequiredConnection;
export type ConnectionStatus = StoredConnection['status'];

/** Which connections the keep-alive job renews: any one of the limits reached is due. */
export interface RefreshDueLimits {
  /** Connections in a refresh cool-down until after this are left alone. */
  now: number;
  /** The access token, or the refresh token, expires at or before this. */
  expiringBefore: number;
  /** The tokens were obtained at or before this (the refresh token lapses unused); null: never. */
  obtainedBefore: number | null;
}

export interface ConnectionRepository {
  /** Every connection of the user, in any state, by connector id in code point order. */
  listForUser(userId: string): Promise<StoredConnection[]>;
  /**
   * The one connection of (connector, user), read on every API call. Never cached: a
   * refresh on another instance shows at once. Outside a transaction it may skip the query
   * builder (the dialect's direct statement), but it never sees a transaction's uncommitted
   * row.
   */
  find(connectorId: string, userId: string): Promise<StoredConnection | undefined>;
  /**
   * Inserts the connection, or replaces every field of the existing row of the same
   * (connector, user) pair, in one statement, except its `createdAt`, which stays the
   * existing row's. The `id` is replaced too: the credentials are sealed to it, so of
   * concurrent saves, on any instances, the row always holds one caller's id and that same
   * caller's credentials. Not version-checked: the last save wins. Rejects when the
   * connector or the user does not exist.
   */
  save(connection: StoredConnection): Promise<void>;
  /**
   * Compare-and-swap: replaces the row with id `connection.id` (all but its owners and
   * `createdAt`) only if its version is still `expectedVersion`, in one statement. Of
   * concurrent callers with the same expected version, on any instances, exactly one gets
   * `true`; `false` also when the row is gone. The caller sets the new `version`.
   */
  replaceIfVersion(connection: StoredConnection, expectedVersion: number): Promise<boolean>;
  /**
   * Records a failed refresh on the connected row with id `id`, only if its version is still
   * `expectedVersion`, in one statement. Leaves `version` (and the tokens) alone: a token
   * handed out before stays one of this state of the connection. `false` when the row
   * changed, is gone or is not connected.
   */
  recordRefreshFailure(
    id: string,
    expectedVersion: number,
    failure: RefreshFailure,
  ): Promise<boolean>;
  /**
   * At most `limit` connected connections of the connector that are due (`RefreshDueLimits`)
   * and not cooling down, the longest unrefreshed first (`updatedAt`, then `id`). Two callers
   * may get the same rows: the refresh's own lease and version check keep it single.
   */
  dueForRefresh(
    connectorId: string,
    limits: RefreshDueLimits,
    limit: number,
  ): Promise<ConnectedConnection[]>;
  /**
   * Sets `lastUsedAt` to `now` only when it is older than `now - minIntervalMs`, so that
   * reads stay reads; leaves `version` alone (a touch never fails a compare-and-swap).
   */
  touch(id: string, now: number, minIntervalMs: number): Promise<void>;
  /**
   * Deletes and returns the connection in one statement: of concurrent callers, on any
   * instances, exactly one gets it (and its tokens, to revoke).
   */
  take(connectorId: string, userId: string): Promise<StoredConnection | undefined>;
  /** Deletes and returns every connection of the connector, in one statement. */
  takeForConnector(connectorId: string): Promise<StoredConnection[]>;
  /** Deletes and returns every connection of the user, in one statement. */
  takeForUser(userId: string): Promise<StoredConnection[]>;
  /** Deletes and returns the connections with `lastUsedAt < cutoff`, in one statement. */
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
  /** SHA-256 of the connect session that started it, for an end user's flow; else null. */
  connectSessionHash: string | null;
}

export interface OAuthStateRepository {
  /** Rejects when the connector or the user does not exist. */
  insert(state: StoredOAuthState): Promise<void>;
  /** The flow, expired or not, without consuming it (a cancel checks whose it is). */
  find(stateHash: string): Promise<StoredOAuthState | undefined>;
  /**
   * Deletes and returns the flow in one statement: of concurrent callbacks, on any
   * instances, exactly one gets it. Expired or not: the caller checks `expiresAt`.
   */
  consume(stateHash: string): Promise<StoredOAuthState | undefined>;
  /**
   * Moves a live flow (`expiresAt > now`) from one browser hash to another, in one statement,
   * only if it is still bound to `fromBrowserHash`: of concurrent calls with the same `from`,
   * exactly one answers true; an unknown, expired or already moved flow answers false.
   */
  rebindBrowser(
    stateHash: string,
    fromBrowserHash: string,
    toBrowserHash: string,
    now: number,
  ): Promise<boolean>;
  /** Deletes the flows with `expiresAt <= now`, in one statement; answers how many. */
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

/** Rows outlive their connector and user: nothing deletes them but `delete`. */
export interface PendingRevocationRepository {
  insert(revocation: PendingRevocation): Promise<void>;
  /**
   * At most `limit` revocations with `nextAttemptAt <= now`, soonest first. Two callers may
   * get the same rows: run the retry job under a lease.
   */
  due(now: number, limit: number): Promise<PendingRevocation[]>;
  reschedule(id: string, attempts: number, nextAttemptAt: number): Promise<void>;
  /** Deletes it if it exists. */
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
  /**
   * Resolves once the event is committed (seen by every instance), so nothing is answered
   * before it is audited. Outside a transaction, the events appended in one event-loop turn
   * are group-committed in one database transaction, whatever their number: they are
   * written together or, if one cannot be (a taken id), every one of them rejects and none
   * is stored. Such an append never joins a transaction open meanwhile, and survives its
   * rollback. Through a transaction's store, the event is written at once and commits or
   * rolls back with the transaction.
   */
  append(event: AuditEvent): Promise<void>;
  /**
   * At most `limit` events, newest first (`createdAt`, then `id`, descending); `before` is
   * the last event of the previous page, and the page holds only events after it.
   */
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
  /**
   * Takes the lease until `now + ttlMs` if it is free or expired (`expiresAt <= now`), in
   * one statement: of concurrent callers, on any instances, exactly one gets `true`. A live
   * lease is never taken, not even by its own holder (that is `renew`).
   */
  tryAcquire(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /**
   * Moves the lease's expiry to `now + ttlMs` if `holder` still holds it, in one statement,
   * so work that outlives the lease's first term keeps it. `false` once another holder has
   * taken it (after it expired) or it is gone: the caller no longer holds it.
   */
  renew(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Frees the lease if `holder` still holds it; a lease since taken by another stays. */
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
  /** Every column that holds vault ciphertext; a new one must be added here. */
  readonly columns: readonly SealedColumn[];
  /**
   * At most `limit` non-null values of `column` with row id after `afterRowId`, in row id
   * order (`''` starts at the beginning). Rejects for a column not in `columns`.
   */
  page(column: SealedColumn, afterRowId: string, limit: number): Promise<SealedValue[]>;
  /**
   * Compare-and-swap, in one statement: replaces the value only if it is still `expected`.
   * Of concurrent callers, exactly one gets `true`; `false` when it changed or is gone.
   */
  replace(column: SealedColumn, rowId: string, expected: string, next: string): Promise<boolean>;
}

/**
 * A person known to Latchkey only by an application's id for them (`externalId`). They
 * never log in; they connect through connect sessions. Their `id` is a user id: their
 * connections and flows are stored as any user's.
 */
export interface EndUserRecord {
  id: string;
  externalId: string;
  displayName: string | null;
  email: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface EndUserRepository {
  /**
   * The end user of `externalId`, inserted with `id` if there is none. A profile field given
   * (not undefined) replaces the stored one. Of concurrent callers with one external id, on
   * any instances, every one gets the same row; none rejects.
   */
  ensure(input: {
    id: string;
    externalId: string;
    displayName?: string | null;
    email?: string | null;
    now: number;
  }): Promise<EndUserRecord>;
  /** Exact match; never a Latchkey user. */
  findByExternalId(externalId: string): Promise<EndUserRecord | undefined>;
  /**
   * At most `limit` end users by external id in code point order, those after
   * `afterExternalId` only when it is given.
   */
  page(limit: number, afterExternalId?: string): Promise<EndUserRecord[]>;
  /**
   * Deletes the end user with their started flows and connections (take the connections
   * first to queue the revocation of their tokens); `false` when no end user has that id.
   * Their connect sessions are `connectSessions.deleteForEndUser`'s.
   */
  delete(id: string): Promise<boolean>;
}

/** A connect session: lets whoever holds its token connect one end user's accounts. */
export interface StoredConnectSession {
  /** SHA-256 of the token: a stolen database does not yield live sessions. */
  tokenHash: string;
  /** The end user it acts for; they need not exist yet (a link minted for a 409). */
  externalId: string;
  displayName: string | null;
  email: string | null;
  /** The connectors it may connect; null for every per-user connector. */
  connectorIds: string[] | null;
  returnUrl: string | null;
  /** The key that created it; null once unknown. */
  apiKeyId: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A session as it is read: with whether the key that created it still works. */
export interface FoundConnectSession extends StoredConnectSession {
  /** False once that key is revoked, or unknown: the session then acts for nobody. */
  apiKeyLive: boolean;
}

export interface ConnectSessionRepository {
  /** Rejects, storing nothing, when the hash is taken. */
  insert(session: StoredConnectSession): Promise<void>;
  /**
   * The session, expired or not, with its key's state read in the same statement: the caller
   * checks `expiresAt` and `apiKeyLive`. Never cached, so a revocation by any instance
   * shows at once (not through the API key cache).
   */
  find(tokenHash: string): Promise<FoundConnectSession | undefined>;
  /** Deletes every session of that end user, in one statement; at once for every instance. */
  deleteForEndUser(externalId: string): Promise<number>;
  /** Deletes the sessions with `expiresAt <= now`, in one statement; answers how many. */
  deleteExpired(now: number): Promise<number>;
}

export const API_KEY_PERMISSIONS = ['proxy', 'tokens:read', 'on_behalf', 'end_users'] as const;
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
  /** Rejects, storing nothing, when the id or the hash is taken. */
  insert(key: StoredApiKey): Promise<void>;
  /**
   * Read on every API call, so cached outside transactions, per store: a hit may be served
   * up to 2 s after the commit of another instance's revocation of the key (a revocation
   * through this store drops the whole cache at once). A miss is not cached. A read that began before a revocation
   * through this store never puts the live key back in the cache.
   */
  findByHash(keyHash: string): Promise<StoredApiKey | undefined>;
  /** Every key, revoked ones too, oldest first. */
  list(): Promise<StoredApiKey[]>;
  /** Sets `revokedAt` once, in one statement: `true` for the one caller that revoked it. */
  revoke(id: string, now: number): Promise<boolean>;
  /**
   * Sets `lastUsedAt` to `now` when it is unset or older than `now - minIntervalMs`. This
   * store's cached copy shows the use at once, so the calls that follow do not write again.
   */
  touch(id: string, now: number, minIntervalMs: number): Promise<void>;
}

/** A change to a connection, as written to the outbox (see `recordConnectionEvent`). */
export interface StoredConnectionEvent {
  id: string;
  type: ConnectionEventType;
  connectorId: string;
  userId: string;
  /** The end user's external id when `userId` is an end user's: `record` looks it up. */
  endUserId: string | null;
  reason: string | null;
  createdAt: number;
}

/** The outbox of connection events. Rows outlive their connector and user. */
export interface ConnectionEventRepository {
  /**
   * Inserts the event and, in the same statement's transaction, one `pending` delivery due at
   * `event.createdAt` for every enabled endpoint subscribed to its type at that moment;
   * answers how many. Call it with the store of the transaction that makes the change: both
   * commit, or neither does. Rejects, storing nothing, when the id is taken.
   */
  record(event: Omit<StoredConnectionEvent, 'endUserId'>): Promise<number>;
  /**
   * Deletes at most `limit` events created before `cutoff` that have no delivery left (none
   * was queued, or each has been deleted), in one statement; returns how many. An event with
   * a delivery, `pending` or not, is never deleted. Bounded, like `audit.deleteOlderThan`.
   */
  deleteWithoutDeliveries(cutoff: number, limit: number): Promise<number>;
}

/** A registered webhook receiver; its signing secrets are sealed with the vault. */
export interface StoredWebhookEndpoint {
  id: string;
  url: string;
  /** The event types it wants, in code point order, without repeats. */
  events: ConnectionEventType[];
  sealedSecret: string;
  /** The secret a rotation replaced, still signing beside the new one until it expires. */
  sealedPreviousSecret: string | null;
  previousSecretExpiresAt: number | null;
  /** When its deliveries began failing without a success since; null while healthy. */
  failingSince: number | null;
  disabledAt: number | null;
  /** Why it was disabled, for the admin who sees it. */
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event's delivery to one endpoint: keyed by both, retried until it ends. */
export interface WebhookDelivery {
  eventId: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the job tries next; null once it ended. */
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  /** The receiver's HTTP status; null when none answered. */
  lastResponseStatus: number | null;
  lastLatencyMs: number | null;
  /** An error code when the attempt failed without an answer (`egress_denied`, `timeout`). */
  lastError: string | null;
  createdAt: number;
}

/** A delivery with the event it carries. */
export interface WebhookDeliveryWithEvent extends WebhookDelivery {
  event: StoredConnectionEvent;
}

export type WebhookEndpointPatch = Partial<
  Pick<
    StoredWebhookEndpoint,
    | 'sealedSecret'
    | 'sealedPreviousSecret'
    | 'previousSecretExpiresAt'
    | 'failingSince'
    | 'disabledAt'
    | 'disabledReason'
  >
> & { updatedAt: number };

export interface WebhookRepository {
  /** Inserts the endpoint with its subscriptions; rejects, storing nothing, when the id is taken. */
  insertEndpoint(endpoint: StoredWebhookEndpoint): Promise<void>;
  findEndpoint(id: string): Promise<StoredWebhookEndpoint | undefined>;
  /** Every endpoint, oldest first (`createdAt`, then `id`). */
  listEndpoints(): Promise<StoredWebhookEndpoint[]>;
  /** Sets the fields given; `false` when no endpoint has that id. */
  updateEndpoint(id: string, patch: WebhookEndpointPatch): Promise<boolean>;
  /** Deletes the endpoint with its subscriptions and deliveries; `false` when it did not exist. */
  deleteEndpoint(id: string): Promise<boolean>;
  /**
   * At most `limit` `pending` deliveries with `nextAttemptAt <= now` to enabled endpoints,
   * soonest first. Two callers may get the same rows: run the delivery job under a lease.
   */
  dueDeliveries(now: number, limit: number): Promise<WebhookDeliveryWithEvent[]>;
  /**
   * Writes an attempt's outcome: every field but the keys and `createdAt`. Answers whether
   * the delivery was still there to write: false when it was deleted since it was read (by
   * the retention, or with its endpoint), and then nothing is written.
   */
  saveDelivery(delivery: WebhookDelivery): Promise<boolean>;
  /**
   * At most `limit` deliveries of the endpoint, newest first (`createdAt`, then `eventId`,
   * descending); `before` is the last one of the previous page.
   */
  listDeliveries(
    endpointId: string,
    limit: number,
    before?: { createdAt: number; eventId: string },
  ): Promise<WebhookDeliveryWithEvent[]>;
  /** One delivery with its event, or undefined. */
  findDelivery(eventId: string, endpointId: string): Promise<WebhookDeliveryWithEvent | undefined>;
  /**
   * Deletes at most `limit` deliveries that ended (`succeeded` or `failed`) with a last
   * attempt before `cutoff`, in one statement; returns how many. A `pending` delivery is never
   * deleted, whatever its age: not even one a redelivery makes pending while this runs.
   * (Deliveries of a deleted endpoint went with it.) Their events stay: see
   * `connectionEvents.deleteWithoutDeliveries`.
   */
  deleteFinishedDeliveries(cutoff: number, limit: number): Promise<number>;
}
