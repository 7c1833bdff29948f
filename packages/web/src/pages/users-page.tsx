import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiButtonIcon,
  EuiFieldPassword,
  EuiFieldText,
  EuiFlexGroup,
  EuiFlexItem,
  EuiForm,
  EuiFormRow,
  EuiPageTemplate,
  EuiSelect,
} from '@elastic/eui';
import type { Role, UserView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { client } from '../api';
import { errorText } from '../components/error-message';
import { ListLoadCallout } from '../components/list-load-callout';
import { useToasts } from '../components/toasts';
import { listTableProps, useListLoad } from '../components/use-list-load';

const ROLE_OPTIONS = [
  { value: 'viewer', text: 'Viewer: connects own accounts' },
  { value: 'editor', text: 'Editor: also manages connectors' },
  { value: 'admin', text: 'Admin: also manages users and keys' },
];

export function UsersPage() {
  const addToast = useToasts();
  const users = useListLoad(client.listUsers);
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role });

  async function run(action: () => Promise<unknown>, success: string) {
    try {
      await action();
      addToast({ title: success, color: 'success' });
    } catch (error) {
      addToast({ title: 'That did not work', text: errorText(error), color: 'danger' });
    }
    await users.reload();
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await client.createUser(form);
      setForm({ username: '', password: '', role: 'viewer' });
    }, `Created ${form.username}`);
  }

  const columns: EuiBasicTableColumn<UserView>[] = [
    { field: 'username', name: 'Username' },
    {
      name: 'Role',
      render: (user: UserView) => (
        <EuiSelect
          aria-label={`Role of ${user.username}`}
          options={ROLE_OPTIONS}
          value={user.role}
          onChange={(e) =>
            run(
              () => client.updateUser(user.id, { role: e.target.value as Role }),
              `${user.username} is now ${e.target.value}`,
            )
          }
        />
      ),
    },
    { field: 'createdAt', name: 'Created', render: (at: string) => new Date(at).toLocaleString() },
    {
      name: 'Remove',
      render: (user: UserView) => (
        <EuiButtonIcon
          iconType="trash"
          color="danger"
          aria-label={`Remove ${user.username}`}
          onClick={() => run(() => client.deleteUser(user.id), `Removed ${user.username}`)}
        />
      ),
    },
  ];

  return (
    <>
      <EuiPageTemplate.Header pageTitle="Users" />
      <EuiPageTemplate.Section>
        <EuiForm component="form" onSubmit={create}>
          <EuiFlexGroup alignItems="flexEnd">
            <EuiFlexItem>
              <EuiFormRow label="Username">
                <EuiFieldText
                  value={form.username}
                  onChange={(e) => setForm({ ...form, username: e.target.value })}
                />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem>
              <EuiFormRow label="Password" helpText="At least 12 characters">
                <EuiFieldPassword
                  type="dual"
                  autoComplete="new-password"
                  value={form.password}
                  onChange={(e) => setForm({ ...form, password: e.target.value })}
                />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem>
              <EuiFormRow label="Role">
                <EuiSelect
                  options={ROLE_OPTIONS}
                  value={form.role}
                  onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
                />
              </EuiFormRow>
            </EuiFlexItem>
            <EuiFlexItem grow={false}>
              <EuiButton type="submit" fill>
                Create user
              </EuiButton>
            </EuiFlexItem>
          </EuiFlexGroup>
        </EuiForm>
        <ListLoadCallout list={users} noun="users" />
        <EuiBasicTable tableCaption="Users" columns={columns} {...listTableProps(users, 'users')} />
      </EuiPageTemplate.Section>
    </>
  );
}
