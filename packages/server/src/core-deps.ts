import type { Catalog } from '@latchkey/catalog';
import {
  type CoreDeps,
  type CoreMetrics,
  createMetadataCache,
  createPasswordHasher,
  type Store,
  type Vault,
} from '@latchkey/core';
import type { Config } from './config';
import type { ServiceEgress } from './egress';
import { OAUTH_CALLBACK_PATH } from './oauth/paths';

/** The domain's dependencies, from the configuration: the service and the CLI share them. */
export function createCoreDeps(
  config: Config,
  io: {
    store: Store;
    vault: Vault;
    now: () => number;
    egress: ServiceEgress;
    metrics: CoreMetrics;
    catalog: Catalog;
  },
): CoreDeps {
  const { egress, ...rest } = io;
  return {
    ...rest,
    endpointPolicy: {
      allowHttpLoopback: config.allowHttpLoopback,
      refusedHostRange: (hostname) => egress.policy.checkHostLiteral(hostname)?.range,
    },
    providerFetch: egress.providerFetch,
    metadataCache: createMetadataCache(),
    oauth: {
      publicBaseUrl: config.publicBaseUrl,
      connectReturnOrigins: config.connectReturnOrigins,
      connectSessionTtlMs: config.connectSessionTtlSeconds * 1000,
      redirectUri: `${config.publicBaseUrl}${OAUTH_CALLBACK_PATH}`,
      stateTtlMs: config.oauthStateTtlSeconds * 1000,
      providerTimeoutMs: config.providerTimeoutMs,
      refreshMarginMs: config.refreshMarginSeconds * 1000,
      refreshLockWaitMs: config.refreshLockWaitMs,
    },
    passwords: createPasswordHasher({
      concurrency: config.passwordHashConcurrency,
      maxWaiting: config.passwordHashQueueSize,
    }),
  };
}
