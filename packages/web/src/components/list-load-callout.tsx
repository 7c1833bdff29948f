import { EuiButton, EuiCallOut, EuiSpacer } from '@elastic/eui';
import type { ListLoad } from './use-list-load';

/**
 * Says that a list did not load, why (the server's message), and offers to load it again.
 * Nothing while the last load succeeded.
 */
export function ListLoadCallout({ list, noun }: { list: ListLoad<unknown>; noun: string }) {
  if (list.error === undefined) return null;
  return (
    <>
      <EuiSpacer size="m" />
      <EuiCallOut
        title={`Could not load the ${noun}`}
        color="danger"
        iconType="error"
        role="alert"
        data-test-subj="list-load-error"
      >
        <p>{list.error}</p>
        <EuiButton color="danger" size="s" isLoading={list.loading} onClick={() => list.retry()}>
          Retry
        </EuiButton>
      </EuiCallOut>
      <EuiSpacer size="m" />
    </>
  );
}
