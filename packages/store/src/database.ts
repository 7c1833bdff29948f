import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them; times are epoch milliseconds in `bigint` columns. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  connectors: ConnectorsTable;
  connections: ConnectionsTable;
}

export interface UsersTable {
  id: string;
  username: string;
  role: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ConnectorsTable {
  id: string;
  name: string;
  provider: string;
  auth_mode: string;
  config: string;
  secrets: string;
  config_version: number;
  created_at: number;
  updated_at: number;
}

export interface ConnectionsTable {
  id: string;
  connector_id: string;
  user_id: string;
  status: string;
  scopes: string | null;
  credentials: string | null;
  expires_at: number | null;
  refresh_expires_at: number | null;
  version: Generated<number>;
  created_at: number;
  updated_at: number;
  last_used_at: number;
}
