import { EuiFlexGroup, EuiFlexItem, EuiText, EuiToolTip } from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { StatusBadge } from './status-badge';

/**
 * The caller's status, with the account it uses ("Connected as octocat") so a person with
 * two accounts knows which, and the permissions a widened connector still lacks.
 */
export function ConnectionStatus({ connector }: { connector: ConnectorView }) {
  const { connection } = connector;
  const missing = connection?.scopesMissing ?? [];
  return (
    <EuiFlexGroup direction="column" gutterSize="xs" responsive={false}>
      <EuiFlexItem grow={false}>
        <StatusBadge status={connector.userAuthStatus} connection={connection} />
      </EuiFlexItem>
      {connection?.account ? (
        <EuiFlexItem grow={false}>
          <EuiText size="xs" color="subdued" data-test-subj="connection-account">
            Connected as {connection.account}
          </EuiText>
        </EuiFlexItem>
      ) : null}
      {missing.length > 0 ? (
        <EuiFlexItem grow={false}>
          <EuiToolTip content={missing.join(', ')}>
            <EuiText size="xs" color="warning" data-test-subj="connection-scopes-missing">
              {missing.length === 1 ? '1 new permission' : `${missing.length} new permissions`} to
              grant
            </EuiText>
          </EuiToolTip>
        </EuiFlexItem>
      ) : null}
    </EuiFlexGroup>
  );
}
