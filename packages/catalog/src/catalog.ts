import type { ProviderDefinition } from './provider-definition';

/** The providers Latchkey knows, by id. */
export interface Catalog {
  /** Every provider, by display name. */
  list(): readonly ProviderDefinition[];
  find(id: string): ProviderDefinition | undefined;
}

export function catalogOf(providers: readonly ProviderDefinition[]): Catalog {
  const byId = new Map(providers.map((provider) => [provider.id, provider]));
  if (byId.size !== providers.length) throw new Error('provider ids must be unique');
  const sorted = [...providers].sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return { list: () => sorted, find: (id) => byId.get(id) };
}
