import { EuiFlyout, EuiFlyoutHeader, EuiTitle } from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { CustomConnectorForm } from './custom-connector-form';

/** Create or edit a per-user connector; the client secret is write-only. */
export function ConnectorFlyout(props: {
  connector: ConnectorView | undefined;
  onClose: () => void;
  onSaved: (connector: ConnectorView) => void;
}) {
  const existing = props.connector;
  return (
    <EuiFlyout onClose={props.onClose} size="m" aria-labelledby="connector-flyout-title">
      <EuiFlyoutHeader hasBorder>
        <EuiTitle size="m">
          <h2 id="connector-flyout-title">
            {existing ? `Edit ${existing.name}` : 'Create connector'}
          </h2>
        </EuiTitle>
      </EuiFlyoutHeader>
      <CustomConnectorForm
        connector={existing}
        onCancel={props.onClose}
        onBack={undefined}
        onSaved={props.onSaved}
      />
    </EuiFlyout>
  );
}
