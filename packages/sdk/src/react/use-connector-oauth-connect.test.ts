// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatchkeyApiError } from '../errors/latchkey-api-error';
import { fakeTab, otherPage } from '../test-support/browser';
import {
  connectorView,
  createFakeService,
  deferred,
  errorBody,
  type FakeService,
  jsonResponse,
  noContent,
} from '../test-support/fake-service';
import { settle, tick } from '../test-support/react';
import {
  type UseConnectorOAuthConnectOptions,
  useConnectorOAuthConnect,
} from './use-connector-oauth-connect';

const AUTHORIZATION_URL = 'https://provider.example/authorize?state=s-1';
const START = '/api/connectors/c1/_start_oauth_flow';
const CANCEL = '/api/connectors/c1/_oauth_cancel';
const GET = '/api/connectors/c1';

let service: FakeService;
let tab: ReturnType<typeof fakeTab>;
let page: ReturnType<typeof otherPage>;
let open: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  // Only the timers the flow uses are faked: channel delivery and promises stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  service = createFakeService();
  service.on('POST', START, () =>
    jsonResponse(200, { authorizationUrl: AUTHORIZATION_URL, state: 's-1' }),
  );
  service.on('POST', CANCEL, () => noContent());
  service.on('GET', GET, () => jsonResponse(200, connectorView({ userAuthStatus: 'connected' })));
  tab = fakeTab();
  open = vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
  page = otherPage();
  window.history.replaceState(null, '', '/connectors');
});

afterEach(() => {
  page.close();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function renderConnect(options: Partial<UseConnectorOAuthConnectOptions> = {}) {
  const callbacks = { onSuccess: vi.fn(), onError: vi.fn(), onFallbackToRedirect: vi.fn() };
  const hook = renderHook(() =>
    useConnectorOAuthConnect({
      connectorId: 'c1',
      redirectMode: 'new_tab',
      client: service.client,
      ...callbacks,
      ...options,
    }),
  );
  return { ...hook, ...callbacks };
}

async function connectAndAwait(hook: ReturnType<typeof renderConnect>) {
  act(() => hook.result.current.connect());
  await settle(() => expect(hook.result.current.isAwaitingCallback).toBe(true));
}

const firstError = (onError: ReturnType<typeof vi.fn>) =>
  onError.mock.calls[0]?.[0] as LatchkeyApiError;

describe('useConnectorOAuthConnect, new tab', () => {
  it('opens the tab inside the click, nulls its opener, then sends it to the provider', async () => {
    const hook = renderConnect();
    act(() => hook.result.current.connect());
    // Synchronously: before any request could have answered.
    expect(open).toHaveBeenCalledWith('about:blank', '_blank');
    expect(tab.opener).toBeNull();
    expect(hook.result.current.isConnecting).toBe(true);
    expect(hook.result.current.isAwaitingCallback).toBe(false);
    await settle(() => expect(tab.location.href).toBe(AUTHORIZATION_URL));
    expect(hook.result.current.isAwaitingCallback).toBe(true);
    // No return URL: the callback ends on the service's result page, which posts the message.
    expect(service.sent('POST', START)[0]?.body).toEqual({});
  });

  it('reports success once the service confirms the message', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
    expect(hook.onSuccess.mock.calls[0]?.[0]).toMatchObject({
      connectorId: 'c1',
      connector: { id: 'c1', userAuthStatus: 'connected' },
    });
    expect(service.sent('GET', GET)).toHaveLength(1);
    expect(hook.result.current).toMatchObject({ isConnecting: false, isAwaitingCallback: false });
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('ignores a message about another connector', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    const listener = otherPage();
    page.post({ connectorId: 'c2', status: 'error', error: 'oauth_access_denied' });
    page.post({ connectorId: 'c2', status: 'success' });
    await vi.waitFor(() => expect(listener.received).toHaveLength(2));
    await tick();
    expect(service.sent('GET', GET)).toEqual([]);
    expect(hook.onError).not.toHaveBeenCalled();
    expect(hook.result.current.isAwaitingCallback).toBe(true);
    // Still waiting for ours.
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
    expect(service.requests.filter((r) => r.url.includes('/c2'))).toEqual([]);
    listener.close();
  });

  it('ignores malformed messages', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    const listener = otherPage();
    const junk = [
      null,
      'success',
      42,
      [],
      { connectorId: 'c1' },
      { connectorId: 'c1', status: 'connected' },
      { connectorId: ['c1'], status: 'success' },
      { status: 'success' },
    ];
    for (const message of junk) page.post(message);
    // Every junk message has been delivered, and none started a confirmation.
    await vi.waitFor(() => expect(listener.received).toHaveLength(junk.length));
    await tick();
    expect(service.sent('GET', GET)).toEqual([]);
    expect(hook.result.current.isAwaitingCallback).toBe(true);
    listener.close();
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
    expect(service.sent('GET', GET)).toHaveLength(1);
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('ignores messages when no flow is awaiting: before connect, while starting, after the end', async () => {
    const start = deferred<Response>();
    service.on('POST', START, () => start.promise);
    const hook = renderConnect();
    const listener = otherPage();
    page.post({ connectorId: 'c1', status: 'success' });
    act(() => hook.result.current.connect());
    page.post({ connectorId: 'c1', status: 'error', error: 'oauth_access_denied' });
    await vi.waitFor(() => expect(listener.received).toHaveLength(2));
    await act(async () => {
      start.resolve(jsonResponse(200, { authorizationUrl: AUTHORIZATION_URL, state: 's-1' }));
    });
    await settle(() => expect(hook.result.current.isAwaitingCallback).toBe(true));
    expect(service.sent('GET', GET)).toEqual([]);
    expect(hook.onError).not.toHaveBeenCalled();

    await act(() => hook.result.current.cancelConnect());
    page.post({ connectorId: 'c1', status: 'success' });
    await vi.waitFor(() => expect(listener.received).toHaveLength(3));
    await tick();
    expect(service.sent('GET', GET)).toEqual([]);
    expect(hook.onSuccess).not.toHaveBeenCalled();
    listener.close();
  });

  it('keeps waiting when the service does not confirm a success message', async () => {
    service.on('GET', GET, () =>
      jsonResponse(200, connectorView({ userAuthStatus: 'not_connected' })),
    );
    const hook = renderConnect();
    await connectAndAwait(hook);
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(service.sent('GET', GET)).toHaveLength(1));
    await settle(() => expect(hook.result.current.isAwaitingCallback).toBe(true));
    expect(hook.onSuccess).not.toHaveBeenCalled();
    expect(hook.onError).not.toHaveBeenCalled();
    expect(tab.close).not.toHaveBeenCalled();

    // The real result comes later and is confirmed.
    service.on('GET', GET, () => jsonResponse(200, connectorView({ userAuthStatus: 'connected' })));
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
  });

  it('ignores a second message while the first is being confirmed', async () => {
    const answer = deferred<Response>();
    service.on('GET', GET, () => answer.promise);
    const hook = renderConnect();
    await connectAndAwait(hook);
    page.post({ connectorId: 'c1', status: 'success' });
    page.post({ connectorId: 'c1', status: 'error', error: 'oauth_access_denied' });
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(service.sent('GET', GET)).toHaveLength(1));
    await act(async () =>
      answer.resolve(jsonResponse(200, connectorView({ userAuthStatus: 'connected' }))),
    );
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
    expect(service.sent('GET', GET)).toHaveLength(1);
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('reports the error a message carries and cancels the flow on the service', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    page.post({ connectorId: 'c1', status: 'error', error: 'oauth_access_denied' });
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(firstError(hook.onError)).toMatchObject({ code: 'oauth_access_denied', status: 0 });
    expect(hook.result.current.isConnecting).toBe(false);
    await vi.waitFor(() => expect(service.sent('POST', CANCEL)[0]?.body).toEqual({ state: 's-1' }));
    // The result page stays: it explains the error where the user is looking.
    expect(tab.close).not.toHaveBeenCalled();
    expect(service.sent('GET', GET)).toEqual([]);
  });

  it('reports an error when the confirmation itself fails', async () => {
    service.on('GET', GET, () => jsonResponse(401, errorBody('unauthenticated', 'Log in first.')));
    const hook = renderConnect();
    await connectAndAwait(hook);
    page.post({ connectorId: 'c1', status: 'success' });
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(firstError(hook.onError)).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(hook.onSuccess).not.toHaveBeenCalled();
  });

  it('times out after 10 minutes: error, flow cancelled on the service, tab closed', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    act(() => vi.advanceTimersByTime(10 * 60 * 1000 - 1));
    expect(hook.onError).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(firstError(hook.onError)).toMatchObject({ code: 'oauth_flow_timeout', status: 0 });
    expect(tab.close).toHaveBeenCalled();
    expect(hook.result.current).toMatchObject({ isConnecting: false, isAwaitingCallback: false });
    await vi.waitFor(() => expect(service.sent('POST', CANCEL)[0]?.body).toEqual({ state: 's-1' }));
    // A late result of the abandoned flow changes nothing.
    page.post({ connectorId: 'c1', status: 'success' });
    page.post({ connectorId: 'c1', status: 'error', error: 'oauth_state_invalid' });
    await tick();
    expect(hook.onSuccess).not.toHaveBeenCalled();
    expect(hook.onError).toHaveBeenCalledTimes(1);
  });

  it('honours timeoutMs', async () => {
    const hook = renderConnect({ timeoutMs: 30_000 });
    await connectAndAwait(hook);
    act(() => vi.advanceTimersByTime(30_000));
    expect(firstError(hook.onError)?.code).toBe('oauth_flow_timeout');
  });

  it('cancelConnect ends the wait at once, closes the tab and cancels with the state', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    await act(() => hook.result.current.cancelConnect());
    expect(hook.result.current).toMatchObject({ isConnecting: false, isAwaitingCallback: false });
    expect(tab.close).toHaveBeenCalled();
    const [cancel] = service.sent('POST', CANCEL);
    expect(cancel?.body).toEqual({ state: 's-1' });
    expect(cancel?.headers.get('content-type')).toBe('application/json');
    expect(hook.onError).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(60 * 60 * 1000));
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('cancelConnect while starting closes the blank tab and cancels once the state is known', async () => {
    const start = deferred<Response>();
    service.on('POST', START, () => start.promise);
    const hook = renderConnect();
    act(() => hook.result.current.connect());
    await act(() => hook.result.current.cancelConnect());
    expect(tab.close).toHaveBeenCalled();
    expect(hook.result.current.isConnecting).toBe(false);
    await act(async () => {
      start.resolve(jsonResponse(200, { authorizationUrl: AUTHORIZATION_URL, state: 's-1' }));
    });
    await vi.waitFor(() => expect(service.sent('POST', CANCEL)[0]?.body).toEqual({ state: 's-1' }));
    expect(tab.location.href).toBe('about:blank');
  });

  it('falls back to a redirect when the tab is blocked, and says so', async () => {
    open.mockReturnValue(null);
    const assign = vi.fn();
    vi.stubGlobal('location', {
      href: 'http://localhost:3000/connectors?view=all&oauth_authorization=error&error=x#row',
      assign,
    });
    const hook = renderConnect();
    act(() => hook.result.current.connect());
    expect(hook.onFallbackToRedirect).toHaveBeenCalledWith({
      connectorId: 'c1',
      reason: 'popup_blocked',
    });
    await settle(() => expect(assign).toHaveBeenCalledWith(AUTHORIZATION_URL));
    expect(service.sent('POST', START)[0]?.body).toEqual({
      returnUrl: 'http://localhost:3000/connectors?view=all#row',
    });
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('closes the blank tab and reports the service error when the flow cannot start', async () => {
    service.on('POST', START, () =>
      jsonResponse(
        400,
        errorBody('connector_not_per_user', 'This connector uses a shared credential.'),
      ),
    );
    const hook = renderConnect();
    act(() => hook.result.current.connect());
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(firstError(hook.onError)).toMatchObject({ code: 'connector_not_per_user', status: 400 });
    expect(tab.close).toHaveBeenCalled();
    expect(hook.result.current.isConnecting).toBe(false);
    expect(service.sent('POST', CANCEL)).toEqual([]);
  });

  it('ignores connect while a flow runs', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    act(() => hook.result.current.connect());
    expect(open).toHaveBeenCalledTimes(1);
    expect(service.sent('POST', START)).toHaveLength(1);
  });

  it('stops listening and clears the timer on unmount', async () => {
    const hook = renderConnect();
    await connectAndAwait(hook);
    hook.unmount();
    page.post({ connectorId: 'c1', status: 'success' });
    act(() => vi.advanceTimersByTime(60 * 60 * 1000));
    await tick();
    expect(service.sent('GET', GET)).toEqual([]);
    expect(hook.onSuccess).not.toHaveBeenCalled();
    expect(hook.onError).not.toHaveBeenCalled();
    // The provider tab may still finish on its own.
    expect(tab.close).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('useConnectorOAuthConnect, redirect', () => {
  it('starts with this page (without oauth parameters) as return URL and navigates', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', {
      href: 'http://localhost:3000/connectors?q=a%20b&oauth_authorization=success&connector_id=c9#top',
      assign,
    });
    const hook = renderConnect({ redirectMode: 'redirect' });
    act(() => hook.result.current.connect());
    expect(open).not.toHaveBeenCalled();
    await settle(() => expect(assign).toHaveBeenCalledWith(AUTHORIZATION_URL));
    expect(service.sent('POST', START)[0]?.body).toEqual({
      returnUrl: 'http://localhost:3000/connectors?q=a%20b#top',
    });
    expect(hook.result.current).toMatchObject({ isConnecting: true, isAwaitingCallback: false });
  });

  it('is idle again when the page comes back from the back/forward cache', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: 'http://localhost:3000/connectors', assign });
    const hook = renderConnect({ redirectMode: 'redirect' });
    act(() => hook.result.current.connect());
    await settle(() => expect(assign).toHaveBeenCalled());
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    });
    expect(hook.result.current.isConnecting).toBe(true);
    act(() => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(hook.result.current.isConnecting).toBe(false);
    await vi.waitFor(() => expect(service.sent('POST', CANCEL)[0]?.body).toEqual({ state: 's-1' }));
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('sends the given return URL as it is', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: 'http://localhost:3000/x', assign });
    const hook = renderConnect({ redirectMode: 'redirect', returnUrl: '/connectors?done=1' });
    act(() => hook.result.current.connect());
    await settle(() => expect(assign).toHaveBeenCalled());
    expect(service.sent('POST', START)[0]?.body).toEqual({ returnUrl: '/connectors?done=1' });
  });

  it('reports a failure to start and stays on the page', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: 'http://localhost:3000/x', assign });
    service.on('POST', START, () =>
      jsonResponse(400, errorBody('invalid_return_url', 'returnUrl must be same-origin.')),
    );
    const hook = renderConnect({ redirectMode: 'redirect' });
    act(() => hook.result.current.connect());
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(firstError(hook.onError).code).toBe('invalid_return_url');
    expect(assign).not.toHaveBeenCalled();
    expect(hook.result.current.isConnecting).toBe(false);
  });
});
