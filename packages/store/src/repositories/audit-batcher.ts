import type { AuditEvent, AuditRepository } from '@latchkey/core';

type Pending = { event: AuditEvent; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit for audit events: the events appended in one event-loop turn are written in
 * one transaction instead of one transaction each (a write per proxied call otherwise
 * dominates a token lookup). Every caller still waits for its own event to be committed,
 * so nothing is answered before it is audited, and nothing is lost.
 */
export function batchedAuditAppend(
  writeBatch: (events: AuditEvent[]) => Promise<void>,
): AuditRepository['append'] {
  let queue: Pending[] = [];
  async function flush() {
    const batch = queue;
    queue = [];
    try {
      await writeBatch(batch.map((p) => p.event));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
  return (event) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ event, resolve, reject });
    });
}
