import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './error-message';

/** One page of a list and the cursor of the next, null on the last page. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** A list a page shows: its rows, whether a load is running, and why the last load failed. */
export interface ListLoad<T> {
  items: T[];
  /** From the first render until the first load settles, and again during every later load. */
  loading: boolean;
  /** `errorText` of the failed load, kept until a later load succeeds. */
  error: string | undefined;
  /** Cursor of the next page, null when every page is loaded. */
  nextCursor: string | null;
  /** Loads the first page again, in place of the rows shown. */
  reload(): Promise<void>;
  /** Appends the next page, if there is one. */
  loadMore(): Promise<void>;
  /** Repeats the load that failed: the first page or the next one. */
  retry(): Promise<void>;
}

/**
 * Loads a paged list on mount and on demand, and never rejects: a failure becomes `error`,
 * and the rows already shown stay. `fetchPage` must keep its identity across renders (a
 * module-level function or a `useCallback`): a new one loads the list again.
 */
export function usePagedListLoad<T>(
  fetchPage: (cursor: string | undefined) => Promise<ListPage<T>>,
): ListLoad<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<{ text: string; cursor: string | undefined }>();
  // Only the latest load may change the list: an older request answering late is dropped,
  // so a reload after an action never shows the rows from before the action.
  const latest = useRef(0);

  const load = useCallback(
    async (cursor: string | undefined) => {
      const request = ++latest.current;
      setLoading(true);
      try {
        const page = await fetchPage(cursor);
        if (request !== latest.current) return;
        setItems((shown) => (cursor === undefined ? page.items : [...shown, ...page.items]));
        setNextCursor(page.nextCursor);
        setFailure(undefined);
      } catch (error) {
        if (request !== latest.current) return;
        setFailure({ text: errorText(error), cursor });
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  const reload = useCallback(() => load(undefined), [load]);
  const loadMore = useCallback(async () => {
    if (nextCursor !== null) await load(nextCursor);
  }, [load, nextCursor]);
  const retry = useCallback(() => load(failure?.cursor), [load, failure]);
  return { items, loading, error: failure?.text, nextCursor, reload, loadMore, retry };
}

/** `usePagedListLoad` for a list the API returns whole. */
export function useListLoad<T>(fetchList: () => Promise<T[]>): ListLoad<T> {
  const fetchPage = useCallback(
    async () => ({ items: await fetchList(), nextCursor: null }),
    [fetchList],
  );
  return usePagedListLoad(fetchPage);
}

/**
 * `EuiBasicTable` props that keep loading, failed and empty apart: a list that is loading or
 * did not load never says it has no items. `emptyMessage` undefined keeps EUI's own.
 */
export function listTableProps<T>(list: ListLoad<T>, noun: string, emptyMessage?: ReactNode) {
  const failed = list.error !== undefined && list.items.length === 0 && !list.loading;
  const noItemsMessage = list.loading ? `Loading ${noun}…` : emptyMessage;
  return {
    items: list.items,
    loading: list.loading,
    error: failed ? `The ${noun} did not load.` : undefined,
    noItemsMessage: failed ? `The ${noun} did not load.` : noItemsMessage,
  };
}
