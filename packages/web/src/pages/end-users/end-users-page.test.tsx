// @vitest-environment jsdom
import { EuiProvider } from '@elastic/eui';
import { cleanup, configure, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeService,
  errorBody,
  type FakeService,
  jsonResponse,
  noContent,
} from '../../../../sdk/src/test-support/fake-service';
import { ToastProvider } from '../../components/toasts';
import { EndUsersPage } from './end-users-page';

configure({ testIdAttribute: 'data-test-subj' });

const ANN = {
  externalId: 'cust-42',
  displayName: 'Ann',
  email: 'ann@example.com',
  createdAt: '2026-12-01T10:00:00.000Z',
};
const ANN_DETAIL = {
  ...ANN,
  connections: [
    { connectorId: 'c1', connectorName: 'GitHub', status: 'connected' },
    { connectorId: 'c2', connectorName: 'Drive', status: 'reauth_required' },
  ],
};

let service: FakeService;

beforeEach(() => {
  service = createFakeService();
  service.on('GET', '/api/end_users', () =>
    jsonResponse(200, { endUsers: [ANN], nextCursor: null }),
  );
  service.on('GET', '/api/end_users/cust-42', () => jsonResponse(200, ANN_DETAIL));
  service.on('DELETE', '/api/end_users/cust-42', noContent);
  vi.stubGlobal('fetch', service.fetch);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderPage() {
  render(
    <EuiProvider colorMode="light">
      <ToastProvider>
        <EndUsersPage />
      </ToastProvider>
    </EuiProvider>,
  );
}

async function findById(externalId: string) {
  fireEvent.change(screen.getByLabelText('Find an end user by external id'), {
    target: { value: ` ${externalId} ` },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Find' }));
  return within(await screen.findByRole('dialog'));
}

describe('the End users page', () => {
  it('lists end users and finds one by external id, with each connection’s status', async () => {
    renderPage();
    expect(await screen.findByTestId('end-user-row-cust-42')).toBeTruthy();
    const flyout = await findById('cust-42');
    const github = await flyout.findByTestId('end-user-connection-GitHub');
    expect(within(github).getByTestId('connector-status').textContent).toBe('Connected');
    const drive = flyout.getByTestId('end-user-connection-Drive');
    expect(within(drive).getByTestId('connector-status').textContent).toBe('Reconnect required');
    expect(flyout.getByText('ann@example.com')).toBeTruthy();
  });

  it('says so when no end user has that id', async () => {
    service.on('GET', '/api/end_users/nobody', () =>
      jsonResponse(404, errorBody('end_user_not_found', 'No such end user.')),
    );
    renderPage();
    const flyout = await findById('nobody');
    expect(await flyout.findByText('No such end user.')).toBeTruthy();
    expect(flyout.getByRole('button', { name: 'Delete end user' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('deletes only after the confirmation, then reloads the list', async () => {
    renderPage();
    await screen.findByTestId('end-user-row-cust-42');
    const flyout = await findById('cust-42');
    await flyout.findByTestId('end-user-connection-GitHub');
    fireEvent.click(flyout.getByRole('button', { name: 'Delete end user' }));
    fireEvent.click(await screen.findByTestId('confirmModalCancelButton'));
    expect(service.sent('DELETE', '/api/end_users/cust-42')).toEqual([]);

    fireEvent.click(flyout.getByRole('button', { name: 'Delete end user' }));
    fireEvent.click(await screen.findByTestId('confirmModalConfirmButton'));
    await vi.waitFor(() =>
      expect(service.sent('DELETE', '/api/end_users/cust-42')).toHaveLength(1),
    );
    await vi.waitFor(() => expect(service.sent('GET', '/api/end_users')).toHaveLength(2));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
