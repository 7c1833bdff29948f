import type { PendingRevocationRepository, TokenTypeHint } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export function pendingRevocationsRepository(db: Kysely<Database>): PendingRevocationRepository {
  return {
    async insert(revocation) {
      await db
        .insertInto('pending_revocations')
        .values({
          id: revocation.id,
          connector_id: revocation.connectorId,
          user_id: revocation.userId,
          token: revocation.sealedToken,
          client: revocation.sealedClient,
          token_type_hint: revocation.tokenTypeHint,
          attempts: revocation.attempts,
          next_attempt_at: revocation.nextAttemptAt,
          created_at: revocation.createdAt,
        })
        .execute();
    },
    async due(now, limit) {
      const rows = await db
        .selectFrom('pending_revocations')
        .selectAll()
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        connectorId: row.connector_id,
        userId: row.user_id,
        sealedToken: row.token,
        sealedClient: row.client,
        tokenTypeHint: row.token_type_hint as TokenTypeHint,
        attempts: Number(row.attempts),
        nextAttemptAt: Number(row.next_attempt_at),
        createdAt: Number(row.created_at),
      }));
    },
    async reschedule(id, attempts, nextAttemptAt) {
      await db
        .updateTable('pending_revocations')
        .set({ attempts, next_attempt_at: nextAttemptAt })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await db.deleteFrom('pending_revocations').where('id', '=', id).execute();
    },
  };
}
