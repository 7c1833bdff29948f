import {
  EuiButton,
  EuiCallOut,
  EuiFieldPassword,
  EuiFieldText,
  EuiForm,
  EuiFormRow,
  EuiPageTemplate,
  EuiPanel,
  EuiSpacer,
  EuiTitle,
} from '@elastic/eui';
import type { UserView } from '@latchkey/core';
import { type FormEvent, useState } from 'react';
import { client } from '../api';
import { errorText } from '../components/error-message';

export function LoginPage({
  sessionEnded = false,
  onLoggedIn,
}: {
  /** The session ended while the UI was open (expired, logged out elsewhere, user deleted). */
  sessionEnded?: boolean;
  onLoggedIn: (user: UserView) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLoggedIn(await client.login({ username, password }));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <EuiPageTemplate panelled={false} grow>
      <EuiPageTemplate.Section alignment="center">
        <EuiPanel paddingSize="l" style={{ width: 360 }}>
          <EuiTitle size="m">
            <h1>Log in to Latchkey</h1>
          </EuiTitle>
          <EuiSpacer />
          {sessionEnded && !error && (
            <>
              <EuiCallOut
                title="Your session has ended. Log in again to go on."
                color="warning"
                iconType="clock"
                data-test-subj="session-ended"
              />
              <EuiSpacer />
            </>
          )}
          {error && (
            <>
              <EuiCallOut title={error} color="danger" iconType="error" role="alert" />
              <EuiSpacer />
            </>
          )}
          <EuiForm component="form" onSubmit={submit}>
            <EuiFormRow label="Username">
              <EuiFieldText
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </EuiFormRow>
            <EuiFormRow label="Password">
              <EuiFieldPassword
                name="password"
                type="dual"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </EuiFormRow>
            <EuiSpacer />
            <EuiButton type="submit" fill fullWidth isLoading={busy}>
              Log in
            </EuiButton>
          </EuiForm>
        </EuiPanel>
      </EuiPageTemplate.Section>
    </EuiPageTemplate>
  );
}
