import { Agent, fetch as undiciFetch } from 'undici';
import type { EgressConnectorOptions } from './egress-connector';
import { createEgressConnector } from './egress-connector';
import type { EgressPolicy } from './egress-policy';

/** `fetch` as undici implements it, and so the Response it answers with. */
export type EgressFetch = typeof undiciFetch;

export interface EgressClient {
  /** undici's own `fetch` on the checking dispatcher: every connection passes the policy. */
  fetch: EgressFetch;
  /** The dispatcher itself, for callers that use undici's `request` API. */
  dispatcher: Agent;
  close(): Promise<void>;
}

/**
 * One keep-alive Agent whose every connection goes through the egress policy, and a `fetch`
 * bound to it. undici's own `fetch`, not the global one: Node's built-in `fetch` bundles
 * another undici, whose dispatcher interface need not match this one's.
 */
export function createEgressClient(
  policy: EgressPolicy,
  options: EgressConnectorOptions = {},
): EgressClient {
  const dispatcher = new Agent({ connect: createEgressConnector(policy, options) });
  return {
    fetch: (input, init) => undiciFetch(input, { ...init, dispatcher }),
    dispatcher,
    close: () => dispatcher.close(),
  };
}
