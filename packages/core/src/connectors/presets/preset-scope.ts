import type { ProviderDefinition } from '@latchkey/catalog';

/**
 * The scope parameter's value for this preset: the scopes as the admin typed them
 * (space-separated, RFC 6749 §3.3) or the preset's defaults, plus what the provider needs
 * to issue a refresh token (`offline_access`), joined the way the provider wants.
 */
export function presetScope(
  scopes: ProviderDefinition['scopes'],
  typed: string | undefined,
): string | undefined {
  const chosen = typed ? typed.split(/\s+/).filter(Boolean) : scopes.default;
  const all = [...new Set([...chosen, ...scopes.required])];
  return all.length > 0 ? all.join(scopes.separator) : undefined;
}
