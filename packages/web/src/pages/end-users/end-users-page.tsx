import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiButtonEmpty,
  EuiFieldSearch,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiPageTemplate,
  EuiSpacer,
} from '@elastic/eui';
import type { EndUserView } from '@latchkey/sdk';
import { type FormEvent, useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';
import { ListLoadCallout } from '../../components/list-load-callout';
import { useToasts } from '../../components/toasts';
import { listTableProps, usePagedListLoad } from '../../components/use-list-load';
import { EndUserFlyout } from './end-user-flyout';

async function fetchEndUsersPage(cursor: string | undefined) {
  const page = await client.listEndUsers(cursor ? { cursor } : {});
  return { items: page.endUsers, nextCursor: page.nextCursor ?? null };
}

/** Admins: the people apps connect through connect links, by the app's id for them. */
export function EndUsersPage() {
  const addToast = useToasts();
  const endUsers = usePagedListLoad<EndUserView>(fetchEndUsersPage);
  const [search, setSearch] = useState('');
  const [shown, setShown] = useState<string>();

  function find(event: FormEvent) {
    event.preventDefault();
    const externalId = search.trim();
    if (externalId) setShown(externalId);
  }

  async function remove(externalId: string) {
    try {
      await client.deleteEndUser(externalId);
      addToast({ title: `Deleted ${externalId}`, color: 'success' });
      setShown(undefined);
    } catch (error) {
      addToast({
        title: `Could not delete ${externalId}`,
        text: errorText(error),
        color: 'danger',
      });
    }
    await endUsers.reload();
  }

  const columns: EuiBasicTableColumn<EndUserView>[] = [
    {
      field: 'externalId',
      name: 'External id',
      render: (externalId: string) => (
        <EuiButtonEmpty
          size="s"
          flush="left"
          onClick={() => setShown(externalId)}
          aria-label={`Show ${externalId}`}
        >
          {externalId}
        </EuiButtonEmpty>
      ),
    },
    { field: 'displayName', name: 'Name', render: (name: string | null) => name ?? '—' },
    { field: 'email', name: 'Email', render: (email: string | null) => email ?? '—' },
    {
      field: 'createdAt',
      name: 'Known since',
      render: (at: string) => new Date(at).toLocaleString(),
    },
  ];

  return (
    <>
      <EuiPageTemplate.Header
        pageTitle="End users"
        description="People who connect accounts through an app's connect links, by the app's id for them. They never log in here."
      />
      <EuiPageTemplate.Section>
        <EuiForm component="form" onSubmit={find}>
          <EuiFlexGroup>
            <EuiFlexItem>
              <EuiFieldSearch
                fullWidth
                placeholder="External id, exactly as the app sends it"
                aria-label="Find an end user by external id"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton type="submit">Find</EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
        </EuiForm>
        <EuiSpacer />
        <ListLoadCallout list={endUsers} noun="end users" />
        <EuiBasicTable
          tableCaption="End users"
          columns={columns}
          rowProps={(u) => ({ 'data-test-subj': `end-user-row-${u.externalId}` })}
          {...listTableProps(
            endUsers,
            'end users',
            'No end users yet. Apps create them with connect sessions.',
          )}
        />
        <EuiSpacer />
        {endUsers.nextCursor && (
          <EuiButton isLoading={endUsers.loading} onClick={() => endUsers.loadMore()}>
            Load more
          </EuiButton>
        )}
      </EuiPageTemplate.Section>
      {shown && (
        <EndUserFlyout
          key={shown}
          externalId={shown}
          onClose={() => setShown(undefined)}
          onDelete={remove}
        />
      )}
    </>
  );
}
