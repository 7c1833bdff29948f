import { EuiButton, EuiButtonEmpty, EuiFlexGroup, EuiFlexItem } from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { useConnectorOAuthConnect, useConnectorOAuthDisconnect } from '@latchkey/sdk';
import { errorText } from '../../components/error-message';
import { useToasts } from '../../components/toasts';

export type RedirectMode = 'new_tab' | 'redirect';

/** How a connect attempt ended, in the terms of a redirect's result parameters. */
export interface ConnectOutcome {
  connectorId: string;
  status: 'success' | 'error';
  error?: string;
}

/**
 * Connect when not connected, Reconnect when re-authorization is needed, Disconnect when
 * connected (and Grant new permissions when the connector asks for scopes it lacks), and Cancel instead of an endless spinner while the provider tab is open.
 */
export function ConnectorActions(props: {
  connector: ConnectorView;
  redirectMode: RedirectMode;
  /** Where a redirect-mode flow comes back to; default the connectors page. */
  redirectReturnUrl?: string;
  onChanged: () => void;
  onOutcome?: (outcome: ConnectOutcome) => void;
}) {
  const { connector } = props;
  const addToast = useToasts();
  const oauth = useConnectorOAuthConnect({
    connectorId: connector.id,
    redirectMode: props.redirectMode,
    // New-tab flows end on the server's result page; redirect flows come back here.
    ...(props.redirectMode === 'redirect'
      ? { returnUrl: props.redirectReturnUrl ?? `${window.location.origin}/` }
      : {}),
    onSuccess: () => {
      addToast({ title: `Connected to ${connector.name}`, color: 'success' });
      props.onOutcome?.({ connectorId: connector.id, status: 'success' });
      props.onChanged();
    },
    onError: (error) => {
      props.onOutcome?.({ connectorId: connector.id, status: 'error', error: error.code });
      addToast({
        title: `Could not connect to ${connector.name}`,
        text: errorText(error),
        color: 'danger',
      });
      props.onChanged();
    },
  });
  const disconnect = useConnectorOAuthDisconnect({
    connectorId: connector.id,
    onSuccess: () => {
      addToast({ title: `Disconnected from ${connector.name}`, color: 'success' });
      props.onChanged();
    },
    onError: (error) =>
      addToast({
        title: `Could not disconnect from ${connector.name}`,
        text: errorText(error),
        color: 'danger',
      }),
  });

  if (connector.userAuthStatus === 'not_applicable') return null;
  if (oauth.isAwaitingCallback || oauth.isConnecting) {
    return (
      <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
        <EuiFlexItem grow={false}>
          <EuiButton size="s" isLoading isDisabled>
            Waiting for the provider
          </EuiButton>
        </EuiFlexItem>
        <EuiFlexItem grow={false}>
          <EuiButtonEmpty
            size="s"
            onClick={oauth.cancelConnect}
            aria-label={`Cancel connecting to ${connector.name}`}
          >
            Cancel
          </EuiButtonEmpty>
        </EuiFlexItem>
      </EuiFlexGroup>
    );
  }
  // A connection whose refreshes fail still holds its tokens: it can be disconnected.
  if (connector.userAuthStatus === 'connected' || connector.userAuthStatus === 'refresh_failing') {
    const grant = (connector.connection?.scopesMissing.length ?? 0) > 0;
    return (
      <EuiFlexGroup gutterSize="s" responsive={false} alignItems="center">
        {grant ? (
          <EuiFlexItem grow={false}>
            <EuiButton
              size="s"
              fill
              onClick={oauth.connect}
              aria-label={`Grant new permissions to ${connector.name}`}
            >
              Grant new permissions
            </EuiButton>
          </EuiFlexItem>
        ) : null}
        <EuiFlexItem grow={false}>
          <EuiButton
            size="s"
            color="danger"
            isLoading={disconnect.isDisconnecting}
            onClick={disconnect.disconnect}
            aria-label={`Disconnect from ${connector.name}`}
          >
            Disconnect
          </EuiButton>
        </EuiFlexItem>
      </EuiFlexGroup>
    );
  }
  const reconnect = connector.userAuthStatus === 'reauth_required';
  return (
    <EuiButton
      size="s"
      fill
      color={reconnect ? 'warning' : 'primary'}
      onClick={oauth.connect}
      aria-label={`${reconnect ? 'Reconnect' : 'Connect'} to ${connector.name}`}
    >
      {reconnect ? 'Reconnect' : 'Connect'}
    </EuiButton>
  );
}
