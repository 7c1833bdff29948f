import type { AuditRepository } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';

export function auditRepository(db: Kysely<Database>): AuditRepository {
  return {
    async append(event) {
      await db
        .insertInto('audit_events')
        .values({
          id: event.id,
          created_at: event.createdAt,
          action: event.action,
          outcome: event.outcome,
          reason: event.reason,
          actor_user_id: event.actorUserId,
          api_key_id: event.apiKeyId,
          subject_user_id: event.subjectUserId,
          connector_id: event.connectorId,
        })
        .execute();
    },
    async page(limit, before) {
      let query = db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      if (before) {
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', before.createdAt),
            eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
          ]),
        );
      }
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        createdAt: Number(row.created_at),
        action: row.action,
        outcome: row.outcome as 'success' | 'failure',
        reason: row.reason,
        actorUserId: row.actor_user_id,
        apiKeyId: row.api_key_id,
        subjectUserId: row.subject_user_id,
        connectorId: row.connector_id,
      }));
    },
  };
}
