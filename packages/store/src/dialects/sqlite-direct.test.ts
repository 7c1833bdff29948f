import type { AuditEvent, Store, StoredConnection } from '@latchkey/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_COLUMNS } from '../direct-statements';
import { openStore } from '../open-store';
import { connectionRow } from './sqlite-direct';

const CONNECTION: StoredConnection = {
  id: 'connection-1',
  connectorId: 'connector-1',
  userId: 'user-1',
  status: 'connected',
  scopes: null,
  account: null,
  metadata: null,
  sealedCredentials: 'lk1.sealed',
  expiresAt: null,
  refreshExpiresAt: null,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
  lastUsedAt: 0,
  lastRefreshedAt: null,
  refreshFailure: null,
};

const EVENT: AuditEvent = {
  id: 'event-1',
  createdAt: 1,
  action: 'api_key_used',
  outcome: 'success',
  reason: 'token',
  actorUserId: null,
  apiKeyId: null,
  subjectUserId: 'user-1',
  connectorId: 'connector-1',
  details: null,
};

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('connectionRow', () => {
  it('puts each value of a raw read under the column selected at its place', () => {
    // Each column's own name as its value: any two columns that trade places show.
    const values = [...CONNECTION_COLUMNS] as unknown as Parameters<typeof connectionRow>[0];
    const row = connectionRow(values);
    expect(Object.keys(row).sort()).toEqual([...CONNECTION_COLUMNS].sort());
    for (const column of CONNECTION_COLUMNS) expect(row[column]).toBe(column);
  });
});

/**
 * The direct statements share the connection with Kysely's transactions, which await
 * between their statements: a direct read must not see their uncommitted work, nor a direct
 * audit write join it.
 */
describe('direct statements beside an open transaction', () => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore({ dialect: 'sqlite', file: ':memory:' });
    await store.users.insert({
      id: 'user-1',
      username: 'user',
      role: 'viewer',
      passwordHash: 'not-a-real-hash',
      createdAt: 0,
      updatedAt: 0,
    });
    await store.connectors.insert({
      id: 'connector-1',
      name: 'Example',
      provider: 'custom',
      authMode: 'per-user',
      config: {} as never,
      sealedSecrets: 'lk1.sealed-secrets',
      configVersion: 1,
      createdAt: 0,
      updatedAt: 0,
    });
  });
  afterEach(() => store.close());

  /** Runs `during` while a transaction holds an uncommitted connection, then rolls back. */
  async function duringRolledBackWrite(during: () => void) {
    await store
      .transaction(async (trx) => {
        await trx.connections.save(CONNECTION);
        during();
        await nextTurn();
        await nextTurn();
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
  }

  it('a read never returns a row of a transaction that then rolls back', async () => {
    let read: Promise<StoredConnection | undefined> | undefined;
    await duringRolledBackWrite(() => {
      read = store.connections.find(CONNECTION.connectorId, CONNECTION.userId);
    });
    expect(await read).toBeUndefined();
    await store.connections.save(CONNECTION);
    expect(await store.connections.find(CONNECTION.connectorId, CONNECTION.userId)).toEqual(
      CONNECTION,
    );
  });

  it('an audit event appended meanwhile survives the rollback', async () => {
    let appended: Promise<void> | undefined;
    await duringRolledBackWrite(() => {
      appended = store.audit.append(EVENT);
    });
    await appended;
    expect(await store.audit.page(10)).toEqual([EVENT]);
    expect(await store.connections.find(CONNECTION.connectorId, CONNECTION.userId)).toBeUndefined();
  });
});
