/**
 * Every connection Latchkey opens to another host passes one egress policy, checked on the
 * address the socket is about to use (docs/egress.md).
 */
export { addressRange, type ParsedAddress, parseAddress } from './address-range';
export {
  type EgressAllowList,
  parseEgressAllowList,
  splitEgressAllowList,
} from './allow-list';
export { createCheckingLookup, type ResolveHost } from './checking-lookup';
export { createEgressConnector, type EgressConnectorOptions } from './egress-connector';
export { EgressDeniedError, findEgressDenial } from './egress-denied-error';
export { createEgressClient, type EgressClient, type EgressFetch } from './egress-fetch';
export { createEgressPolicy, type EgressPolicy, type EgressPolicyOptions } from './egress-policy';
