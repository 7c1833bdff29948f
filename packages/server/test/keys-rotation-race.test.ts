import { createVault, parseEncryptionKeys, rotateEncryptionKeys, type Store } from '@latchkey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody } from './support/connector-bodies';
import { sealedValues } from './support/database-queries';
import {
  ADMIN_PASSWORD,
  startTestService,
  TEST_KEY_A,
  TEST_KEY_B,
  type TestService,
} from './support/test-service';

const CONNECTORS = 12;

describe('key rotation alongside live traffic', () => {
  let service: TestService;
  const oldVault = createVault(parseEncryptionKeys(TEST_KEY_A));
  const newVault = createVault(parseEncryptionKeys(`${TEST_KEY_B},${TEST_KEY_A}`));

  beforeAll(async () => {
    service = await startTestService();
    const admin = await service.login('admin', ADMIN_PASSWORD);
    for (let i = 0; i < CONNECTORS; i += 1) {
      const body = perUserConnectorBody({ name: `Connector ${String(i).padStart(2, '0')}` });
      await service.request({ method: 'POST', url: '/api/connectors', cookie: admin, body });
    }
  });
  afterAll(() => service.stop());

  /**
   * A store whose compare-and-swap loses the race for a few rows: just before the swap,
   * an instance still on the old key rewrites the row (as an update of the connector would).
   */
  function storeWithRacingWriter(store: Store, racedRows: Set<string>): Store {
    const { sealedValues: values } = store;
    return {
      ...store,
      sealedValues: {
        columns: values.columns,
        page: (column, after, limit) => values.page(column, after, limit),
        async replace(column, rowId, expected, next) {
          if (racedRows.delete(rowId)) {
            const location = { ...column, rowId };
            const rewritten = oldVault.encrypt(oldVault.decrypt(expected, location), location);
            expect(await values.replace(column, rowId, expected, rewritten)).toBe(true);
          }
          return values.replace(column, rowId, expected, next);
        },
      },
    };
  }

  it('never overwrites a concurrent write with a stale value, and still rotates every row', async () => {
    const store = service.deps.store;
    const ids = (await store.connectors.list()).map((c) => c.id).sort();
    const racedRows = new Set([ids[0], ids[5], ids[11]] as string[]);
    const report = await rotateEncryptionKeys(storeWithRacingWriter(store, racedRows), newVault);
    expect(racedRows.size).toBe(0);
    expect(report).toMatchObject({ rotated: CONNECTORS, raced: 3, alreadyCurrent: 0 });
    expect(report.byColumn['connectors.secrets']).toBe(CONNECTORS);
    const keyIds = (await sealedValues(service, store.sealedValues.columns)).map((v) => v.keyId);
    expect(keyIds).toEqual(Array(CONNECTORS).fill('kb'));
    for (const connector of await store.connectors.list()) {
      const location = { table: 'connectors', column: 'secrets', rowId: connector.id };
      expect(JSON.parse(newVault.decrypt(connector.sealedSecrets, location))).toHaveProperty(
        'clientSecret',
      );
    }
  });

  it('counts rows already under the active key once each', async () => {
    const report = await rotateEncryptionKeys(service.deps.store, newVault);
    expect(report).toEqual({
      rotated: 0,
      alreadyCurrent: CONNECTORS,
      raced: 0,
      byColumn: expect.objectContaining({ 'connectors.secrets': 0 }),
    });
  });
});
