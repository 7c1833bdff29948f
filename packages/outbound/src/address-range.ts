import ipaddr from 'ipaddr.js';

/** An address ipaddr.js can match: IPv4-mapped IPv6 forms already turned into IPv4. */
export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** The global unicast block (RFC 4291 §2.4): IPv6 outside it is never a public host. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Parses an IP address, turning an IPv4-mapped IPv6 address (`::ffff:10.0.0.5`, also spelled
 * `::ffff:a00:5`) into the IPv4 address it stands for: the socket reaches that IPv4 host.
 */
export function parseAddress(address: string): ParsedAddress {
  return ipaddr.process(address.replace(/^\[|\]$/g, ''));
}

/**
 * The special-purpose range an address is in, by ipaddr.js's registry (`loopback`,
 * `private`, `linkLocal`, `carrierGradeNat`, `uniqueLocal`, `rfc6052` for NAT64, `6to4`,
 * `teredo`, `reserved`, …), or `unicast` for an ordinary public address. IPv6 "unicast"
 * outside 2000::/3 (the deprecated IPv4-compatible `::a00:5`, unassigned space) is
 * `notGlobalUnicast`.
 */
export function addressRange(address: ParsedAddress): string {
  const range = address.range();
  if (range !== 'unicast' || address.kind() === 'ipv4') return range;
  return (address as ipaddr.IPv6).match(GLOBAL_UNICAST_V6) ? 'unicast' : 'notGlobalUnicast';
}

/** Whether the address is in the CIDR block; an IPv4 address never matches an IPv6 block. */
export function inBlock(address: ParsedAddress, block: [ParsedAddress, number]): boolean {
  if (address.kind() !== block[0].kind()) return false;
  return address.match(block);
}
