import type { LeaseRepository } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export function leasesRepository(db: Kysely<Database>): LeaseRepository {
  return {
    async tryAcquire(name, holder, now, ttlMs) {
      // One statement: take the lease if it is free or expired; never steal a live one.
      const result = await db
        .insertInto('leases')
        .values({ name, holder, expires_at: now + ttlMs })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ holder, expires_at: now + ttlMs })
            .where('leases.expires_at', '<=', now),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async renew(name, holder, now, ttlMs) {
      const result = await db
        .updateTable('leases')
        .set({ expires_at: now + ttlMs })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async release(name, holder) {
      await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
    },
  };
}
