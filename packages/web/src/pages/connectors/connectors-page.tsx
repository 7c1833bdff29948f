import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiButtonIcon,
  EuiConfirmModal,
  EuiFlexGroup,
  EuiPageTemplate,
} from '@elastic/eui';
import type { ConnectorView, UserView } from '@latchkey/core';
import { useOAuthRedirectResult } from '@latchkey/sdk';
import { useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { ListLoadCallout } from '../../components/list-load-callout';
import { useToasts } from '../../components/toasts';
import { listTableProps, useListLoad } from '../../components/use-list-load';
import { ConnectionStatus } from './connection-status';
import { ConnectorActions } from './connector-actions';
import { ConnectorFlyout } from './connector-flyout';
import { RedirectModeSwitch, useRedirectMode } from './redirect-mode-switch';

export function ConnectorsPage({ user }: { user: UserView }) {
  const addToast = useToasts();
  const canEdit = user.role === 'admin' || user.role === 'editor';
  const connectors = useListLoad(client.listConnectors);
  const refresh = connectors.reload;
  const [editing, setEditing] = useState<ConnectorView | 'new'>();
  const [deleting, setDeleting] = useState<ConnectorView>();
  const [mode, changeMode] = useRedirectMode();

  // The connectors page is also the return page of redirect-mode flows.
  useOAuthRedirectResult({
    onSuccess: () => {
      addToast({ title: 'Your account is connected', color: 'success' });
      void refresh();
    },
    onError: (error) => {
      addToast({
        title: 'Could not connect your account',
        text: errorText(error),
        color: 'danger',
      });
      void refresh();
    },
  });

  async function confirmDelete(connector: ConnectorView) {
    setDeleting(undefined);
    try {
      await client.deleteConnector(connector.id);
      addToast({ title: `Deleted ${connector.name}`, color: 'success' });
    } catch (error) {
      addToast({
        title: `Could not delete ${connector.name}`,
        text: errorText(error),
        color: 'danger',
      });
    }
    await refresh();
  }

  const columns: EuiBasicTableColumn<ConnectorView>[] = [
    { field: 'name', name: 'Name' },
    { field: 'provider', name: 'Provider' },
    {
      field: 'authMode',
      name: 'Auth mode',
      render: (m: string) => (m === 'per-user' ? 'Per user' : 'Shared'),
    },
    {
      field: 'userAuthStatus',
      name: 'Your status',
      render: (_s: string, c: ConnectorView) => <ConnectionStatus connector={c} />,
    },
    {
      name: 'Your account',
      render: (c: ConnectorView) => (
        <ConnectorActions connector={c} redirectMode={mode} onChanged={refresh} />
      ),
    },
  ];
  if (canEdit) {
    columns.push({
      name: 'Manage',
      render: (c: ConnectorView) => (
        <EuiFlexGroup gutterSize="xs" responsive={false}>
          {/* The form edits per-user connectors; shared ones are managed through the API. */}
          {c.authMode === 'per-user' && (
            <EuiButtonIcon
              iconType="pencil"
              aria-label={`Edit ${c.name}`}
              onClick={() => setEditing(c)}
            />
          )}
          <EuiButtonIcon
            iconType="trash"
            color="danger"
            aria-label={`Delete ${c.name}`}
            onClick={() => setDeleting(c)}
          />
        </EuiFlexGroup>
      ),
    });
  }

  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="Connectors"
        description="Connect your own account to each connector. Latchkey keeps your tokens encrypted."
        rightSideItems={
          canEdit
            ? [
                <EuiButton key="create" fill iconType="plus" onClick={() => setEditing('new')}>
                  Create connector
                </EuiButton>,
              ]
            : []
        }
      />
      <EuiPageTemplate.Section>
        <RedirectModeSwitch mode={mode} onChange={changeMode} />
        <ListLoadCallout list={connectors} noun="connectors" />
        <EuiBasicTable
          tableCaption="Connectors"
          columns={columns}
          rowProps={(c) => ({ 'data-test-subj': `connector-row-${c.name}` })}
          {...listTableProps(
            connectors,
            'connectors',
            canEdit
              ? 'No connectors yet. Create one.'
              : 'No connectors yet. Ask an editor to create one.',
          )}
        />
      </EuiPageTemplate.Section>
      {editing && (
        <ConnectorFlyout
          connector={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            addToast({ title: `Saved ${saved.name}`, color: 'success' });
            void refresh();
          }}
        />
      )}
      {deleting && (
        <EuiConfirmModal
          title={`Delete ${deleting.name}?`}
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => confirmDelete(deleting)}
          cancelButtonText="Keep it"
          confirmButtonText="Delete connector"
          buttonColor="danger"
        >
          Every user's connection to it is deleted too.
        </EuiConfirmModal>
      )}
    </>
  );
}
