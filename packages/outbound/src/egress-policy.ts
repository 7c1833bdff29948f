import { isIP } from 'node:net';
import { addressRange, inBlock, parseAddress } from './address-range';
import { type EgressAllowList, hostName, parseEgressAllowList } from './allow-list';
import { EgressDeniedError } from './egress-denied-error';

export interface EgressPolicyOptions {
  /** `LATCHKEY_EGRESS_ALLOW`'s entries: CIDR blocks, addresses and host names. */
  allow: readonly string[];
  /** Loopback addresses and names too (`LATCHKEY_ALLOW_HTTP_LOOPBACK`: tests and demos). */
  allowLoopback: boolean;
}

/**
 * Which addresses Latchkey may connect to: public unicast addresses only, unless the
 * operator allowed more. Checked on the resolved address of every connection
 * (egress-connector.ts), and on literal hosts when an endpoint is saved.
 */
export interface EgressPolicy {
  /** The refusal of a connection to `address`, reached by the name `host`; else undefined. */
  checkAddress(host: string, address: string): EgressDeniedError | undefined;
  /**
   * The refusal a host is sure to meet, known without DNS: a refused IP literal, or a
   * loopback name (`localhost`, `*.localhost`) while loopback is not allowed.
   */
  checkHostLiteral(host: string): EgressDeniedError | undefined;
}

export function createEgressPolicy(options: EgressPolicyOptions): EgressPolicy {
  const allowList = parseEgressAllowList(options.allow);
  const policy: EgressPolicy = {
    checkAddress(host, address) {
      if (allowList.hosts.has(hostName(host))) return undefined;
      return refusal(allowList, options.allowLoopback, host, address);
    },
    checkHostLiteral(host) {
      const bare = host.replace(/^\[|\]$/g, '');
      if (isIP(bare) !== 0) return policy.checkAddress(bare, bare);
      const name = hostName(bare);
      if (allowList.hosts.has(name) || options.allowLoopback || !isLoopbackName(name)) {
        return undefined;
      }
      return new EgressDeniedError(host, name, 'loopback');
    },
  };
  return policy;
}

function refusal(
  allowList: EgressAllowList,
  allowLoopback: boolean,
  host: string,
  address: string,
): EgressDeniedError | undefined {
  let parsed: ReturnType<typeof parseAddress>;
  try {
    parsed = parseAddress(address);
  } catch {
    return new EgressDeniedError(host, address, 'invalid');
  }
  const range = addressRange(parsed);
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && allowLoopback) return undefined;
  if (allowList.blocks.some((block) => inBlock(parsed, block))) return undefined;
  return new EgressDeniedError(host, address, range);
}

/** RFC 6761 §6.3: `localhost` and every name under it are loopback. */
function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}
