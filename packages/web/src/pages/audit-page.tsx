import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiPageTemplate,
  EuiSpacer,
} from '@elastic/eui';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../api';

type AuditEvent = Awaited<ReturnType<typeof client.listAudit>>['events'][number];

export function AuditPage() {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);

  const load = useCallback(async (after?: string) => {
    const page = await client.listAudit({ limit: 50, ...(after ? { cursor: after } : {}) });
    setEvents((current) => (after ? [...current, ...page.events] : page.events));
    setCursor(page.nextCursor);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

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
        <EuiBasicTable tableCaption="Audit events" items={events} columns={columns} />
        <EuiSpacer />
        {cursor && <EuiButton onClick={() => load(cursor)}>Load more</EuiButton>}
      </EuiPageTemplate.Section>
    </>
  );
}
