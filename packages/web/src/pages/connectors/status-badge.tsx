import { EuiBadge, EuiToolTip } from '@elastic/eui';
import type { ConnectionView, UserAuthStatus } from '@latchkey/core';

const LABELS: Record<UserAuthStatus, { text: string; color: string }> = {
  connected: { text: 'Connected', color: 'success' },
  refresh_failing: { text: 'Refresh failing', color: 'danger' },
  not_connected: { text: 'Not connected', color: 'hollow' },
  reauth_required: { text: 'Reconnect required', color: 'warning' },
  not_applicable: { text: 'Shared', color: 'default' },
};

export function StatusBadge({
  status,
  connection,
}: {
  status: UserAuthStatus;
  connection: ConnectionView | null;
}) {
  const label = LABELS[status];
  const badge = (
    <EuiBadge color={label.color} data-test-subj="connector-status">
      {label.text}
      {retryNote(connection)}
    </EuiBadge>
  );
  if (!connection?.lastError) return badge;
  return <EuiToolTip content={`Last error: ${connection.lastError}`}>{badge}</EuiToolTip>;
}

/** While the provider fails, when Latchkey tries again: until then calls get the same error. */
function retryNote(connection: ConnectionView | null): string {
  if (connection?.status !== 'refresh_failing' || !connection.nextAttemptAt) return '';
  return ` — retrying at ${new Date(connection.nextAttemptAt).toLocaleTimeString()}`;
}
