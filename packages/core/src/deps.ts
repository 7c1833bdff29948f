import type { Catalog } from '@latchkey/catalog';
import type { EndpointPolicy } from './connectors/endpoint-policy';
import type { CoreMetrics } from './metrics/core-metrics';
import type { MetadataCache } from './oauth/discovery/metadata-cache';
import type { Store } from './store';
import type { PasswordHasher } from './users/password-hasher';
import type { Vault } from './vault/vault';

/** The I/O the domain needs, injected so tests can supply a fake clock. */
export interface CoreDeps {
  store: Store;
  vault: Vault;
  /** Epoch milliseconds. */
  now: () => number;
  endpointPolicy: EndpointPolicy;
  /** The provider presets connectors can be made from. */
  catalog: Catalog;
  /** Every request to a provider (metadata, token, PAR, refresh, revocation, client credentials). */
  providerFetch: ProviderFetch;
  /** Issuers' metadata for connectors that discover their endpoints, per process. */
  metadataCache: MetadataCache;
  oauth: OAuthSettings;
  /** Every password hash and check goes through its bounded queue. */
  passwords: PasswordHasher;
  /** Flow, refresh and lease outcomes, for monitoring. */
  metrics: CoreMetrics;
}

/**
 * oauth4webapi's `customFetch` shape, sent through the egress policy. A connection the
 * policy refuses rejects with LatchkeyError `egress_denied`, before anything is sent.
 */
export type ProviderFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface OAuthSettings {
  /** Origin of this Latchkey; return URLs must be on it. */
  publicBaseUrl: string;
  /** Origins besides our own that connect sessions may return to. */
  connectReturnOrigins: readonly string[];
  connectSessionTtlMs: number;
  /** The one redirect URI registered at every provider. */
  redirectUri: string;
  stateTtlMs: number;
  providerTimeoutMs: number;
  /** Refresh an access token this long before it expires. */
  refreshMarginMs: number;
  /**
   * The longest a refresh waits for another holder's lock on the same connection before
   * answering `refresh_busy`; shorter than the lock's lifetime, whose holder may have died.
   */
  refreshLockWaitMs: number;
}
