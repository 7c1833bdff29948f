import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { type ParsedAddress, parseAddress } from './address-range';

/** What an operator permits beyond the public internet (`LATCHKEY_EGRESS_ALLOW`). */
export interface EgressAllowList {
  blocks: Array<[ParsedAddress, number]>;
  /** Host names, lowercase, without a trailing dot; matched exactly. */
  hosts: Set<string>;
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Parses the comma-separated entries: CIDR blocks (`10.20.0.0/16`, `fd12::/48`), single
 * addresses (a /32 or /128) and host names. Throws on an entry that is none of these.
 */
export function parseEgressAllowList(entries: readonly string[]): EgressAllowList {
  const list: EgressAllowList = { blocks: [], hosts: new Set() };
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const block = parseBlock(entry);
    if (block) list.blocks.push(block);
    else if (isHostName(hostName(entry))) list.hosts.add(hostName(entry));
    else throw new Error(`"${raw.trim()}" is neither a CIDR block, an address nor a host name`);
  }
  return list;
}

/** Splits `LATCHKEY_EGRESS_ALLOW`'s text into entries. */
export function splitEgressAllowList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A host name, not an address in a legacy spelling (`0x7f.1`), which URLs read as IPv4. */
function isHostName(name: string): boolean {
  return HOST_NAME.test(name) && !ipaddr.IPv4.isValid(name);
}

function parseBlock(entry: string): [ParsedAddress, number] | undefined {
  const [address = '', prefix, extra] = entry.split('/');
  // node:net's strict syntax: ipaddr.js alone would also take `0x7f.1` or `10.1`.
  if (extra !== undefined || isIP(address) === 0) return undefined;
  if (prefix === undefined) {
    const parsed = parseAddress(address);
    return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
  }
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  try {
    const [base, bits] = ipaddr.parseCIDR(entry);
    // `::ffff:10.0.0.0/104` names IPv4 space: keep it as the IPv4 block it stands for.
    if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(base as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [base, bits];
  } catch {
    return undefined;
  }
}

/** A host name as compared: lowercase, without the trailing dot of a fully qualified name. */
export function hostName(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}
