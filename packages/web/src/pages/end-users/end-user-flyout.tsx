import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiCallOut,
  EuiConfirmModal,
  EuiDescriptionList,
  EuiFlyout,
  EuiFlyoutBody,
  EuiFlyoutFooter,
  EuiFlyoutHeader,
  EuiLoadingSpinner,
  EuiSpacer,
  EuiTitle,
} from '@elastic/eui';
import type { EndUserConnectionView, EndUserDetail } from '@latchkey/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { StatusBadge } from '../connectors/status-badge';

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; endUser: EndUserDetail }
  | { state: 'failed'; message: string };

const CONNECTION_COLUMNS: EuiBasicTableColumn<EndUserConnectionView>[] = [
  { field: 'connectorName', name: 'Connector' },
  {
    name: 'Status',
    render: (c: EndUserConnectionView) => (
      <StatusBadge status={c.status} connection={c.connection} />
    ),
  },
];

/** One end user: who, their connections with status, and Delete (after a confirmation). */
export function EndUserFlyout(props: {
  externalId: string;
  onClose: () => void;
  onDelete: (externalId: string) => Promise<void>;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    let current = true;
    client.getEndUser(props.externalId).then(
      (endUser) => current && setLoaded({ state: 'ready', endUser }),
      (error: unknown) => current && setLoaded({ state: 'failed', message: errorText(error) }),
    );
    return () => {
      current = false;
    };
  }, [props.externalId]);

  return (
    <EuiFlyout onClose={props.onClose} size="m" aria-labelledby="end-user-title" ownFocus>
      <EuiFlyoutHeader hasBorder>
        <EuiTitle size="m">
          <h2 id="end-user-title">{props.externalId}</h2>
        </EuiTitle>
      </EuiFlyoutHeader>
      <EuiFlyoutBody>
        {loaded.state === 'loading' && <EuiLoadingSpinner size="l" />}
        {loaded.state === 'failed' && (
          <EuiCallOut title="Could not load this end user" color="danger" iconType="error">
            <p>{loaded.message}</p>
          </EuiCallOut>
        )}
        {loaded.state === 'ready' && <EndUserDetails endUser={loaded.endUser} />}
      </EuiFlyoutBody>
      <EuiFlyoutFooter>
        <EuiButton
          color="danger"
          iconType="trash"
          isDisabled={loaded.state !== 'ready'}
          onClick={() => setConfirming(true)}
        >
          Delete end user
        </EuiButton>
      </EuiFlyoutFooter>
      {confirming && (
        <EuiConfirmModal
          title={`Delete ${props.externalId}?`}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void props.onDelete(props.externalId);
          }}
          cancelButtonText="Keep them"
          confirmButtonText="Delete end user"
          buttonColor="danger"
        >
          Their connect links stop working, their connections are deleted and their tokens are
          revoked at the providers.
        </EuiConfirmModal>
      )}
    </EuiFlyout>
  );
}

function EndUserDetails({ endUser }: { endUser: EndUserDetail }) {
  return (
    <>
      <EuiDescriptionList
        type="column"
        listItems={[
          { title: 'Name', description: endUser.displayName ?? '—' },
          { title: 'Email', description: endUser.email ?? '—' },
          { title: 'Known since', description: new Date(endUser.createdAt).toLocaleString() },
        ]}
      />
      <EuiSpacer />
      <EuiBasicTable
        tableCaption={`Connections of ${endUser.externalId}`}
        columns={CONNECTION_COLUMNS}
        items={endUser.connections}
        rowProps={(c) => ({ 'data-test-subj': `end-user-connection-${c.connectorName}` })}
        noItemsMessage="No connections."
      />
    </>
  );
}
