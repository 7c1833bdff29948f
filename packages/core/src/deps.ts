import type { EndpointPolicy } from './connectors/endpoint-policy';
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
  oauth: OAuthSettings;
  /** Every password hash and check goes through its bounded queue. */
  passwords: PasswordHasher;
}

export interface OAuthSettings {
  /** Origin of this Latchkey; return URLs must be on it. */
  publicBaseUrl: string;
  /** The one redirect URI registered at every provider. */
  redirectUri: string;
  stateTtlMs: number;
  providerTimeoutMs: number;
  /** Refresh an access token this long before it expires. */
  refreshMarginMs: number;
}
