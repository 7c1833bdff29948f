import type { TokenEndpointResponse } from 'oauth4webapi';
import type { KeptValueRule } from '../connectors/provider-behaviour';
import { valueAtPath } from '../oauth/token-endpoint-fetch';
import type { ConnectionMetadata } from '../store';

/** Where a connection's kept values come from: a token answer, and the callback's query. */
interface KeptValueSources {
  tokens: TokenEndpointResponse;
  /** The authorization response, on a new connection only. */
  callback?: URLSearchParams;
}

/**
 * The values the connector's preset keeps (Salesforce's `instance_url`, QuickBooks'
 * `realmId`), from this answer where it has them, else as the connection had them: a refresh
 * answer repeats only some. Null when the preset keeps nothing.
 */
export function keptMetadata(
  rules: readonly KeptValueRule[] | undefined,
  sources: KeptValueSources,
  previous: ConnectionMetadata | null,
): ConnectionMetadata | null {
  if (!rules?.length) return null;
  const kept: Record<string, string> = {};
  for (const rule of rules) {
    const value = keptValue(rule, sources) ?? previous?.[rule.name];
    if (value !== undefined) kept[rule.name] = value;
  }
  return kept;
}

function keptValue(rule: KeptValueRule, sources: KeptValueSources): string | undefined {
  const raw =
    rule.from === 'callback'
      ? sources.callback?.get(rule.field)
      : valueAtPath(sources.tokens, rule.field);
  const value = typeof raw === 'number' ? String(raw) : raw;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  return rule.kind === 'url' ? boundedOrigin(value, rule.hostSuffixes ?? []) : value;
}

/**
 * A kept URL becomes where the proxy sends the user's token, so only an https origin on one
 * of the hosts the preset names is kept (`*.my.salesforce.com`); anything else is dropped.
 */
function boundedOrigin(value: string, hostSuffixes: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = !url.username && !url.password && !url.search && !url.hash && url.pathname === '/';
  const onHost = hostSuffixes.some((suffix) => url.hostname.endsWith(suffix));
  return url.protocol === 'https:' && bare && onHost ? url.origin : undefined;
}
