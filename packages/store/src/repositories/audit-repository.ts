import type { AuditDetails, AuditEvent, AuditRepository } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from '../database';
import { AUDIT_BATCH_ROWS, type DirectStatements } from '../direct-statements';
import { batchedAuditAppend } from './audit-batcher';

function toRow(event: AuditEvent) {
  return {
    id: event.id,
    created_at: event.createdAt,
    action: event.action,
    outcome: event.outcome,
    reason: event.reason,
    actor_user_id: event.actorUserId,
    api_key_id: event.apiKeyId,
    subject_user_id: event.subjectUserId,
    connector_id: event.connectorId,
    details: event.details ? JSON.stringify(event.details) : null,
  };
}

/**
 * Outside a transaction (`batching` given), appends are group-committed (see
 * audit-batcher.ts), with the dialect's direct statement when it has one; inside a
 * transaction they are written at once, so they commit or roll back with it.
 */
export function auditRepository(
  db: Kysely<Database>,
  batching: { direct: DirectStatements | undefined } | undefined,
): AuditRepository {
  const insertNow = async (event: AuditEvent) => {
    await db.insertInto('audit_events').values(toRow(event)).execute();
  };
  const writeThroughKysely = (events: AuditEvent[]) =>
    db.transaction().execute(async (trx) => {
      for (let start = 0; start < events.length; start += AUDIT_BATCH_ROWS) {
        const chunk = events.slice(start, start + AUDIT_BATCH_ROWS).map(toRow);
        await trx.insertInto('audit_events').values(chunk).execute();
      }
    });
  const writeBatch = async (events: AuditEvent[]) => {
    if (await batching?.direct?.appendAudit(events.map(toRow))) return;
    await writeThroughKysely(events);
  };
  return {
    append: batching ? batchedAuditAppend(writeBatch) : insertNow,
    async deleteOlderThan(cutoff, limit) {
      // Through the (created_at, id) index: the oldest rows first, never a full scan.
      const oldest = db
        .selectFrom('audit_events')
        .select('id')
        .where('created_at', '<', cutoff)
        .orderBy('created_at')
        .limit(limit);
      const result = await db
        .deleteFrom('audit_events')
        .where('id', 'in', oldest)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
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
        details: row.details ? (JSON.parse(row.details) as AuditDetails) : null,
      }));
    },
  };
}
