import type { Store } from '@latchkey/core';

/** Measurement only (not a proposal): the cost of the audit write, by leaving it out. */
export function skipAudit(store: Store): void {
  store.audit.append = async () => {};
}
