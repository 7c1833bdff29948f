import { describe, expect, it } from 'vitest';
import { T0 } from './fixtures';
import type { ContractContext } from './store-contract';

export function leasesContract(context: () => ContractContext): void {
  describe('leases', () => {
    it('grants a free lease, and refuses a live one to everybody, its holder too', async () => {
      const { store } = context();
      expect(await store.leases.tryAcquire('job', 'a', T0, 1000)).toBe(true);
      expect(await store.leases.tryAcquire('job', 'b', T0 + 999, 1000)).toBe(false);
      expect(await store.leases.tryAcquire('job', 'a', T0 + 999, 1000)).toBe(false);
      expect(await store.leases.tryAcquire('other-job', 'b', T0, 1000)).toBe(true);
    });

    it('grants an expired lease to the next caller', async () => {
      const { store } = context();
      expect(await store.leases.tryAcquire('job', 'a', T0, 1000)).toBe(true);
      expect(await store.leases.tryAcquire('job', 'b', T0 + 1000, 1000)).toBe(true);
      expect(await store.leases.tryAcquire('job', 'a', T0 + 1500, 1000)).toBe(false);
    });

    it('is renewed by its holder only, and only while nobody else has taken it', async () => {
      const { store } = context();
      await store.leases.tryAcquire('job', 'a', T0, 1000);
      expect(await store.leases.renew('job', 'b', T0 + 900, 1000)).toBe(false);
      expect(await store.leases.renew('job', 'a', T0 + 900, 1000)).toBe(true);
      // The first term is over; the renewed one is not.
      expect(await store.leases.tryAcquire('job', 'b', T0 + 1500, 1000)).toBe(false);
      expect(await store.leases.tryAcquire('job', 'b', T0 + 1900, 1000)).toBe(true);
      expect(await store.leases.renew('job', 'a', T0 + 2000, 1000)).toBe(false);
      expect(await store.leases.renew('never-taken', 'a', T0, 1000)).toBe(false);
    });

    it('is released by its holder only', async () => {
      const { store } = context();
      await store.leases.tryAcquire('job', 'a', T0, 1000);
      await store.leases.release('job', 'b');
      expect(await store.leases.tryAcquire('job', 'b', T0, 1000)).toBe(false);
      await store.leases.release('job', 'a');
      expect(await store.leases.tryAcquire('job', 'b', T0, 1000)).toBe(true);
    });

    it('of concurrent callers on two instances, exactly one gets a free lease', async () => {
      const { store, peer } = context();
      const other = await peer();
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? store : other).leases.tryAcquire('job', `holder-${i}`, T0, 1000),
      );
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(1);
    });

    it('of concurrent callers, exactly one takes over an expired lease', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.leases.tryAcquire('job', 'crashed', T0, 1000);
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? store : other).leases.tryAcquire('job', `holder-${i}`, T0 + 5000, 1000),
      );
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(1);
    });
  });
}
