import { LatchkeyError } from '@latchkey/core';

/** What one proxied call holds of this instance's proxy capacity. */
export interface ProxyTicket {
  /** Counts request body bytes held in memory; `proxy_busy` past the instance's cap. */
  reserveBytes(bytes: number): void;
  /** One end of the call (its handler settled, its response closed); both free it all. */
  end(which: 'handler' | 'response'): void;
}

export interface ProxyAdmission {
  /** A slot for one call, or `proxy_busy` when every slot is taken. */
  admit(): ProxyTicket;
  /** Calls admitted and not yet released, and the bytes they hold. */
  usage(): { calls: number; bufferedBytes: number };
}

/** Calls in flight end within the proxy timeout; most far sooner. */
const BUSY_RETRY_AFTER_S = 1;

/**
 * Per-instance caps on proxied calls in flight and on the request bodies they buffer, so a
 * burst answers `503 proxy_busy` instead of exhausting memory or sockets. A call is over
 * when both its handler has settled and its response has closed: a caller that hangs up
 * early frees nothing while Latchkey still waits for the API on its behalf.
 */
export function createProxyAdmission(limits: {
  maxCalls: number;
  maxBufferedBytes: number;
}): ProxyAdmission {
  let calls = 0;
  let bufferedBytes = 0;
  return {
    admit() {
      if (calls >= limits.maxCalls) {
        throw LatchkeyError.retryLater('proxy_busy', BUSY_RETRY_AFTER_S);
      }
      calls += 1;
      let held = 0;
      const ended = new Set<'handler' | 'response'>();
      return {
        reserveBytes(bytes) {
          if (ended.size === 2) return;
          if (bufferedBytes + bytes > limits.maxBufferedBytes) {
            throw LatchkeyError.retryLater('proxy_busy', BUSY_RETRY_AFTER_S);
          }
          bufferedBytes += bytes;
          held += bytes;
        },
        end(which) {
          if (ended.size === 2 || ended.has(which)) return;
          ended.add(which);
          if (ended.size < 2) return;
          calls -= 1;
          bufferedBytes -= held;
          held = 0;
        },
      };
    },
    usage: () => ({ calls, bufferedBytes }),
  };
}
