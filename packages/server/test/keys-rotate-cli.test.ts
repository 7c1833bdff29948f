import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealedColumn, Store, Vault } from '@latchkey/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_SECRET,
  perUserConnectorBody,
  sharedConnectorBody,
} from './support/connector-bodies';
import { sealedValues } from './support/database-queries';
import { runLatchkey } from './support/run-latchkey';
import { ADMIN_PASSWORD, startTestService, TEST_KEY_A, TEST_KEY_B } from './support/test-service';

const CONNECTION_TOKENS = '{"access_token":"at-rotate-test","refresh_token":"rt-rotate-test"}';
const credentialsAt = (rowId: string) => ({ table: 'connections', column: 'credentials', rowId });

/** Writes connections with sealed credentials, as the OAuth flow would. */
function insertConnections(file: string, vault: Vault, connectorId: string, userIds: string[]) {
  const db = new BetterSqlite3(file);
  const now = Date.now();
  const insert = db.prepare(
    'insert into connections (id, connector_id, user_id, status, credentials, created_at, updated_at, last_used_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const ids = userIds.map(() => randomUUID());
  ids.forEach((id, i) => {
    const sealed = vault.encrypt(CONNECTION_TOKENS, credentialsAt(id));
    insert.run(id, connectorId, userIds[i], 'connected', sealed, now, now, now);
  });
  db.close();
  return ids;
}

/** Counts per `table.column`, as `keys rotate` prints them. */
async function countByColumn(file: string, columns: readonly SealedColumn[]) {
  const counts: Record<string, number> = {};
  const values = await sealedValues({ database: { dialect: 'sqlite', file } }, columns);
  for (const { where } of values) counts[where] = (counts[where] ?? 0) + 1;
  return counts;
}

describe('npx latchkey keys rotate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-rotate-'));
  const databaseFile = join(dataDir, 'latchkey.sqlite');
  const env = {
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_ENCRYPTION_KEYS: `${TEST_KEY_B},${TEST_KEY_A}`,
  };
  let columns: readonly SealedColumn[];
  let connectionIds: string[];
  let before: Record<string, number>;

  beforeAll(async () => {
    const old = await startTestService({}, dataDir);
    const admin = await old.login('admin', ADMIN_PASSWORD);
    const create = (body: unknown) =>
      old.request({ method: 'POST', url: '/api/connectors', cookie: admin, body });
    const perUser = (await create(perUserConnectorBody())).json();
    for (let i = 0; i < 3; i += 1) await create(perUserConnectorBody());
    await create(sharedConnectorBody());
    for (let i = 0; i < 2; i += 1) {
      const url = `/api/connectors/${perUser.id}/_start_oauth_flow`;
      expect((await old.request({ method: 'POST', url, cookie: admin, body: {} })).statusCode).toBe(
        200,
      );
    }
    const users = await Promise.all(
      ['viewer', 'editor', 'viewer'].map((role) => old.sessionFor(role as 'viewer')),
    );
    connectionIds = insertConnections(
      databaseFile,
      old.deps.vault,
      perUser.id,
      users.map((u) => u.userId),
    );
    columns = old.deps.store.sealedValues.columns;
    await old.stop({ keepData: true });
    before = await countByColumn(databaseFile, columns);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts from rows that are all under the old key', async () => {
    expect(before).toMatchObject({
      'connectors.secrets': 5,
      'connections.credentials': 3,
      'oauth_states.code_verifier': 2,
    });
    expect(
      new Set(
        (await sealedValues({ database: { dialect: 'sqlite', file: databaseFile } }, columns)).map(
          (v) => v.keyId,
        ),
      ),
    ).toEqual(new Set(['ka']));
  });

  it('re-encrypts every secret with the new key and reports the counts', async () => {
    const result = await runLatchkey(['keys', 'rotate'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('active key: kb');
    for (const [column, count] of Object.entries(before)) {
      expect(result.stdout).toContain(`${column}: ${count} re-encrypted`);
    }
    const total = Object.values(before).reduce((a, b) => a + b, 0);
    expect(result.stdout).toContain(`total: ${total} re-encrypted, 0 already current`);
    expect(await countByColumn(databaseFile, columns)).toEqual(before);
    const stillOld = (
      await sealedValues({ database: { dialect: 'sqlite', file: databaseFile } }, columns)
    ).filter((v) => v.keyId !== 'kb');
    expect(stillOld).toEqual([]);
  });

  it('finds nothing left to do on a second run', async () => {
    const result = await runLatchkey(['keys', 'rotate'], env);
    const total = Object.values(before).reduce((a, b) => a + b, 0);
    expect(result.stdout).toContain(`total: 0 re-encrypted, ${total} already current`);
    expect(result.code).toBe(0);
  });

  it('leaves everything readable with only the new key, and nothing with only the old one', async () => {
    const fresh = await startTestService({ LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_B }, dataDir);
    try {
      const admin = await fresh.login('admin', ADMIN_PASSWORD);
      const list = await fresh.request({ method: 'GET', url: '/api/connectors', cookie: admin });
      expect(list.statusCode).toBe(200);
      expect(
        list.json().connectors.every((c: { secretsSet: string[] }) => c.secretsSet.length === 1),
      ).toBe(true);
      const [first] = await fresh.deps.store.connectors.list();
      expect(
        fresh.deps.vault.decrypt(first!.sealedSecrets, {
          table: 'connectors',
          column: 'secrets',
          rowId: first!.id,
        }),
      ).toContain(first!.authMode === 'per-user' ? CLIENT_SECRET : 'shared-bearer-token');
      await expectConnectionsReadable(fresh.deps.store, fresh.deps.vault, connectionIds);
    } finally {
      await fresh.stop({ keepData: true });
    }
    const stale = await startTestService({ LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A }, dataDir);
    try {
      const admin = await stale.login('admin', ADMIN_PASSWORD);
      const list = await stale.request({ method: 'GET', url: '/api/connectors', cookie: admin });
      expect(list.json().error.code).toBe('unknown_encryption_key');
    } finally {
      await stale.stop({ keepData: true });
    }
  });
});

async function expectConnectionsReadable(store: Store, vault: Vault, ids: string[]) {
  const column = { table: 'connections', column: 'credentials' };
  const rows = await store.sealedValues.page(column, '', 1000);
  expect(rows.map((r) => r.rowId).sort()).toEqual([...ids].sort());
  for (const row of rows)
    expect(vault.decrypt(row.sealed, credentialsAt(row.rowId))).toBe(CONNECTION_TOKENS);
}
