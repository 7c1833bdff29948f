import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { TrustedProxies } from '../config';

type TrustProxyOption = false | string[] | ((address: string, hop: number) => boolean);

/**
 * Fastify's `trustProxy` for LATCHKEY_TRUST_PROXY. Fastify 5.12 takes a number as trusting
 * nobody (a hop count cannot tell a proxy from a client that connects directly), which would
 * make every client look like the load balancer: a hop count is a function here, and
 * docs/configuration.md says when it is safe.
 */
export function fastifyTrustProxy(trusted: TrustedProxies): TrustProxyOption {
  if (typeof trusted === 'number') return (_address, hop) => hop < trusted;
  return trusted;
}

/** Bits of an IPv6 address one subscriber controls: ISPs hand out at least a /64. */
const IPV6_SUBSCRIBER_PREFIX = 64;

/**
 * The key of per-address limits: an IPv4 address as it is (also when written IPv4-mapped,
 * `::ffff:203.0.113.7`), an IPv6 address by its /64, since one host can use every address
 * of its /64 and would otherwise get 2^64 fresh counters.
 */
export function clientAddressKey(request: FastifyRequest): string {
  return addressKey(request.ip);
}

export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(
    `${parsed.toString()}/${IPV6_SUBSCRIBER_PREFIX}`,
  );
  return `${network.toString()}/${IPV6_SUBSCRIBER_PREFIX}`;
}
