import { EuiLoadingSpinner, EuiPageTemplate } from '@elastic/eui';
import type { UserView } from '@latchkey/core';
import { LatchkeyClientProvider } from '@latchkey/sdk';
import { useEffect, useState } from 'react';
import { client, onSessionEnded } from './api';
import { AppHeader } from './components/app-header';
import { ToastProvider } from './components/toasts';
import { ApiKeysPage } from './pages/api-keys-page';
import { AuditPage } from './pages/audit-page';
import { ConnectPage } from './pages/connect/connect-page';
import { ConnectorsPage } from './pages/connectors/connectors-page';
import { EndUsersPage } from './pages/end-users/end-users-page';
import { LoginPage } from './pages/login-page';
import { UsersPage } from './pages/users-page';
import { WebhooksPage } from './pages/webhooks/webhooks-page';
import { navigate, usePath } from './router';

type Session =
  | { state: 'loading' }
  | { state: 'anonymous'; ended?: boolean }
  | { state: 'user'; user: UserView };

function AdminPage({ path }: { path: string }) {
  if (path === '/users') return <UsersPage />;
  if (path === '/api-keys') return <ApiKeysPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/end-users') return <EndUsersPage />;
  if (path === '/webhooks') return <WebhooksPage />;
  return null;
}

export function App() {
  // The hosted connect page has no login: it never asks who is logged in.
  return window.location.pathname === '/connect' ? <ConnectPage /> : <LoggedInApp />;
}

function LoggedInApp() {
  const path = usePath();
  const [session, setSession] = useState<Session>({ state: 'loading' });

  useEffect(() => {
    client.me().then(
      (user) => setSession({ state: 'user', user }),
      () => setSession({ state: 'anonymous' }),
    );
  }, []);

  // A dead session shows the login page on the same path; logging in again remounts the
  // page, which loads its data again. Only a logged-in state can end.
  useEffect(
    () =>
      onSessionEnded(() =>
        setSession((current) =>
          current.state === 'user' ? { state: 'anonymous', ended: true } : current,
        ),
      ),
    [],
  );

  async function logout() {
    await client.logout();
    setSession({ state: 'anonymous' });
    navigate('/');
  }

  if (session.state === 'loading') return <EuiLoadingSpinner size="xl" />;
  if (session.state === 'anonymous') {
    return (
      <LoginPage
        sessionEnded={session.ended === true}
        onLoggedIn={(user) => setSession({ state: 'user', user })}
      />
    );
  }
  const isAdminPage = session.user.role === 'admin' && path !== '/' && path !== '/login';
  // The SDK's connect hooks use this client too, so their calls also notice a dead session.
  return (
    <LatchkeyClientProvider client={client}>
      <ToastProvider>
        <AppHeader user={session.user} path={path} onLogout={logout} />
        <EuiPageTemplate offset={48} restrictWidth={1200}>
          {isAdminPage ? <AdminPage path={path} /> : <ConnectorsPage user={session.user} />}
        </EuiPageTemplate>
      </ToastProvider>
    </LatchkeyClientProvider>
  );
}
