import type { EndpointPolicy } from './connectors/endpoint-policy';
import type { Store } from './store';
import type { Vault } from './vault/vault';

/** The I/O the domain needs, injected so tests can supply a fake clock. */
export interface CoreDeps {
  store: Store;
  vault: Vault;
  /** Epoch milliseconds. */
  now: () => number;
  endpointPolicy: EndpointPolicy;
}
