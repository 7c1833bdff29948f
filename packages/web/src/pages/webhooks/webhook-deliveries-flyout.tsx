import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButtonIcon,
  EuiCallOut,
  EuiFlyout,
  EuiFlyoutBody,
  EuiFlyoutHeader,
  EuiHealth,
  EuiTitle,
} from '@elastic/eui';
import type { WebhookDeliveryView, WebhookView } from '@latchkey/core';
import { useCallback } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { ListLoadCallout } from '../../components/list-load-callout';
import { useToasts } from '../../components/toasts';
import { listTableProps, useListLoad } from '../../components/use-list-load';

const STATUS_COLORS = { succeeded: 'success', pending: 'warning', failed: 'danger' } as const;

const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

/** One endpoint's delivery log: each event's status, attempts, last answer and latency. */
export function WebhookDeliveriesFlyout(props: { webhook: WebhookView; onClose: () => void }) {
  const addToast = useToasts();
  const { id } = props.webhook;
  const load = useCallback(() => client.listWebhookDeliveries(id), [id]);
  const deliveries = useListLoad(load);

  async function redeliver(delivery: WebhookDeliveryView) {
    try {
      await client.redeliverWebhook(id, delivery.eventId);
      addToast({ title: 'Queued for delivery again', color: 'success' });
    } catch (error) {
      addToast({ title: 'Could not redeliver', text: errorText(error), color: 'danger' });
    }
    await deliveries.reload();
  }

  const columns: EuiBasicTableColumn<WebhookDeliveryView>[] = [
    { field: 'type', name: 'Event' },
    {
      field: 'status',
      name: 'Status',
      render: (status: WebhookDeliveryView['status']) => (
        <EuiHealth color={STATUS_COLORS[status]}>{status}</EuiHealth>
      ),
    },
    { field: 'attempts', name: 'Attempts' },
    {
      name: 'Last answer',
      render: (d: WebhookDeliveryView) =>
        d.lastResponseStatus !== null ? `HTTP ${d.lastResponseStatus}` : (d.lastError ?? '—'),
    },
    {
      field: 'lastLatencyMs',
      name: 'Latency',
      render: (ms: number | null) => (ms === null ? '—' : `${ms} ms`),
    },
    { field: 'lastAttemptAt', name: 'Last attempt', render: when },
    { field: 'nextAttemptAt', name: 'Next attempt', render: when },
    {
      name: 'Redeliver',
      render: (d: WebhookDeliveryView) => (
        <EuiButtonIcon
          iconType="refresh"
          aria-label={`Redeliver ${d.eventId}`}
          onClick={() => redeliver(d)}
        />
      ),
    },
  ];

  return (
    <EuiFlyout onClose={props.onClose} size="l" aria-labelledby="webhook-deliveries-title">
      <EuiFlyoutHeader hasBorder>
        <EuiTitle size="m">
          <h2 id="webhook-deliveries-title">Deliveries to {props.webhook.url}</h2>
        </EuiTitle>
      </EuiFlyoutHeader>
      <EuiFlyoutBody>
        {props.webhook.disabledReason && (
          <EuiCallOut title="This endpoint is disabled" color="danger" iconType="warning">
            {props.webhook.disabledReason}. Redeliver an event to enable it again.
          </EuiCallOut>
        )}
        <ListLoadCallout list={deliveries} noun="deliveries" />
        <EuiBasicTable
          tableCaption="Deliveries"
          columns={columns}
          {...listTableProps(deliveries, 'deliveries')}
        />
      </EuiFlyoutBody>
    </EuiFlyout>
  );
}
