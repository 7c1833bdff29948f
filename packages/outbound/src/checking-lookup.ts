import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { EgressPolicy } from './egress-policy';

/**
 * The DNS lookup behind the check: `dns.lookup` by default; tests pass their own to map a
 * name to any address. Always asked for every address (`all: true`).
 */
export type ResolveHost = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveWithDns: ResolveHost = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

/**
 * A `lookup` for `net.connect` / `tls.connect` that refuses a name when any address it
 * resolves to is refused: the socket then never opens. The address checked is the one the
 * socket will use, so a name that answers differently on a second query (DNS rebinding)
 * is caught too. Answers both forms Node asks for: one address, or all of them (`all`,
 * used by `autoSelectFamily`).
 */
export function createCheckingLookup(
  policy: EgressPolicy,
  resolve: ResolveHost = resolveWithDns,
): LookupFunction {
  return (hostname, options, callback) => {
    const { all, ...rest } = options;
    resolve(hostname, { ...rest, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0) {
        return callback(notFound(hostname), '', 0);
      }
      for (const { address } of addresses) {
        const denied = policy.checkAddress(hostname, address);
        if (denied) return callback(denied, '', 0);
      }
      const first = addresses[0] as LookupAddress;
      if (all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    hostname,
  });
}
