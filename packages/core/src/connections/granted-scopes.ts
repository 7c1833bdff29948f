/**
 * Scopes as sets of tokens. Providers write them space-separated (RFC 6749 §3.3), some
 * comma-separated (GitHub), so both split a scope string here.
 */
export function scopeTokens(scope: string | null | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(/[\s,]+/).filter(Boolean))];
}

/**
 * The scopes that never come back in a token response's `scope` though granted: OpenID's
 * `offline_access` (a refresh token is its answer), and those a preset names.
 */
const NEVER_ECHOED = ['offline_access'];

/**
 * The connector's scopes the connection was not granted, leaving out those never echoed.
 * Empty when the grant is unknown (a row from before scopes were kept): nothing to compare.
 */
export function missingScopes(
  connectorScope: string | undefined,
  granted: string | null,
  notEchoed: readonly string[] = [],
): string[] {
  if (granted === null) return [];
  const have = new Set(scopeTokens(granted));
  const ignored = new Set([...NEVER_ECHOED, ...notEchoed]);
  return scopeTokens(connectorScope).filter((scope) => !have.has(scope) && !ignored.has(scope));
}

/** Whether two grants differ as sets: the order and the separator do not count. */
export function grantedScopesDiffer(before: string | null, after: string | null): boolean {
  const a = new Set(scopeTokens(before));
  const b = scopeTokens(after);
  return a.size !== b.length || b.some((scope) => !a.has(scope));
}

/**
 * What a reconnect asks for: the connector's scopes, then those already granted that it
 * does not name, so that a reconnect never takes away a permission the user gave.
 */
export function scopesForReconnect(
  connectorScope: string | undefined,
  granted: string | null,
  separator = ' ',
): string | undefined {
  const wanted = scopeTokens(connectorScope);
  const extra = scopeTokens(granted).filter((scope) => !wanted.includes(scope));
  const all = [...wanted, ...extra];
  return all.length > 0 ? all.join(separator) : undefined;
}
