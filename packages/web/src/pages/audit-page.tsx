import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiPageTemplate,
  EuiSpacer,
} from '@elastic/eui';
import { client } from '../api';
import { ListLoadCallout } from '../components/list-load-callout';
import { listTableProps, usePagedListLoad } from '../components/use-list-load';

type AuditEvent = Awaited<ReturnType<typeof client.listAudit>>['events'][number];

async function fetchAuditPage(cursor: string | undefined) {
  const page = await client.listAudit({ limit: 50, ...(cursor ? { cursor } : {}) });
  return { items: page.events, nextCursor: page.nextCursor };
}

export function AuditPage() {
  const events = usePagedListLoad<AuditEvent>(fetchAuditPage);

  const columns: EuiBasicTableColumn<AuditEvent>[] = [
    { field: 'createdAt', name: 'When', render: (at: string) => new Date(at).toLocaleString() },
    { field: 'action', name: 'What' },
    { field: 'outcome', name: 'Outcome' },
    { field: 'reason', name: 'Reason' },
    { field: 'actorUserId', name: 'User' },
    // Whom an event is about when they did not act: an API key used for them, tokens revoked.
    { field: 'subjectUserId', name: 'Subject' },
    { field: 'apiKeyId', name: 'API key' },
    { field: 'connectorId', name: 'Connector' },
  ];
  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="Audit log"
        description="Who connected, disconnected and used what. Never a token."
      />
      <EuiPageTemplate.Section>
        <ListLoadCallout list={events} noun="audit events" />
        <EuiBasicTable
          tableCaption="Audit events"
          columns={columns}
          {...listTableProps(events, 'audit events')}
        />
        <EuiSpacer />
        {events.nextCursor && (
          <EuiButton isLoading={events.loading} onClick={() => events.loadMore()}>
            Load more
          </EuiButton>
        )}
      </EuiPageTemplate.Section>
    </>
  );
}
