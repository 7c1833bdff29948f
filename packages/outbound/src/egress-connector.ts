import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { createCheckingLookup, type ResolveHost } from './checking-lookup';
import type { EgressPolicy } from './egress-policy';

export interface EgressConnectorOptions {
  /** Milliseconds to open the connection (TCP and TLS); undici's default is 10 s. */
  timeoutMs?: number;
  /** The DNS lookup behind the check (tests map names to any address). */
  resolve?: ResolveHost;
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
    // Asynchronous, as a refused lookup would be: undici expects the callback later.
    if (denied) return void queueMicrotask(() => callback(denied, null));
    connect(connectOptions, callback);
  };
}
