// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { createElement, type ReactNode, StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatchkeyApiError } from '../errors/latchkey-api-error';
import { otherPage } from '../test-support/browser';
import {
  connectorView,
  createFakeService,
  errorBody,
  type FakeService,
  jsonResponse,
} from '../test-support/fake-service';
import { settle, tick } from '../test-support/react';
import { LatchkeyClientProvider } from './client-context';
import { useOAuthRedirectResult } from './use-oauth-redirect-result';

const GET = '/api/connectors/c1';

let service: FakeService;
let page: ReturnType<typeof otherPage>;
let close: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  service = createFakeService();
  service.on('GET', GET, () => jsonResponse(200, connectorView({ userAuthStatus: 'connected' })));
  page = otherPage();
  close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
});

afterEach(() => {
  page.close();
  vi.restoreAllMocks();
});

function landOn(path: string, options: { strict?: boolean } = {}) {
  window.history.replaceState(null, '', path);
  return renderOnThisPage(options);
}

function renderOnThisPage(options: { strict?: boolean } = {}) {
  const onSuccess = vi.fn();
  const onError = vi.fn();
  const wrapper = ({ children }: { children?: ReactNode }) => {
    const provided = createElement(LatchkeyClientProvider, { client: service.client }, children);
    return options.strict ? createElement(StrictMode, null, provided) : provided;
  };
  const hook = renderHook(() => useOAuthRedirectResult({ onSuccess, onError }), { wrapper });
  return { ...hook, onSuccess, onError };
}

const where = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

describe('useOAuthRedirectResult', () => {
  it('reads a success, cleans the URL, posts on the channel and reports it once confirmed', async () => {
    const hook = landOn('/connectors?view=all&oauth_authorization=success&connector_id=c1#row-c1');
    expect(where()).toBe('/connectors?view=all#row-c1');
    expect(hook.result.current.result).toEqual({
      status: 'success',
      connectorId: 'c1',
      autoClose: false,
    });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
    expect(hook.onSuccess.mock.calls[0]?.[0]).toMatchObject({
      connectorId: 'c1',
      connector: { userAuthStatus: 'connected' },
    });
    await settle(() => expect(page.received).toEqual([{ connectorId: 'c1', status: 'success' }]));
    expect(hook.onError).not.toHaveBeenCalled();
    expect(close).not.toHaveBeenCalled();
  });

  it('reports an error with its code, without asking the service', async () => {
    const hook = landOn(
      '/connectors?oauth_authorization=error&connector_id=c1&error=oauth_access_denied',
    );
    expect(where()).toBe('/connectors');
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    const [error, result] = hook.onError.mock.calls[0] as [LatchkeyApiError, unknown];
    expect(error).toMatchObject({ code: 'oauth_access_denied', status: 0 });
    expect(result).toMatchObject({ status: 'error', connectorId: 'c1' });
    await settle(() =>
      expect(page.received).toEqual([
        { connectorId: 'c1', status: 'error', error: 'oauth_access_denied' },
      ]),
    );
    expect(service.requests).toEqual([]);
  });

  it('does not report a success the service does not confirm', async () => {
    service.on('GET', GET, () =>
      jsonResponse(200, connectorView({ userAuthStatus: 'not_connected' })),
    );
    const hook = landOn('/connectors?oauth_authorization=success&connector_id=c1');
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(hook.onError.mock.calls[0]?.[0]).toMatchObject({ code: 'oauth_result_unconfirmed' });
    expect(hook.onSuccess).not.toHaveBeenCalled();
  });

  it('reports the service error when the confirmation fails', async () => {
    service.on('GET', GET, () => jsonResponse(404, errorBody('connector_not_found', 'No such.')));
    const hook = landOn('/connectors?oauth_authorization=success&connector_id=c1');
    await settle(() => expect(hook.onError).toHaveBeenCalledTimes(1));
    expect(hook.onError.mock.calls[0]?.[0]).toMatchObject({ code: 'connector_not_found' });
  });

  it('closes the tab when auto_close=true, after posting the result', async () => {
    const hook = landOn('/connectors?auto_close=true&oauth_authorization=success&connector_id=c1');
    expect(close).toHaveBeenCalledTimes(1);
    expect(where()).toBe('/connectors');
    await settle(() => expect(page.received).toHaveLength(1));
    // If the browser refuses to close the tab, the page still shows the result.
    await settle(() => expect(hook.onSuccess).toHaveBeenCalledTimes(1));
  });

  it('keeps the rest of the query byte for byte', () => {
    landOn('/p?q=a%20b&flag&oauth_authorization=success&connector_id=c1&x=%2F#f');
    expect(where()).toBe('/p?q=a%20b&flag&x=%2F#f');
  });

  it('does nothing on a page without a result', async () => {
    window.history.replaceState(null, '', '/connectors?error=something_of_the_app');
    const replace = vi.spyOn(window.history, 'replaceState');
    const hook = renderOnThisPage();
    await tick();
    expect(hook.result.current.result).toBeNull();
    expect(replace).not.toHaveBeenCalled();
    expect(where()).toBe('/connectors?error=something_of_the_app');
    expect(service.requests).toEqual([]);
    expect(hook.onSuccess).not.toHaveBeenCalled();
    expect(hook.onError).not.toHaveBeenCalled();
  });

  it('reports once under StrictMode', async () => {
    const hook = landOn('/connectors?oauth_authorization=success&connector_id=c1', {
      strict: true,
    });
    await settle(() => expect(hook.onSuccess).toHaveBeenCalled());
    await tick();
    expect(hook.onSuccess).toHaveBeenCalledTimes(1);
    expect(service.requests).toHaveLength(1);
  });
});
