import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiButtonIcon,
  EuiCheckboxGroup,
  EuiCodeBlock,
  EuiConfirmModal,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiPageTemplate,
} from '@elastic/eui';
import type { ApiKeyView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { client } from '../api';
import { errorText } from '../components/error-message';
import { ListLoadCallout } from '../components/list-load-callout';
import { useToasts } from '../components/toasts';
import { listTableProps, useListLoad } from '../components/use-list-load';

const PERMISSIONS = [
  { id: 'proxy', label: 'proxy: call APIs through Latchkey' },
  { id: 'tokens:read', label: 'tokens:read: read access tokens' },
  { id: 'on_behalf', label: 'on_behalf: act for a user' },
  { id: 'end_users', label: "end_users: act for an app's end users, make connect links" },
];

export function ApiKeysPage() {
  const addToast = useToasts();
  const keys = useListLoad(client.listApiKeys);
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Record<string, boolean>>({ proxy: true });
  const [shownKey, setShownKey] = useState<string>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const created = await client.createApiKey({
        name,
        permissions: Object.keys(permissions).filter(
          (p) => permissions[p],
        ) as ApiKeyView['permissions'],
      });
      setShownKey(created.key);
      setName('');
    } catch (error) {
      addToast({ title: 'Could not create the key', text: errorText(error), color: 'danger' });
    }
    await keys.reload();
  }

  async function revoke(key: ApiKeyView) {
    try {
      await client.revokeApiKey(key.id);
      addToast({ title: `Revoked ${key.name}`, color: 'success' });
    } catch (error) {
      addToast({ title: 'Could not revoke the key', text: errorText(error), color: 'danger' });
    }
    await keys.reload();
  }

  const columns: EuiBasicTableColumn<ApiKeyView>[] = [
    { field: 'name', name: 'Name' },
    { field: 'permissions', name: 'Permissions', render: (p: string[]) => p.join(', ') },
    {
      field: 'lastUsedAt',
      name: 'Last used',
      render: (at: string | null) => (at ? new Date(at).toLocaleString() : 'Never'),
    },
    {
      field: 'revokedAt',
      name: 'State',
      render: (at: string | null) => (at ? 'Revoked' : 'Active'),
    },
    {
      name: 'Revoke',
      render: (key: ApiKeyView) =>
        key.revokedAt ? null : (
          <EuiButtonIcon
            iconType="trash"
            color="danger"
            aria-label={`Revoke ${key.name}`}
            onClick={() => revoke(key)}
          />
        ),
    },
  ];

  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="API keys"
        description="Applications use keys to call APIs through Latchkey."
      />
      <EuiPageTemplate.Section>
        <EuiForm component="form" onSubmit={create}>
          <EuiFlexGroup alignItems="flexEnd">
            <EuiFlexItem>
              <EuiFormRow label="Key name">
                <EuiFieldText value={name} onChange={(e) => setName(e.target.value)} />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem>
              <EuiFormRow label="Permissions">
                <EuiCheckboxGroup
                  options={PERMISSIONS}
                  idToSelectedMap={permissions}
                  onChange={(id) => setPermissions({ ...permissions, [id]: !permissions[id] })}
                />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton type="submit" fill>
                Create key
              </EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
        </EuiForm>
        <ListLoadCallout list={keys} noun="API keys" />
        <EuiBasicTable
          tableCaption="API keys"
          columns={columns}
          {...listTableProps(keys, 'API keys')}
        />
      </EuiPageTemplate.Section>
      {shownKey && (
        <EuiConfirmModal
          title="Copy your new key now"
          onConfirm={() => setShownKey(undefined)}
          onCancel={() => setShownKey(undefined)}
          confirmButtonText="I have copied it"
          cancelButtonText="Close"
        >
          <p>This is the only time the key is shown.</p>
          <EuiCodeBlock isCopyable paddingSize="s" data-test-subj="new-api-key">
            {shownKey}
          </EuiCodeBlock>
        </EuiConfirmModal>
      )}
    </>
  );
}
