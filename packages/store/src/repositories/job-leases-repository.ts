import type { JobLeaseRepository } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export function jobLeasesRepository(db: Kysely<Database>): JobLeaseRepository {
  return {
    async tryAcquire(name, holder, now, ttlMs) {
      // One statement: take the lease if it is free or expired; never steal a live one.
      const result = await db
        .insertInto('job_leases')
        .values({ name, holder, expires_at: now + ttlMs })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ holder, expires_at: now + ttlMs })
            .where('job_leases.expires_at', '<=', now),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async release(name, holder) {
      await db
        .deleteFrom('job_leases')
        .where('name', '=', name)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
