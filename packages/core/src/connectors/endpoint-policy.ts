import { isIP } from 'node:net';
import { LatchkeyError } from '../errors/latchkey-error';

export interface EndpointPolicy {
  /** Accept `http://` for loopback hosts (tests and demos only). */
  allowHttpLoopback: boolean;
  /**
   * The egress policy on a host known without DNS (an IP literal, `localhost`): the range
   * that makes it refused (`private`, `linkLocal`, …), else undefined. A name is checked on
   * its resolved address when a connection is opened.
   */
  refusedHostRange(hostname: string): string | undefined;
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Checks that a provider or API endpoint is https (or loopback http when allowed), has no
 * credentials in it and no fragment. The value is kept as given: an issuer identifier is
 * compared character for character (RFC 8414 §3.3), so re-serialising could break it.
 */
export function checkEndpointUrl(field: string, value: string, policy: EndpointPolicy): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw insecure(field, 'is not an absolute URL');
  }
  if (parsed.username || parsed.password) throw insecure(field, 'must not contain credentials');
  if (parsed.hash) throw insecure(field, 'must not contain a fragment');
  checkScheme(field, parsed, policy);
  const range = policy.refusedHostRange(parsed.hostname);
  if (range) throw egressDenied(field, parsed.hostname, range);
}

function checkScheme(field: string, parsed: URL, policy: EndpointPolicy): void {
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) {
    if (policy.allowHttpLoopback) return;
    throw insecure(field, 'uses http; set LATCHKEY_ALLOW_HTTP_LOOPBACK=true for loopback tests');
  }
  throw insecure(field, 'must use https');
}

/** Saved as given, this endpoint could only ever be refused: say so now (docs/egress.md). */
function egressDenied(field: string, hostname: string, range: string): LatchkeyError {
  const message = `${field}: the egress policy refuses ${hostname} (${range}); an operator can allow it with LATCHKEY_EGRESS_ALLOW.`;
  return new LatchkeyError('egress_denied', message, { field }, 400);
}

function insecure(field: string, reason: string): LatchkeyError {
  return new LatchkeyError('insecure_endpoint', `${field} ${reason}.`, { field });
}
