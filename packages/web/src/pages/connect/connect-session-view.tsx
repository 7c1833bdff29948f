import {
  EuiBasicTable,
  type EuiBasicTableColumn,
  EuiButton,
  EuiPageTemplate,
  EuiText,
} from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { type ConnectSessionView as Session, useOAuthRedirectResult } from '@latchkey/sdk';
import { useState } from 'react';
import { errorText } from '../../components/error-message';
import { useToasts } from '../../components/toasts';
import { ConnectionStatus } from '../connectors/connection-status';
import { type ConnectOutcome, ConnectorActions } from '../connectors/connector-actions';
import { RedirectModeSwitch, useRedirectMode } from '../connectors/redirect-mode-switch';
import { TOKEN_STORAGE_KEY } from './connect-session-token';
import { doneUrl } from './done-url';
import { isSessionInvalid } from './use-connect-session';

/** The session's connectors with Connect / Reconnect / Disconnect, and Done back to the app. */
export function ConnectSessionView(props: {
  session: Session;
  onChanged: () => void;
  onExpired: () => void;
}) {
  const { session } = props;
  const addToast = useToasts();
  const [mode, changeMode] = useRedirectMode();
  const [outcome, setOutcome] = useState<ConnectOutcome>();

  // This page is also the return page of its redirect-mode flows.
  useOAuthRedirectResult({
    onSuccess: ({ connectorId, connector }) => {
      setOutcome({ connectorId, status: 'success' });
      addToast({ title: `Connected to ${connector.name}`, color: 'success' });
      props.onChanged();
    },
    onError: (error, result) => {
      if (isSessionInvalid(error)) props.onExpired();
      setOutcome({ connectorId: result.connectorId ?? '', status: 'error', error: error.code });
      addToast({ title: 'Could not connect', text: errorText(error), color: 'danger' });
      props.onChanged();
    },
  });

  function done(returnUrl: string) {
    // The person is finished here: the token need not outlive this page.
    window.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    window.location.assign(doneUrl(returnUrl, outcome));
  }

  const columns: EuiBasicTableColumn<ConnectorView>[] = [
    { field: 'name', name: 'Name' },
    { field: 'provider', name: 'Provider' },
    {
      field: 'userAuthStatus',
      name: 'Status',
      render: (_s: string, c: ConnectorView) => <ConnectionStatus connector={c} />,
    },
    {
      name: 'Your account',
      render: (c: ConnectorView) => (
        <ConnectorActions
          connector={c}
          redirectMode={mode}
          redirectReturnUrl={`${window.location.origin}/connect`}
          onChanged={props.onChanged}
          onOutcome={setOutcome}
        />
      ),
    },
  ];
  const who = session.endUser.displayName ?? session.endUser.externalId;
  const returnUrl = session.returnUrl;
  return (
    <EuiPageTemplate restrictWidth={960}>
      <EuiPageTemplate.Header
        iconType="lock"
        pageTitle="Connect your accounts"
        description={`For ${who}. Your tokens are kept encrypted; this link works until ${new Date(session.expiresAt).toLocaleString()}.`}
        rightSideItems={
          returnUrl
            ? [
                <EuiButton key="done" fill iconType="check" onClick={() => done(returnUrl)}>
                  Done
                </EuiButton>,
              ]
            : []
        }
      />
      <EuiPageTemplate.Section>
        <RedirectModeSwitch mode={mode} onChange={changeMode} />
        <EuiBasicTable
          tableCaption="Connectors"
          columns={columns}
          items={session.connectors}
          rowProps={(c) => ({ 'data-test-subj': `connector-row-${c.name}` })}
          noItemsMessage="This link offers no connectors."
        />
        {!returnUrl && (
          <EuiText size="s" color="subdued">
            <p>When you are done, you can close this page.</p>
          </EuiText>
        )}
      </EuiPageTemplate.Section>
    </EuiPageTemplate>
  );
}
