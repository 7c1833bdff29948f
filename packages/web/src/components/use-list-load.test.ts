// @vitest-environment jsdom
import { LatchkeyApiError } from '@latchkey/sdk';
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { type ListPage, listTableProps, usePagedListLoad } from './use-list-load';

/** A page fetcher whose answers the test gives, one request at a time, in any order. */
function scriptedPages() {
  const requests: {
    cursor: string | undefined;
    answer(page: ListPage<string>): void;
    fail(error: unknown): void;
  }[] = [];
  const fetchPage = (cursor: string | undefined) =>
    new Promise<ListPage<string>>((resolve, reject) => {
      requests.push({ cursor, answer: resolve, fail: reject });
    });
  return { requests, fetchPage };
}

const unavailable = new LatchkeyApiError('internal_error', 'Something went wrong on our side.');

describe('usePagedListLoad', () => {
  it('is loading until the first page answers, and never claims an empty list meanwhile', async () => {
    const { requests, fetchPage } = scriptedPages();
    const hook = renderHook(() => usePagedListLoad(fetchPage));
    expect(hook.result.current.loading).toBe(true);
    expect(listTableProps(hook.result.current, 'users').noItemsMessage).toBe('Loading users…');
    await act(async () => requests[0]?.answer({ items: ['a'], nextCursor: null }));
    expect(hook.result.current).toMatchObject({ items: ['a'], loading: false, error: undefined });
  });

  it('keeps the error text of a failed load until a later load succeeds', async () => {
    const { requests, fetchPage } = scriptedPages();
    const hook = renderHook(() => usePagedListLoad(fetchPage));
    await act(async () => requests[0]?.fail(unavailable));
    expect(hook.result.current.error).toBe('Something went wrong on our side.');
    expect(listTableProps(hook.result.current, 'users')).toMatchObject({
      error: 'The users did not load.',
      noItemsMessage: 'The users did not load.',
    });
    act(() => void hook.result.current.retry());
    expect(hook.result.current).toMatchObject({ loading: true, error: unavailable.message });
    await act(async () => requests[1]?.answer({ items: ['a'], nextCursor: null }));
    expect(hook.result.current).toMatchObject({ items: ['a'], loading: false, error: undefined });
  });

  it('drops an older request that answers after a newer one', async () => {
    const { requests, fetchPage } = scriptedPages();
    const hook = renderHook(() => usePagedListLoad(fetchPage));
    act(() => void hook.result.current.reload());
    expect(requests).toHaveLength(2);
    await act(async () => requests[1]?.answer({ items: ['after the action'], nextCursor: null }));
    await act(async () => requests[0]?.answer({ items: ['before the action'], nextCursor: null }));
    expect(hook.result.current.items).toEqual(['after the action']);
  });

  it('drops an older request that fails after a newer one answered', async () => {
    const { requests, fetchPage } = scriptedPages();
    const hook = renderHook(() => usePagedListLoad(fetchPage));
    act(() => void hook.result.current.reload());
    expect(requests).toHaveLength(2);
    await act(async () => requests[1]?.answer({ items: ['after the action'], nextCursor: null }));
    await act(async () => requests[0]?.fail(unavailable));
    expect(hook.result.current).toMatchObject({ items: ['after the action'], error: undefined });
  });

  it('appends the next page, and a retry after a failed one asks for that page again', async () => {
    const { requests, fetchPage } = scriptedPages();
    const hook = renderHook(() => usePagedListLoad(fetchPage));
    await act(async () => requests[0]?.answer({ items: ['a', 'b'], nextCursor: 'b' }));
    await act(async () => {
      void hook.result.current.loadMore();
    });
    expect(requests[1]?.cursor).toBe('b');
    await act(async () => requests[1]?.fail(new TypeError('Failed to fetch')));
    expect(hook.result.current).toMatchObject({
      items: ['a', 'b'],
      error: 'Something went wrong. Try again.',
    });
    act(() => void hook.result.current.retry());
    expect(requests[2]?.cursor).toBe('b');
    await act(async () => requests[2]?.answer({ items: ['c'], nextCursor: null }));
    await waitFor(() => expect(hook.result.current.items).toEqual(['a', 'b', 'c']));
    expect(hook.result.current).toMatchObject({ nextCursor: null, error: undefined });
  });
});
