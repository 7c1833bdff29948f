import { LatchkeyError, type ProviderFetch } from '@latchkey/core';
import {
  createEgressClient,
  createEgressConnector,
  createEgressPolicy,
  type EgressDeniedError,
  type EgressPolicy,
  findEgressDenial,
  type ResolveHost,
} from '@latchkey/outbound';
import type { Logger } from 'pino';
import type { buildConnector } from 'undici';
import type { Config } from './config';

/** The service's one egress policy, and the clients every outbound request goes through. */
export interface ServiceEgress {
  policy: EgressPolicy;
  /** Token, refresh, revocation and client-credentials requests. */
  providerFetch: ProviderFetch;
  /** A connector for a pool of its own (the proxy's), checked the same way. */
  connector(timeoutMs: number): buildConnector.connector;
  close(): Promise<void>;
}

export interface EgressOptions {
  /** The DNS lookup behind the check; tests map names to any address. */
  resolve?: ResolveHost;
}

export function createServiceEgress(
  config: Config,
  logger: Logger,
  options: EgressOptions = {},
): ServiceEgress {
  const policy = createEgressPolicy({
    allow: config.egressAllow,
    allowLoopback: config.allowHttpLoopback,
  });
  // The operator's record of what was refused: the host and address never reach the caller.
  const onDenied = (denied: EgressDeniedError) =>
    logger.warn(
      { egress: { host: denied.host, address: denied.address, range: denied.range } },
      'egress policy refused a connection',
    );
  const connectorOptions = { ...options, onDenied };
  const client = createEgressClient(policy, {
    ...connectorOptions,
    timeoutMs: Math.min(config.providerTimeoutMs, 10_000),
  });
  return {
    policy,
    async providerFetch(url, init) {
      try {
        // undici's Response is the Fetch standard's, as oauth4webapi expects.
        return (await client.fetch(url, init as Parameters<typeof client.fetch>[1])) as Response;
      } catch (error) {
        throw toEgressError(error) ?? error;
      }
    },
    connector: (timeoutMs) => createEgressConnector(policy, { ...connectorOptions, timeoutMs }),
    close: () => client.close(),
  };
}

/** `egress_denied` (502) for an error the egress policy caused, else undefined. */
export function toEgressError(error: unknown): LatchkeyError | undefined {
  return findEgressDenial(error) ? new LatchkeyError('egress_denied') : undefined;
}
