import { describe, expect, it } from 'vitest';
import { oauthState, seedOwners, T0 } from './fixtures';
import type { ContractContext } from './store-contract';

export function oauthStatesContract(context: () => ContractContext): void {
  describe('oauthStates', () => {
    it('finds an inserted flow by the hash of its state, without consuming it', async () => {
      const { store } = context();
      await seedOwners(store);
      const state = oauthState('state-1', 'connector-1', 'user-1', { returnUrl: null });
      await store.oauthStates.insert(state);
      expect(await store.oauthStates.find('state-1')).toEqual(state);
      expect(await store.oauthStates.find('state-1')).toEqual(state);
      expect(await store.oauthStates.find('state-2')).toBeUndefined();
    });

    it('consume hands the flow to one caller only, across instances', async () => {
      const { store, peer } = context();
      const other = await peer();
      await seedOwners(store);
      const state = oauthState('state-1', 'connector-1', 'user-1');
      await store.oauthStates.insert(state);
      const consumed = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? store : other).oauthStates.consume('state-1')),
      );
      expect(consumed.filter((c) => c !== undefined)).toEqual([state]);
      expect(await store.oauthStates.find('state-1')).toBeUndefined();
    });

    it('rebindBrowser moves a live flow once, from the expected browser hash only', async () => {
      const { store, peer } = context();
      const other = await peer();
      await seedOwners(store);
      const state = oauthState('state-1', 'connector-1', 'user-1', { browserHash: 'begin' });
      await store.oauthStates.insert(state);
      expect(await store.oauthStates.rebindBrowser('state-1', 'wrong', 'browser', T0)).toBe(false);
      expect(await store.oauthStates.rebindBrowser('state-2', 'begin', 'browser', T0)).toBe(false);
      const moved = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? store : other).oauthStates.rebindBrowser('state-1', 'begin', `b-${i}`, T0),
        ),
      );
      expect(moved.filter(Boolean)).toHaveLength(1);
      const winner = moved.indexOf(true);
      expect(await store.oauthStates.find('state-1')).toEqual({
        ...state,
        browserHash: `b-${winner}`,
      });
    });

    it('rebindBrowser leaves a flow expired at `now` where it is', async () => {
      const { store } = context();
      await seedOwners(store);
      const state = oauthState('state-1', 'connector-1', 'user-1', {
        browserHash: 'begin',
        expiresAt: T0,
      });
      await store.oauthStates.insert(state);
      expect(await store.oauthStates.rebindBrowser('state-1', 'begin', 'browser', T0)).toBe(false);
      expect(await store.oauthStates.find('state-1')).toEqual(state);
    });

    it('deletes flows expired at `now` (inclusive) and counts them', async () => {
      const { store } = context();
      await seedOwners(store);
      for (const [hash, expiresAt] of [
        ['past', T0 - 1],
        ['now', T0],
        ['later', T0 + 1],
      ] as const) {
        await store.oauthStates.insert(oauthState(hash, 'connector-1', 'user-1', { expiresAt }));
      }
      expect(await store.oauthStates.deleteExpired(T0)).toBe(2);
      expect(await store.oauthStates.find('later')).toBeDefined();
    });
  });
}
