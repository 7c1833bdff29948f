import type { TokenEndpointResponse } from 'oauth4webapi';
import { type EndpointPolicy, isLoopbackHost } from '../connectors/endpoint-policy';
import type { KeptValueRule } from '../connectors/provider-behaviour';
import { valueAtPath } from '../oauth/token-endpoint-fetch';
import type { ConnectionMetadata } from '../store';

/** Where a connection's kept values come from: a token answer, and the callback's query. */
interface KeptValueSources {
  tokens: TokenEndpointResponse;
  /** The authorization response, on a new connection only. */
  callback?: URLSearchParams;
}

/** What decides whether a kept URL may use http: loopback stand-ins in tests only. */
type KeptUrlPolicy = Pick<EndpointPolicy, 'allowHttpLoopback'>;

/**
 * The values the connector's preset keeps (Salesforce's `instance_url`, QuickBooks'
 * `realmId`), from this answer where it has them, else as the connection had them: a refresh
 * answer repeats only some. Null when the preset keeps nothing.
 */
export function keptMetadata(
  rules: readonly KeptValueRule[] | undefined,
  sources: KeptValueSources,
  previous: ConnectionMetadata | null,
  policy: KeptUrlPolicy,
): ConnectionMetadata | null {
  if (!rules?.length) return null;
  const kept: Record<string, string> = {};
  for (const rule of rules) {
    const value = keptValue(rule, sources, policy) ?? previous?.[rule.name];
    if (value !== undefined) kept[rule.name] = value;
  }
  return kept;
}

function keptValue(
  rule: KeptValueRule,
  sources: KeptValueSources,
  policy: KeptUrlPolicy,
): string | undefined {
  const raw =
    rule.from === 'callback'
      ? sources.callback?.get(rule.field)
      : valueAtPath(sources.tokens, rule.field);
  const value = typeof raw === 'number' ? String(raw) : raw;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  return rule.kind === 'url' ? boundedOrigin(value, rule.hostSuffixes ?? [], policy) : value;
}

/**
 * A kept URL becomes where the proxy sends the user's token, so only an https origin on one
 * of the hosts the preset names is kept (`*.my.salesforce.com`); anything else is dropped.
 * Loopback http passes too where the endpoint policy allows it, as for any endpoint.
 */
function boundedOrigin(
  value: string,
  hostSuffixes: readonly string[],
  policy: KeptUrlPolicy,
): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = !url.username && !url.password && !url.search && !url.hash && url.pathname === '/';
  const onHost = hostSuffixes.some((suffix) => url.hostname.endsWith(suffix));
  return isSecureScheme(url, policy) && bare && onHost ? url.origin : undefined;
}

function isSecureScheme(url: URL, policy: KeptUrlPolicy): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && policy.allowHttpLoopback && isLoopbackHost(url.hostname);
}
