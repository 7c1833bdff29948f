import type { ConnectorConfig } from './connectors/connector-schema';
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

/** A connector as stored: the secrets are one sealed (encrypted) JSON document. */
export interface StoredConnector {
  id: string;
  name: string;
  provider: string;
  authMode: AuthMode;
  config: ConnectorConfig;
  sealedSecrets: string;
  /** Bumped whenever OAuth-relevant settings change; flows started before are void. */
  configVersion: number;
  createdAt: number;
  updatedAt: number;
}

export interface ConnectorRepository {
  insert(connector: StoredConnector): Promise<void>;
  findById(id: string): Promise<StoredConnector | undefined>;
  findByName(name: string): Promise<StoredConnector | undefined>;
  list(): Promise<StoredConnector[]>;
  update(connector: StoredConnector): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export type ConnectionStatus = 'connected' | 'reauth_required';

export interface ConnectionRepository {
  /** The caller's connection status per connector id; absent means not connected. */
  statusesForUser(userId: string): Promise<Map<string, ConnectionStatus>>;
  deleteForConnector(connectorId: string): Promise<number>;
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
