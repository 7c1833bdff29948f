import { EuiButton, EuiCallOut, EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import { createLatchkeyClient, type LatchkeyClient, LatchkeyClientProvider } from '@latchkey/sdk';
import { useMemo, useState } from 'react';
import { ToastProvider } from '../../components/toasts';
import { takeConnectSessionToken } from './connect-session-token';
import { ConnectSessionView } from './connect-session-view';
import { useConnectSession } from './use-connect-session';

/**
 * The hosted connect page (`/connect#session=<token>`), for people who never log in to
 * Latchkey. Every request carries the connect session's token and no cookie.
 */
export function ConnectPage() {
  const [token] = useState(() => takeConnectSessionToken(window.location, window.sessionStorage));
  const client = useMemo(
    () => (token ? createLatchkeyClient({ connectSessionToken: token }) : undefined),
    [token],
  );
  if (!client) {
    return (
      <ConnectMessage
        title="This connect link is incomplete"
        body="Open the link you were given again, or ask the app that sent you for a new one."
      />
    );
  }
  return (
    <LatchkeyClientProvider client={client}>
      <ToastProvider>
        <ConnectSessionPage client={client} />
      </ToastProvider>
    </LatchkeyClientProvider>
  );
}

function ConnectSessionPage({ client }: { client: LatchkeyClient }) {
  const { current, reload, expire } = useConnectSession(client);
  if (current.state === 'loading') return <EuiLoadingSpinner size="xl" />;
  if (current.state === 'expired') {
    return (
      <ConnectMessage
        title="This connect link has expired"
        body="Nothing was changed. Go back to the app that sent you here and ask for a new link."
      />
    );
  }
  if (current.state === 'failed') {
    return (
      <EuiPageTemplate restrictWidth={960}>
        <EuiPageTemplate.Section>
          <EuiCallOut title="Could not load your connections" color="danger" iconType="error">
            <p>{current.message}</p>
            <EuiButton color="danger" size="s" onClick={() => void reload()}>
              Retry
            </EuiButton>
          </EuiCallOut>
        </EuiPageTemplate.Section>
      </EuiPageTemplate>
    );
  }
  return <ConnectSessionView session={current.session} onChanged={reload} onExpired={expire} />;
}

function ConnectMessage(props: { title: string; body: string }) {
  return (
    <EuiPageTemplate restrictWidth={960}>
      <EuiPageTemplate.EmptyPrompt
        iconType="clock"
        title={<h1>{props.title}</h1>}
        body={<p>{props.body}</p>}
        data-test-subj="connect-message"
      />
    </EuiPageTemplate>
  );
}
