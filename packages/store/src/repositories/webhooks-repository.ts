import {
  type ConnectionEventType,
  parseConnectionEventType,
  type StoredWebhookEndpoint,
  type WebhookDeliveryStatus,
  type WebhookDeliveryWithEvent,
  type WebhookRepository,
} from '@latchkey/core';
import type { Kysely, Selectable } from 'kysely';
import type {
  ConnectionEventsTable,
  Database,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from '../database';
import { connectionEventFromRow } from './connection-events-repository';

const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'succeeded', 'failed'];
/** The statuses of a delivery that ended: the job will not send it again by itself. */
const FINISHED_STATUSES: WebhookDeliveryStatus[] = ['succeeded', 'failed'];

export function webhooksRepository(db: Kysely<Database>): WebhookRepository {
  const endpointsWithEvents = async (rows: Selectable<WebhookEndpointsTable>[]) => {
    if (rows.length === 0) return [];
    const subscriptions = await db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where(
        'endpoint_id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) =>
      endpointFromRow(
        row,
        subscriptions.filter((s) => s.endpoint_id === row.id).map((s) => s.event_type),
      ),
    );
  };
  const deliveriesWithEvents = () =>
    db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('connection_events as ev', 'ev.id', 'd.event_id')
      .selectAll('d')
      .select([
        'ev.type',
        'ev.connector_id',
        'ev.user_id',
        'ev.end_user_id',
        'ev.reason',
        'ev.created_at as event_created_at',
      ]);
  return {
    async insertEndpoint(endpoint) {
      const write = async (trx: Kysely<Database>) => {
        await trx
          .insertInto('webhook_endpoints')
          .values({
            id: endpoint.id,
            url: endpoint.url,
            secret: endpoint.sealedSecret,
            previous_secret: endpoint.sealedPreviousSecret,
            previous_secret_expires_at: endpoint.previousSecretExpiresAt,
            failing_since: endpoint.failingSince,
            disabled_at: endpoint.disabledAt,
            disabled_reason: endpoint.disabledReason,
            created_at: endpoint.createdAt,
            updated_at: endpoint.updatedAt,
          })
          .execute();
        if (endpoint.events.length === 0) return;
        await trx
          .insertInto('webhook_subscriptions')
          .values(endpoint.events.map((type) => ({ endpoint_id: endpoint.id, event_type: type })))
          .execute();
      };
      await (db.isTransaction ? write(db) : db.transaction().execute(write));
    },
    async findEndpoint(id) {
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', id)
        .execute();
      return (await endpointsWithEvents(rows))[0];
    },
    async listEndpoints() {
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return endpointsWithEvents(rows);
    },
    async updateEndpoint(id, patch) {
      const result = await db
        .updateTable('webhook_endpoints')
        .set({
          ...(patch.sealedSecret !== undefined ? { secret: patch.sealedSecret } : {}),
          ...(patch.sealedPreviousSecret !== undefined
            ? { previous_secret: patch.sealedPreviousSecret }
            : {}),
          ...(patch.previousSecretExpiresAt !== undefined
            ? { previous_secret_expires_at: patch.previousSecretExpiresAt }
            : {}),
          ...(patch.failingSince !== undefined ? { failing_since: patch.failingSince } : {}),
          ...(patch.disabledAt !== undefined ? { disabled_at: patch.disabledAt } : {}),
          ...(patch.disabledReason !== undefined ? { disabled_reason: patch.disabledReason } : {}),
          updated_at: patch.updatedAt,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteEndpoint(id) {
      const result = await db
        .deleteFrom('webhook_endpoints')
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async dueDeliveries(now, limit) {
      const rows = await deliveriesWithEvents()
        .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .where('e.disabled_at', 'is', null)
        .orderBy('d.next_attempt_at')
        .orderBy('d.event_id')
        .limit(limit)
        .execute();
      return rows.map(deliveryFromRow);
    },
    async saveDelivery(delivery) {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({
          status: delivery.status,
          attempts: delivery.attempts,
          next_attempt_at: delivery.nextAttemptAt,
          last_attempt_at: delivery.lastAttemptAt,
          last_response_status: delivery.lastResponseStatus,
          last_latency_ms: delivery.lastLatencyMs,
          last_error: delivery.lastError,
        })
        .where('event_id', '=', delivery.eventId)
        .where('endpoint_id', '=', delivery.endpointId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async listDeliveries(endpointId, limit, before) {
      let query = deliveriesWithEvents().where('d.endpoint_id', '=', endpointId);
      if (before) {
        query = query.where((eb) =>
          eb.or([
            eb('d.created_at', '<', before.createdAt),
            eb.and([
              eb('d.created_at', '=', before.createdAt),
              eb('d.event_id', '<', before.eventId),
            ]),
          ]),
        );
      }
      const rows = await query
        .orderBy('d.created_at', 'desc')
        .orderBy('d.event_id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(deliveryFromRow);
    },
    async findDelivery(eventId, endpointId) {
      const row = await deliveriesWithEvents()
        .where('d.event_id', '=', eventId)
        .where('d.endpoint_id', '=', endpointId)
        .executeTakeFirst();
      return row ? deliveryFromRow(row) : undefined;
    },
    async deleteFinishedDeliveries(cutoff, limit) {
      // Through the (status, last_attempt_at) index: only rows to delete are read.
      const batch = db
        .selectFrom('webhook_deliveries')
        .select(['event_id', 'endpoint_id'])
        .where('status', 'in', FINISHED_STATUSES)
        .where('last_attempt_at', '<', cutoff)
        .limit(limit)
        .$asTuple('event_id', 'endpoint_id');
      const result = await db
        .deleteFrom('webhook_deliveries')
        .where((eb) => eb(eb.refTuple('event_id', 'endpoint_id'), 'in', batch))
        // Checked again on the row deleted: PostgreSQL checks the version a redelivery wrote
        // meanwhile, and so keeps the delivery it made pending. (`<>`, not `in`: SQLite then
        // finds the rows by their key, not by scanning the index for every finished one.)
        .where('status', '<>', 'pending')
        .where('last_attempt_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function endpointFromRow(
  row: Selectable<WebhookEndpointsTable>,
  eventNames: string[],
): StoredWebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: eventNames
      .map(parseConnectionEventType)
      .filter((type): type is ConnectionEventType => type !== undefined)
      .sort(),
    sealedSecret: row.secret,
    sealedPreviousSecret: row.previous_secret,
    previousSecretExpiresAt: nullableNumber(row.previous_secret_expires_at),
    failingSince: nullableNumber(row.failing_since),
    disabledAt: nullableNumber(row.disabled_at),
    disabledReason: row.disabled_reason,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

type DeliveryRow = Selectable<WebhookDeliveriesTable> &
  Pick<ConnectionEventsTable, 'type' | 'connector_id' | 'user_id' | 'end_user_id' | 'reason'> & {
    event_created_at: number;
  };

function deliveryFromRow(row: DeliveryRow): WebhookDeliveryWithEvent {
  const status = DELIVERY_STATUSES.find((s) => s === row.status);
  if (!status) throw new Error(`webhook_deliveries holds an unknown status: ${row.status}`);
  return {
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    status,
    attempts: Number(row.attempts),
    nextAttemptAt: nullableNumber(row.next_attempt_at),
    lastAttemptAt: nullableNumber(row.last_attempt_at),
    lastResponseStatus: nullableNumber(row.last_response_status),
    lastLatencyMs: nullableNumber(row.last_latency_ms),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    event: connectionEventFromRow({
      id: row.event_id,
      type: row.type,
      connector_id: row.connector_id,
      user_id: row.user_id,
      end_user_id: row.end_user_id,
      reason: row.reason,
      created_at: row.event_created_at,
    }),
  };
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
