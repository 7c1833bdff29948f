import { type ConnectionEventRepository, parseConnectionEventType } from '@latchkey/core';
import { type Kysely, sql } from 'kysely';
import type { ConnectionEventsTable, Database } from '../database';

export function connectionEventsRepository(db: Kysely<Database>): ConnectionEventRepository {
  return {
    async record(event) {
      const write = async (trx: Kysely<Database>) => {
        await trx
          .insertInto('connection_events')
          .values({
            id: event.id,
            type: event.type,
            connector_id: event.connectorId,
            user_id: event.userId,
            end_user_id: trx
              .selectFrom('users')
              .where('id', '=', event.userId)
              .where('kind', '=', 'end_user')
              .select('external_id'),
            reason: event.reason,
            created_at: event.createdAt,
          })
          .execute();
        const fanOut = await trx
          .insertInto('webhook_deliveries')
          .columns([
            'event_id',
            'endpoint_id',
            'status',
            'attempts',
            'next_attempt_at',
            'created_at',
          ])
          .expression(
            trx
              .selectFrom('webhook_subscriptions as s')
              .innerJoin('webhook_endpoints as e', 'e.id', 's.endpoint_id')
              .where('s.event_type', '=', event.type)
              .where('e.disabled_at', 'is', null)
              .select([
                // Typed casts: PostgreSQL would read bare parameters in a select list as text.
                sql<string>`cast(${event.id} as text)`.as('event_id'),
                's.endpoint_id',
                sql<string>`cast(${'pending'} as text)`.as('status'),
                sql<number>`cast(${0} as integer)`.as('attempts'),
                sql<number>`cast(${event.createdAt} as bigint)`.as('next_attempt_at'),
                sql<number>`cast(${event.createdAt} as bigint)`.as('created_at'),
              ]),
          )
          .executeTakeFirst();
        return Number(fanOut.numInsertedOrUpdatedRows ?? 0n);
      };
      return db.isTransaction ? write(db) : db.transaction().execute(write);
    },
    async deleteWithoutDeliveries(cutoff, limit) {
      // Through the created_at index, each probe through the deliveries' primary key.
      const batch = db
        .selectFrom('connection_events as ev')
        .select('ev.id')
        .where('ev.created_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as d')
                .select('d.event_id')
                .whereRef('d.event_id', '=', 'ev.id'),
            ),
          ),
        )
        .orderBy('ev.created_at')
        .limit(limit);
      const result = await db
        .deleteFrom('connection_events')
        .where('id', 'in', batch)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** A stored event row as the domain sees it; an unknown type is a broken database. */
export function connectionEventFromRow(row: ConnectionEventsTable) {
  const type = parseConnectionEventType(row.type);
  if (!type) throw new Error(`connection_events holds an unknown type: ${row.type}`);
  return {
    id: row.id,
    type,
    connectorId: row.connector_id,
    userId: row.user_id,
    endUserId: row.end_user_id,
    reason: row.reason,
    createdAt: Number(row.created_at),
  };
}
