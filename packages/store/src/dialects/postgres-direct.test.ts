import {
  createTestPostgresDatabase,
  queryPostgres,
  type TestPostgresDatabase,
} from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection, connector, user } from '../contract/fixtures';
import { type OpenedStore, openStore } from '../open-store';

/**
 * During a rolling upgrade, instances of the old version keep serving while a new one
 * migrates the database. A prepared statement whose result has the table's shape
 * (`select *`) fails on a connection that prepared it before a column was added ("cached
 * plan must not change result type"): the direct read must not depend on the table's shape.
 */
describe('PostgreSQL direct statements across a migration by another instance', () => {
  let database: TestPostgresDatabase;
  let store: OpenedStore;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    // One pooled connection: the read after the migration reuses the prepared statement.
    store = await openStore({ dialect: 'postgres', url: database.url }, { poolSize: 1 });
    await store.users.insert(user('u1'));
    await store.connectors.insert(connector('c1'));
    await store.connections.save(connection('c1', 'u1'));
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('still reads a connection after a column was added to its table', async () => {
    expect(await store.connections.find('c1', 'u1')).toEqual(connection('c1', 'u1'));
    await queryPostgres(database.url, 'alter table connections add column added_later text');
    expect(await store.connections.find('c1', 'u1')).toEqual(connection('c1', 'u1'));
  });
});
