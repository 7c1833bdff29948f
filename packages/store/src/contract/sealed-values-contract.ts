import type { SealedColumn } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import {
  connection,
  connector,
  oauthState,
  reauthRequiredConnection,
  revocation,
  seedOwners,
  user,
  webhookEndpoint,
} from './fixtures';
import type { ContractContext } from './store-contract';

const SECRETS: SealedColumn = { table: 'connectors', column: 'secrets' };

export function sealedValuesContract(context: () => ContractContext): void {
  describe('sealedValues', () => {
    it('names every column that holds vault ciphertext', () => {
      const { store } = context();
      expect(store.sealedValues.columns).toEqual([
        SECRETS,
        { table: 'connections', column: 'credentials' },
        { table: 'oauth_states', column: 'code_verifier' },
        { table: 'pending_revocations', column: 'token' },
        { table: 'pending_revocations', column: 'client' },
        { table: 'webhook_endpoints', column: 'secret' },
        { table: 'webhook_endpoints', column: 'previous_secret' },
      ]);
    });

    it('pages a column in row id order, skipping nulls', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.users.insert(user('user-2'));
      await store.users.insert(user('user-3'));
      await store.connections.save(connection('connector-1', 'user-3'));
      await store.connections.save(reauthRequiredConnection('connector-1', 'user-2'));
      await store.connections.save(connection('connector-1', 'user-1'));
      const column = { table: 'connections', column: 'credentials' };
      const all = await store.sealedValues.page(column, '', 10);
      expect(all).toEqual([
        { rowId: 'connection-connector-1-user-1', sealed: 'lk1.ka.credentials-connector-1-user-1' },
        { rowId: 'connection-connector-1-user-3', sealed: 'lk1.ka.credentials-connector-1-user-3' },
      ]);
      expect(await store.sealedValues.page(column, 'connection-connector-1-user-1', 10)).toEqual([
        all[1],
      ]);
      expect(await store.sealedValues.page(column, '', 1)).toEqual([all[0]]);
    });

    it('reads every sealed column, and refuses any other', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1'));
      await store.oauthStates.insert(oauthState('s1', 'connector-1', 'user-1'));
      await store.pendingRevocations.insert(revocation('r1'));
      await store.webhooks.insertEndpoint(
        webhookEndpoint('w1', { sealedPreviousSecret: 'lk1.ka.previous' }),
      );
      for (const column of store.sealedValues.columns) {
        expect(await store.sealedValues.page(column, '', 10)).toHaveLength(1);
      }
      await expect(
        store.sealedValues.page({ table: 'users', column: 'password_hash' }, '', 10),
      ).rejects.toThrow(/not a sealed column/);
    });

    it('replaces a value only while it is still the expected one', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.connectors.insert(connector('c1', { sealedSecrets: 'old' }));
      const attempts = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? store : other).sealedValues.replace(SECRETS, 'c1', 'old', `new-${i}`),
        ),
      );
      const won = attempts.flatMap((ok, i) => (ok ? [i] : []));
      expect(won).toHaveLength(1);
      const [row] = await store.sealedValues.page(SECRETS, '', 10);
      expect(row).toEqual({ rowId: 'c1', sealed: `new-${won[0]}` });
      expect(await store.sealedValues.replace(SECRETS, 'nope', 'old', 'x')).toBe(false);
    });
  });
}
