// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeService,
  deferred,
  errorBody,
  type FakeService,
  jsonResponse,
  noContent,
} from '../test-support/fake-service';
import { useConnectorOAuthDisconnect } from './use-connector-oauth-disconnect';

const DISCONNECT = '/api/connectors/c1/_oauth_disconnect';

let service: FakeService;

beforeEach(() => {
  service = createFakeService();
});

function renderDisconnect() {
  const onSuccess = vi.fn();
  const onError = vi.fn();
  const hook = renderHook(() =>
    useConnectorOAuthDisconnect({ connectorId: 'c1', onSuccess, onError, client: service.client }),
  );
  return { ...hook, onSuccess, onError };
}

describe('useConnectorOAuthDisconnect', () => {
  it('is disconnecting while the request runs, then reports success', async () => {
    const answer = deferred<Response>();
    service.on('POST', DISCONNECT, () => answer.promise);
    const hook = renderDisconnect();
    expect(hook.result.current.isDisconnecting).toBe(false);
    let done: Promise<void> = Promise.resolve();
    act(() => {
      done = hook.result.current.disconnect();
    });
    expect(hook.result.current.isDisconnecting).toBe(true);
    // A second click while one runs sends nothing.
    act(() => {
      void hook.result.current.disconnect();
    });
    await act(async () => {
      answer.resolve(noContent());
      await done;
    });
    expect(hook.result.current.isDisconnecting).toBe(false);
    expect(hook.onSuccess).toHaveBeenCalledWith({ connectorId: 'c1' });
    expect(hook.onError).not.toHaveBeenCalled();
    const sent = service.sent('POST', DISCONNECT);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({});
    expect(sent[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('reports the service error and can be tried again', async () => {
    service.on('POST', DISCONNECT, () => jsonResponse(403, errorBody('forbidden', 'No.')));
    const hook = renderDisconnect();
    await act(() => hook.result.current.disconnect());
    expect(hook.result.current.isDisconnecting).toBe(false);
    expect(hook.onError).toHaveBeenCalledTimes(1);
    expect(hook.onError.mock.calls[0]?.[0]).toMatchObject({ code: 'forbidden', status: 403 });
    expect(hook.onSuccess).not.toHaveBeenCalled();

    service.on('POST', DISCONNECT, () => noContent());
    await act(() => hook.result.current.disconnect());
    expect(hook.onSuccess).toHaveBeenCalledTimes(1);
  });
});
