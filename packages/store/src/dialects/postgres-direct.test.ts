import {
  createTestPostgresDatabase,
  queryPostgres,
  type TestPostgresDatabase,
} from '@latchkey/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connection, connector, user } from '../contract/fixtures';
import { type OpenedStore, openStore } from '../open-store';
import { postgresDirectStatements } from './postgres-direct';

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

/**
 * During a rolling upgrade, instances of the old version keep serving while a new one
 * migrates the database. A prepared statement whose result has the table's shape
 * (`select *`) fails on a connection that prepared it before a column was added ("cached
 * plan must not change result type"): the direct read must not depend on the table's shape.
 */
describe('PostgreSQL direct statements across a migration by another instance', () => {
  it('still reads a connection after a column was added to its table', async () => {
    expect(await store.connections.find('c1', 'u1')).toEqual(connection('c1', 'u1'));
    await queryPostgres(database.url, 'alter table connections add column added_later text');
    expect(await store.connections.find('c1', 'u1')).toEqual(connection('c1', 'u1'));
  });
});

/**
 * The audit batch's insert does not wait for the disk at its commit, and leaves every other
 * transaction on the connection as it was: a pooled connection goes on to carry token
 * writes, which must still wait for it.
 */
describe('the PostgreSQL audit insert', () => {
  const auditRow = (id: string) => ({
    id,
    created_at: 1,
    action: 'api_key_used',
    outcome: 'success',
  });

  it('commits its own transaction asynchronously, and no other', async () => {
    // One connection: the transaction below and the statements after it share it.
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const synchronousCommit = async () =>
      (await pool.query<{ synchronous_commit: string }>('show synchronous_commit')).rows[0]
        ?.synchronous_commit;
    try {
      // Whatever the test server's default: the session's own, which the statement must keep.
      await pool.query("set synchronous_commit = 'remote_write'");
      const configured = 'remote_write';
      const direct = postgresDirectStatements(pool);
      await pool.query('begin');
      expect(await direct.appendAudit([auditRow('a1'), auditRow('a2')])).toBe(true);
      expect(await synchronousCommit()).toBe('off');
      await pool.query('commit');
      expect(await synchronousCommit()).toBe(configured);

      // On its own, the statement is its own transaction: the next one is as configured.
      expect(await direct.appendAudit([auditRow('a3')])).toBe(true);
      expect(await synchronousCommit()).toBe(configured);
      const ids = await pool.query<{ id: string }>('select id from audit_events order by id');
      expect(ids.rows.map((row) => row.id)).toEqual(['a1', 'a2', 'a3']);

      // Prepared once per row count on the connection, then reused.
      expect(await direct.appendAudit([auditRow('a4')])).toBe(true);
      const prepared = await pool.query<{ name: string }>(
        "select name from pg_prepared_statements where name like 'latchkey-audit-insert-%' order by name",
      );
      expect(prepared.rows.map((row) => row.name)).toEqual([
        'latchkey-audit-insert-1',
        'latchkey-audit-insert-2',
      ]);
    } finally {
      await pool.end();
    }
  });
});
