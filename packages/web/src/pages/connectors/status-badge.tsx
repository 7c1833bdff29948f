import { EuiBadge } from '@elastic/eui';
import type { UserAuthStatus } from '@latchkey/core';

const LABELS: Record<UserAuthStatus, { text: string; color: string }> = {
  connected: { text: 'Connected', color: 'success' },
  not_connected: { text: 'Not connected', color: 'hollow' },
  reauth_required: { text: 'Reconnect required', color: 'warning' },
  not_applicable: { text: 'Shared', color: 'default' },
};

export function StatusBadge({ status }: { status: UserAuthStatus }) {
  const label = LABELS[status];
  return (
    <EuiBadge color={label.color} data-test-subj="connector-status">
      {label.text}
    </EuiBadge>
  );
}
