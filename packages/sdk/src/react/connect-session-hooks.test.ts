// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLatchkeyClient, type LatchkeyClient } from '../client';
import { fakeTab, otherPage } from '../test-support/browser';
import {
  connectorView,
  createFakeService,
  type FakeService,
  jsonResponse,
  noContent,
} from '../test-support/fake-service';
import { settle, tick } from '../test-support/react';
import { useConnectorOAuthConnect } from './use-connector-oauth-connect';
import { useConnectorOAuthDisconnect } from './use-connector-oauth-disconnect';
import { useOAuthRedirectResult } from './use-oauth-redirect-result';

const LK = 'https://lk.example';
const START = `${LK}/api/connectors/c1/_start_oauth_flow`;
const SESSION = `${LK}/api/connect_session`;

let service: FakeService;
let client: LatchkeyClient;
let page: ReturnType<typeof otherPage>;

function sessionWith(status: 'connected' | 'not_connected') {
  return {
    endUser: { externalId: 'cust-42' },
    expiresAt: '2030-01-01T00:00:00.000Z',
    connectors: [connectorView({ userAuthStatus: status })],
  };
}

beforeEach(() => {
  service = createFakeService();
  // An app on another origin embedding Connect buttons: Latchkey's base URL and the token.
  client = createLatchkeyClient({ fetch: service.fetch, baseUrl: LK, connectSessionToken: 'cs' });
  service.on('POST', START, () =>
    jsonResponse(200, { authorizationUrl: 'https://provider.example/a', state: 's-1' }),
  );
  service.on('GET', SESSION, () => jsonResponse(200, sessionWith('connected')));
  page = otherPage();
});

afterEach(() => {
  page.close();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** Every request carried the session token, and none read `/api/connectors/:id`. */
function expectOnlySessionRequests() {
  for (const request of service.requests) {
    expect(request.headers.get('authorization')).toBe('ConnectSession cs');
    expect(request.credentials).toBe('include');
    expect(request.url).not.toBe(`${LK}/api/connectors/c1`);
  }
}

describe('the hooks with a connect session', () => {
  it('new tab: confirms the success with the session, not with the connector route', async () => {
    const tab = fakeTab();
    vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    const onSuccess = vi.fn();
    const hook = renderHook(() =>
      useConnectorOAuthConnect({ connectorId: 'c1', redirectMode: 'new_tab', client, onSuccess }),
    );
    act(() => hook.result.current.connect());
    await settle(() => expect(hook.result.current.isAwaitingCallback).toBe(true));
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({
      connectorId: 'c1',
      connector: { id: 'c1', userAuthStatus: 'connected' },
    });
    expect(service.sent('GET', SESSION)).toHaveLength(1);
    expectOnlySessionRequests();
  });

  it('new tab: keeps waiting when the session does not list the connector as connected', async () => {
    service.on('GET', SESSION, () => jsonResponse(200, sessionWith('not_connected')));
    vi.spyOn(window, 'open').mockReturnValue(fakeTab() as unknown as Window);
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const hook = renderHook(() =>
      useConnectorOAuthConnect({
        connectorId: 'c1',
        redirectMode: 'new_tab',
        client,
        onSuccess,
        onError,
      }),
    );
    act(() => hook.result.current.connect());
    await settle(() => expect(hook.result.current.isAwaitingCallback).toBe(true));
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(service.sent('GET', SESSION)).toHaveLength(1));
    await tick();
    expect(hook.result.current.isAwaitingCallback).toBe(true);
    expect(onSuccess).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('redirect result: a success for a connector outside the session is not confirmed', async () => {
    window.history.replaceState(null, '', '/settings?oauth_authorization=success&connector_id=c9');
    const onSuccess = vi.fn();
    const onError = vi.fn();
    renderHook(() => useOAuthRedirectResult({ client, onSuccess, onError }));
    await settle(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'oauth_result_unconfirmed' });
    expect(onSuccess).not.toHaveBeenCalled();
    expectOnlySessionRequests();
  });

  it('redirect result: a success the session confirms is reported', async () => {
    window.history.replaceState(null, '', '/settings?oauth_authorization=success&connector_id=c1');
    const onSuccess = vi.fn();
    renderHook(() => useOAuthRedirectResult({ client, onSuccess }));
    await settle(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(window.location.search).toBe('');
    expectOnlySessionRequests();
  });

  it('disconnects with the session token', async () => {
    service.on('POST', `${LK}/api/connectors/c1/_oauth_disconnect`, noContent);
    const onSuccess = vi.fn();
    const hook = renderHook(() =>
      useConnectorOAuthDisconnect({ connectorId: 'c1', client, onSuccess }),
    );
    await act(() => hook.result.current.disconnect());
    expect(onSuccess).toHaveBeenCalledWith({ connectorId: 'c1' });
    expectOnlySessionRequests();
  });
});
