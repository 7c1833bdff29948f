import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { createCheckingLookup, type ResolveHost } from './checking-lookup';
import { type EgressDeniedError, findEgressDenial } from './egress-denied-error';
import type { EgressPolicy } from './egress-policy';

export interface EgressConnectorOptions {
  /** Milliseconds to open the connection (TCP and TLS); undici's default is 10 s. */
  timeoutMs?: number;
  /** The DNS lookup behind the check (tests map names to any address). */
  resolve?: ResolveHost;
  /** Told of every refusal, for the operator's log. */
  onDenied?: (denied: EgressDeniedError) => void;
}

/**
 * undici's connector with the egress policy: an IP-literal host is checked before any socket
 * exists (`net.connect` does not call `lookup` for literals), and a name is checked on the
 * addresses it resolves to, by the `lookup` the socket itself uses. A refused connection
 * fails with EgressDeniedError and no TCP connection is ever opened.
 */
export function createEgressConnector(
  policy: EgressPolicy,
  options: EgressConnectorOptions = {},
): buildConnector.connector {
  const connect = buildConnector({
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    lookup: createCheckingLookup(policy, options.resolve),
  });
  return (connectOptions, callback) => {
    const { hostname } = connectOptions;
    const denied = isIP(hostname) === 0 ? undefined : policy.checkAddress(hostname, hostname);
    if (denied) {
      options.onDenied?.(denied);
      // Asynchronous, as a refused lookup would be: undici expects the callback later.
      return void queueMicrotask(() => callback(denied, null));
    }
    connect(connectOptions, (...result: Parameters<buildConnector.Callback>) => {
      const refused = findEgressDenial(result[0]);
      if (refused) options.onDenied?.(refused);
      callback(...result);
    });
  };
}
