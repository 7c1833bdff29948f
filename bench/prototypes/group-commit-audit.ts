import type { AuditEvent, Store } from '@latchkey/core';

/**
 * Prototype of a fix in the audit repository: every key use is one autocommit INSERT, i.e.
 * one write transaction (WAL frames for the table and its two indexes) per request. Events
 * appended in the same event-loop turn are written in one transaction instead; each caller
 * still waits until its own event is committed, so nothing is answered before it is audited.
 */
export function groupCommitAudit(store: Store): void {
  let queue: { event: AuditEvent; done: (error?: unknown) => void }[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      await store.transaction(async (tx) => {
        for (const { event } of batch) await tx.audit.append(event);
      });
      for (const entry of batch) entry.done();
    } catch (error) {
      for (const entry of batch) entry.done(error);
    }
  };
  store.audit.append = (event) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ event, done: (error) => (error ? reject(error) : resolve()) });
    });
}

/** Measurement only (not a proposal): the cost of the audit write, by leaving it out. */
export function skipAudit(store: Store): void {
  store.audit.append = async () => {};
}
