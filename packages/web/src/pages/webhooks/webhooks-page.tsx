import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiButtonEmpty,
  EuiButtonIcon,
  EuiCheckboxGroup,
  EuiCodeBlock,
  EuiConfirmModal,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiHealth,
  EuiPageTemplate,
} from '@elastic/eui';
import type { ConnectionEventType, WebhookView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { ListLoadCallout } from '../../components/list-load-callout';
import { useToasts } from '../../components/toasts';
import { listTableProps, useListLoad } from '../../components/use-list-load';
import { WebhookDeliveriesFlyout } from './webhook-deliveries-flyout';

// Restated, not imported: browser code takes only types from core.
const EVENT_TYPES: ConnectionEventType[] = [
  'connection.created',
  'connection.reconnected',
  'connection.refresh_failed',
  'connection.reauth_required',
  'connection.recovered',
  'connection.disconnected',
  'connection.deleted',
  'connection.scopes_changed',
];

function WebhookState(props: { webhook: WebhookView }) {
  const { webhook } = props;
  if (webhook.disabledAt)
    return <EuiHealth color="danger">Disabled: {webhook.disabledReason}</EuiHealth>;
  if (webhook.failingSince) {
    return (
      <EuiHealth color="warning">
        Failing since {new Date(webhook.failingSince).toLocaleString()}
      </EuiHealth>
    );
  }
  return <EuiHealth color="success">Active</EuiHealth>;
}

/** Admins register webhook endpoints and read each one's delivery log. */
export function WebhooksPage() {
  const addToast = useToasts();
  const webhooks = useListLoad(client.listWebhooks);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<Record<string, boolean>>({});
  const [shownSecret, setShownSecret] = useState<string>();
  const [inspected, setInspected] = useState<WebhookView>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const created = await client.createWebhook({
        url,
        events: EVENT_TYPES.filter((type) => events[type]),
      });
      setShownSecret(created.secret);
      setUrl('');
    } catch (error) {
      addToast({ title: 'Could not add the endpoint', text: errorText(error), color: 'danger' });
    }
    await webhooks.reload();
  }

  async function remove(webhook: WebhookView) {
    try {
      await client.deleteWebhook(webhook.id);
      addToast({ title: `Deleted ${webhook.url}`, color: 'success' });
    } catch (error) {
      addToast({ title: 'Could not delete the endpoint', text: errorText(error), color: 'danger' });
    }
    await webhooks.reload();
  }

  const columns: EuiBasicTableColumn<WebhookView>[] = [
    { field: 'url', name: 'URL' },
    { field: 'events', name: 'Events', render: (list: string[]) => list.join(', ') },
    { name: 'State', render: (webhook: WebhookView) => <WebhookState webhook={webhook} /> },
    {
      name: 'Deliveries',
      render: (webhook: WebhookView) => (
        <EuiButtonEmpty size="s" onClick={() => setInspected(webhook)}>
          Delivery log
        </EuiButtonEmpty>
      ),
    },
    {
      name: 'Delete',
      render: (webhook: WebhookView) => (
        <EuiButtonIcon
          iconType="trash"
          color="danger"
          aria-label={`Delete ${webhook.url}`}
          onClick={() => remove(webhook)}
        />
      ),
    },
  ];

  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="Webhooks"
        description="Endpoints that receive signed connection events (Standard Webhooks)."
      />
      <EuiPageTemplate.Section>
        <EuiForm component="form" onSubmit={create}>
          <EuiFlexGroup alignItems="flexEnd">
            <EuiFlexItem>
              <EuiFormRow label="Endpoint URL">
                <EuiFieldText value={url} onChange={(e) => setUrl(e.target.value)} />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem>
              <EuiFormRow label="Events">
                <EuiCheckboxGroup
                  options={EVENT_TYPES.map((type) => ({ id: type, label: type }))}
                  idToSelectedMap={events}
                  onChange={(id) => setEvents({ ...events, [id]: !events[id] })}
                />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton type="submit" fill>
                Add endpoint
              </EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
        </EuiForm>
        <ListLoadCallout list={webhooks} noun="webhooks" />
        <EuiBasicTable
          tableCaption="Webhook endpoints"
          columns={columns}
          {...listTableProps(webhooks, 'webhooks')}
        />
      </EuiPageTemplate.Section>
      {inspected && (
        <WebhookDeliveriesFlyout webhook={inspected} onClose={() => setInspected(undefined)} />
      )}
      {shownSecret && (
        <EuiConfirmModal
          title="Copy the signing secret now"
          onConfirm={() => setShownSecret(undefined)}
          onCancel={() => setShownSecret(undefined)}
          confirmButtonText="I have copied it"
          cancelButtonText="Close"
        >
          <p>This is the only time the secret is shown. Receivers verify signatures with it.</p>
          <EuiCodeBlock isCopyable paddingSize="s" data-test-subj="new-webhook-secret">
            {shownSecret}
          </EuiCodeBlock>
        </EuiConfirmModal>
      )}
    </>
  );
}
